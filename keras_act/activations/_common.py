"""Shared helpers of the activation functions."""

import keras
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


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_positive(name, value, function):
    """Validate a Python-number hyperparameter (tensors pass through)."""
    if _is_number(value) and not value > 0:
        raise ValueError(
            f"`{name}` of {function} must be > 0. Received: {name}={value!r}."
        )


def check_non_negative(name, value, function):
    """Validate a Python-number hyperparameter (tensors pass through)."""
    if _is_number(value) and not value >= 0:
        raise ValueError(
            f"`{name}` of {function} must be >= 0. Received: {name}={value!r}."
        )
