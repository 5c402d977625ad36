"""Shared helpers of the activation functions."""

import math
import numbers

import keras
import numpy as np
from keras import ops


def as_float(x):
    """Return `x` as a tensor of floating dtype; integers become `floatx`."""
    x = ops.convert_to_tensor(x)
    if not keras.backend.is_float_dtype(x.dtype):
        x = ops.cast(x, keras.config.floatx())
    return x


def erfc(x):
    """Complementary error function, accurate where 1 - erf(x) cancels.

    keras.ops has no erfc; on the TensorFlow backend this is tf.math.erfc
    (a public TensorFlow API, correctly rounded in float64), elsewhere the
    less accurate 1 - erf(x).
    """
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        return tf.math.erfc(x)
    return 1.0 - ops.erf(x)


def with_derivative(forward, derivative, x, **hyperparameters):
    """Evaluate `forward(x)` with the analytic `derivative` as its gradient.

    Backward then needs only `x` (no intermediate of the forward pass is
    kept), and takes one fused elementwise expression instead of the chain
    of gradients autodiff would build through every op of `forward`.
    Hyperparameters are closed over because `tf.custom_gradient` accepts no
    keyword arguments in graph mode.
    """

    @ops.custom_gradient
    def f(x):
        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return upstream * derivative(x, **hyperparameters)

        return forward(x, **hyperparameters), grad

    return f(x)


def with_saved_gradient(forward, backward, x, **hyperparameters):
    """Evaluate `forward(x) -> (y, saved)` with gradient `backward(saved, upstream)`.

    For functions whose derivative can be read off the output (or a
    boolean mask): backward then keeps the output, which the next layer
    keeps anyway, or a one-byte mask, never the input, and costs one or two
    elementwise ops (measured in benchmarks/RESULTS.md).
    """

    @ops.custom_gradient
    def f(x):
        y, saved = forward(x, **hyperparameters)

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return backward(saved, upstream, **hyperparameters)

        return y, grad

    return f(x)


def is_number(value):
    """Whether `value` is a real number (numpy scalars too), not a bool.

    The one rule of keras_act's functions and layers: a number is checked
    and used as a Python float; anything else (a tensor, a variable) is
    taken as a tensor.
    """
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def is_integer(value):
    """Whether `value` is an integer (numpy integers too), not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def is_finite_number(value):
    """A finite real number; an int too large for a float (10**400) is not."""
    if not is_number(value):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _check(name, value, function, ok, bound):
    if not is_number(value):
        return value
    if not (is_finite_number(value) and ok(value)):
        raise ValueError(
            f"`{name}` of {function} must be a finite number {bound}. Received: {name}={value!r}."
        )
    return float(value)


def check_positive(name, value, function):
    """Validate a number hyperparameter and return it as a Python float
    (tensors pass through unchanged)."""
    return _check(name, value, function, lambda v: v > 0, "> 0")


def check_non_negative(name, value, function):
    """Validate a number hyperparameter and return it as a Python float
    (tensors pass through unchanged)."""
    return _check(name, value, function, lambda v: v >= 0, ">= 0")
