"""Shared helpers of the activation functions."""

import math
import numbers

from keras_act._lazy import keras
import numpy as np
from keras_act._lazy import ops

from keras_act import _backend
from keras_act._kernels import as_float  # noqa: F401 (re-exported: every family module converts with it)
from keras_act._kernels._gradients import with_derivative, with_saved_gradient  # noqa: F401 (re-exported)


def like(value, x):
    """The number `value` as a scalar tensor of x's dtype.

    Off TensorFlow, Keras 3.15 computes some ops of a float64 tensor and a
    Python float (`ops.minimum(x, 0.0)` on PyTorch) in float32; a scalar of
    x's own dtype keeps float64 inputs float64.
    """
    return ops.convert_to_tensor(value, dtype=x.dtype)


def erfc(x):
    """Complementary error function, accurate where 1 - erf(x) cancels.

    `keras.ops.erfc` (Keras 3.15: tf.math.erfc, jax.scipy.special.erfc,
    torch.erfc underneath), correctly rounded in float64 on every backend.
    TensorFlow's Erfc op has no ONNX converter in tf2onnx, so the float32
    path of gelu_custom uses a fit instead (smooth.py).
    """
    return ops.erfc(x)


def saving_output(forward):
    """`forward(x) -> y` as `x -> (y, y)`: for `with_saved_gradient` when the
    gradient is read off the output (the shrinks, sparse_sigmoid)."""

    def forward_saving_output(x, **hyperparameters):
        y = forward(x, **hyperparameters)
        return y, y

    return forward_saving_output


def derivative_from_saved(forward, backward, hyperparameters=None):
    """The record's `f'(x, **hp)` from the code that computes the gradient.

    For a function evaluated with `with_saved_gradient(forward, backward,
    x)`: `f'(x) = backward(forward(x)[1], ones_like(x))`, so the derivative
    that `keras_act.derivative()` returns and the gradient autodiff takes
    are one expression, never written twice (kinks and NaN included).
    `hyperparameters`, if given, maps the record's hyperparameters to
    forward's and backward's (the shrinks' `threshold` to their band's
    `lower` and `upper`).
    """

    def derivative(x, **hp):
        if hyperparameters is not None:
            hp = hyperparameters(**hp)
        _, saved = forward(x, **hp)
        return backward(saved, ops.ones_like(x), **hp)

    derivative.__name__ = f"derivative_from_saved({forward.__name__}, {backward.__name__})"
    # What the tests compare with the pair the function itself passes to
    # with_saved_gradient.
    derivative.forward, derivative.backward = forward, backward
    return derivative


def is_number(value):
    """Whether `value` is a real number (numpy scalars too), not a bool.

    The one rule of keras_act's functions and layers: a number is checked
    and used as a Python float; anything else (a tensor, a variable) is
    taken as a tensor.
    """
    if type(value) in _PLAIN_NUMBERS:
        return True  # the common case, without the slower ABC check
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


_PLAIN_NUMBERS = (float, int)


def dtype_name(dtype):
    """`keras.backend.standardize_dtype(dtype)`, remembered per dtype object
    (called on every call of a function with hyperparameters)."""
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        name = _DTYPE_NAMES[dtype] = keras.backend.standardize_dtype(dtype)
    return name


_DTYPE_NAMES = {}


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
    if type(value) is float and value == value and ok(value) and value != math.inf:
        return value  # the common case: a valid Python float
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


# (smallest normal, largest) of each float dtype.
NORMAL_RANGE = {
    "float16": (6.103515625e-05, 65504.0),
    "bfloat16": (1.1754943508222875e-38, 3.3895313892515355e38),
    "float32": (1.1754943508222875e-38, 3.4028234663852886e38),
    "float64": (2.2250738585072014e-308, 1.7976931348623157e308),
}
_HALF = ("float16", "bfloat16")
# Machine epsilon of each float dtype.
EPSILON = {"float16": 2.0**-10, "bfloat16": 2.0**-7, "float32": 2.0**-23, "float64": 2.0**-52}


def _normal_in(value, dtype):
    low, high = NORMAL_RANGE[dtype]
    return low <= abs(value) <= high


def hyperparameter_dtype(dtype, *values):
    """The dtype in which arithmetic with number hyperparameters runs.

    The input's own, except for float16 and bfloat16 inputs when a value is
    not a normal number of that dtype (CELU's alpha = 1e-8 is 0 in float16,
    Swish's beta = 1e6 is inf) or is a tensor (a trainable weight, whose
    value is not known here): then float32, and the result is cast back.
    """
    dtype = dtype_name(dtype)
    if dtype in _HALF and any(not is_number(v) or (v != 0 and not _normal_in(v, dtype)) for v in values):
        return "float32"
    return dtype


def normal_limits(dtype):
    """`(wide, low, high)`: the dtype hyperparameter arithmetic runs in at
    most (float32, or float64 for float64 inputs) and its normal range."""
    wide = "float64" if dtype_name(dtype) == "float64" else "float32"
    return (wide, *NORMAL_RANGE[wide])


def is_normal_for(value, dtype, zero_ok=False):
    """Whether a number hyperparameter is a normal number of `normal_limits(dtype)`."""
    return (zero_ok and value == 0) or _normal_in(value, normal_limits(dtype)[0])


def check_normal(name, value, function, dtype, zero_ok=False):
    """Refuse a number hyperparameter that no dtype keras_act computes in holds.

    Arithmetic with hyperparameters runs in float32 at least (float64 for
    float64 inputs), so a value must be a normal number there: beyond, it
    rounds to 0 or inf and turns the output into NaN (0 / 0, inf * 0).
    Returns `value`; tensors pass through.
    """
    if type(value) is float and ((zero_ok and value == 0) or 1.1754943508222875e-38 <= abs(value) <= 3.4028234663852886e38):
        return value  # normal in float32, hence in float64: the common case
    if is_number(value) and not is_normal_for(value, dtype, zero_ok):
        wide, low, high = normal_limits(dtype)
        raise ValueError(
            f"`{name}` of {function} must lie between {low:.7g} and {high:.8g} in magnitude (the normal "
            f"{wide} numbers, in which it is computed for {keras.backend.standardize_dtype(dtype)} inputs): "
            f"beyond, it rounds to 0 or inf and the output to NaN. Received: {name}={value!r}. "
            "Use a value in that range."
        )
    return value


def in_dtype(fn, x, dtype):
    """`fn(x)` computed in `dtype` and cast back to `x`'s dtype."""
    if dtype_name(x.dtype) == dtype:
        return fn(x)
    return ops.cast(fn(ops.cast(x, dtype)), x.dtype)
