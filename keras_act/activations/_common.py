"""Shared helpers of the activation functions."""

from keras_act._lazy import ops

from keras_act._kernels import as_float  # noqa: F401 (re-exported: every family module converts with it)
from keras_act._kernels._gradients import with_derivative, with_saved_gradient  # noqa: F401 (re-exported)
from keras_act._validation import dtype_name, is_normal_in, is_number


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


class derivative_from_saved:
    """The record's `f'(x, **hp)` from the code that computes the gradient.

    For a function evaluated with `with_saved_gradient(forward, backward,
    x)`: `f'(x) = backward(forward(x)[1], ones_like(x))`, so the derivative
    that `keras_act.derivative()` returns and the gradient autodiff takes
    are one expression, never written twice (kinks and NaN included).
    `hyperparameters`, if given, maps the record's hyperparameters to
    forward's and backward's (the shrinks' `threshold` to their band's
    `lower` and `upper`).

    The pair is what defines the derivative, so it stays readable as
    `.forward` and `.backward`: whoever reads a record can see which
    gradient code its derivative is.
    """

    def __init__(self, forward, backward, hyperparameters=None):
        self.forward, self.backward, self.hyperparameters = forward, backward, hyperparameters
        self.__name__ = f"derivative_from_saved({forward.__name__}, {backward.__name__})"

    def __call__(self, x, **hp):
        if self.hyperparameters is not None:
            hp = self.hyperparameters(**hp)
        _, saved = self.forward(x, **hp)
        return self.backward(saved, ops.ones_like(x), **hp)

    def __repr__(self):
        return f"<{self.__name__}>"


# Machine epsilon of each float dtype.
EPSILON = {"float16": 2.0**-10, "bfloat16": 2.0**-7, "float32": 2.0**-23, "float64": 2.0**-52}
_HALF = ("float16", "bfloat16")


def hyperparameter_dtype(dtype, *values):
    """The dtype in which arithmetic with number hyperparameters runs.

    The input's own, except for float16 and bfloat16 inputs when a value is
    not a normal number of that dtype (CELU's alpha = 1e-8 is 0 in float16,
    Swish's beta = 1e6 is inf) or is a tensor (a trainable weight, whose
    value is not known here): then float32, and the result is cast back.
    """
    dtype = dtype_name(dtype)
    if dtype in _HALF and any(not is_number(v) or (v != 0 and not is_normal_in(v, dtype)) for v in values):
        return "float32"
    return dtype


def in_dtype(fn, x, dtype):
    """`fn(x)` computed in `dtype` and cast back to `x`'s dtype."""
    if dtype_name(x.dtype) == dtype:
        return fn(x)
    return ops.cast(fn(ops.cast(x, dtype)), x.dtype)
