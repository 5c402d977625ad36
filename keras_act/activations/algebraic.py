"""Algebraic activations (no exp or log): squareplus, sparse_plus, sparse_sigmoid.

The three Keras 3 built-ins that TensorFlow Addons and PyTorch lack,
written as Keras defines them, with their analytic derivatives.
"""

import math

from keras_act._lazy import ops

from keras_act import _backend
from keras_act._kernels import run
from keras_act._record import activation
from keras_act._typing import TensorLike
from keras_act._validation import NORMAL_RANGE, dtype_name, is_number, number
from keras_act.activations._common import (
    EPSILON,
    as_float,
    derivative_from_saved,
    saving_output,
    with_derivative,
    with_saved_gradient,
)

_BLONDEL_2020 = (
    "Blondel, Martins and Niculae 2020, Learning with Fenchel-Young Losses (JMLR 21), "
    "https://arxiv.org/abs/1901.02324"
)


# Half the square root of each dtype's largest number: x^2 + b stays finite
# below it (for b < eps * big^2).
_SQUARE_SAFE = {dtype: math.sqrt(high) / 2.0 for dtype, (_, high) in NORMAL_RANGE.items()}


def _squareplus_parts(x, b):
    dtype = dtype_name(x.dtype)
    big = _SQUARE_SAFE[dtype]
    a = ops.abs(x)
    if is_number(b) and b < EPSILON[dtype] * big * big:
        # s = sqrt(x^2 + b) directly; past |x| = big, where x^2 would
        # overflow, sqrt(x^2 + b) is |x| to within b / (2 x^2) < eps / 2.
        s = ops.where(a < big, ops.sqrt(x * x + b), a)
    else:
        # A b so large that x^2 + b may overflow: s scaled by
        # m = max(|x|, sqrt(b)), so (x / m)^2 and b / m^2 never exceed 1.
        b = ops.cast(b, x.dtype)
        m = _backend.maximum(a, ops.sqrt(b))
        u = x / m
        r = ops.sqrt(b) / m
        s = m * ops.sqrt(u * u + r * r)
    # y(x) - y(-x) = x, and y(-|x|) = b / (2 (s + |x|)), where nothing
    # cancels (the textbook (x + s) / 2 does for x < 0): so
    # y = relu(x) + b / (2 (s + |x|)). In float16 s + |x| overflows past
    # |x| = 32752: halves there.
    if dtype == "float16":
        return ops.relu(x) + (0.25 * b) / (0.5 * s + 0.5 * a), s
    return ops.relu(x) + (0.5 * b) / (s + a), s


def _squareplus_saving_ratio(x, b):
    # f'(x) = (1 + x / s) / 2 = y / s: no cancellation for x < 0.
    y, s = _squareplus_parts(x, b)
    return y, y / s


def _squareplus_grad_from_ratio(ratio, upstream, b):
    return upstream * ratio


@activation(
    "squareplus_custom",
    derivative=derivative_from_saved(_squareplus_saving_ratio, _squareplus_grad_from_ratio),
    formula="(x + sqrt(x^2 + b)) / 2",
    derivative_formula="(1 + x / sqrt(x^2 + b)) / 2",
    output_range=(0.0, math.inf),
    zero_centered=False,
    monotonic=True,
    smooth=True,
    saturates="negative",
    recommended_initializer="he_normal",
    reference="Barron 2021, Squareplus: A Softplus-Like Algebraic Rectifier, https://arxiv.org/abs/2112.11687",
    keras_builtin=("squareplus", {"b": 4}),
)
def squareplus_custom(x: TensorLike, b: float = 4.0) -> TensorLike:
    """Squareplus: a softplus-like rectifier from one square root.

    b = 4 makes it meet softplus's curvature at 0 (f(0) = 1); b -> 0 is
    ReLU. Written to stay finite in float16 up to its largest value and
    accurate for large negative x, where the formula as written cancels.
    (Keras's docstring credits it to "Ramachandran et al."; it is Barron's.)

    Formula:
        squareplus(x) = (x + sqrt(x^2 + b)) / 2

    Reference:
        Barron 2021, Squareplus: A Softplus-Like Algebraic Rectifier,
        https://arxiv.org/abs/2112.11687

    Args:
        x: input tensor.
        b: smoothness, > 0. Defaults to `4.0`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.squareplus_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([0.4142, 0.7808, 1.    , 1.2808, 2.4142], dtype=float32)
    """
    b = number("squareplus_custom", "b", b, minimum=0, strict=True, tensor=True)
    return run("squareplus_custom", _squareplus, as_float(x), b=b)


def _squareplus(x, b):
    return with_saved_gradient(_squareplus_saving_ratio, _squareplus_grad_from_ratio, x, b=b)


def _sparse_sigmoid(x):
    # Keras 3's tf.where form, so the values at the kinks +-1 are Keras's.
    return ops.where(x <= -1.0, 0.0, ops.where(x >= 1.0, 1.0, 0.5 * (x + 1.0)))


def _sparse_plus(x):
    return ops.where(x <= -1.0, 0.0, ops.where(x < 1.0, 0.25 * ops.square(x + 1.0), x))


@activation(
    "sparse_plus_custom",
    # sparse_plus' is sparse_sigmoid, kinks included (0 at -1, 1 at 1, as
    # TensorFlow's autodiff of Keras's nested tf.where takes them).
    derivative=_sparse_sigmoid,
    formula="0 if x <= -1, (x + 1)^2 / 4 if -1 < x < 1, x if x >= 1",
    derivative_formula="0 if x <= -1, (x + 1) / 2 if -1 < x < 1, 1 if x >= 1   (= sparse_sigmoid(x))",
    output_range=(0.0, math.inf),
    zero_centered=False,
    monotonic=True,
    smooth=True,
    saturates="negative",
    recommended_initializer="he_normal",
    reference=_BLONDEL_2020,
    flat_outputs=(0.0,),
    keras_builtin=("sparse_plus", {}),
)
def sparse_plus_custom(x: TensorLike) -> TensorLike:
    """SparsePlus: a softplus that is exactly 0 below -1 and x above 1.

    The quadratic piece joins both with matching slopes (C1). Its
    derivative is `sparse_sigmoid_custom`.

    Formula:
        sparse_plus(x) = 0               if x <= -1,
                         (x + 1)^2 / 4   if -1 < x < 1,
                         x               if x >= 1

    Reference:
        Blondel, Martins and Niculae 2020, Learning with Fenchel-Young Losses
        (JMLR 21), https://arxiv.org/abs/1901.02324

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.sparse_plus_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([0.    , 0.0625, 0.25  , 0.5625, 2.    ], dtype=float32)
    """
    return with_derivative(_sparse_plus, _sparse_sigmoid, as_float(x))


def _sparse_sigmoid_grad_from_output(y, upstream):
    # The slope is 1/2 exactly where 0 < y < 1 (0 at the kinks, as
    # TensorFlow's autodiff of Keras's tf.where takes them).
    return ops.where(ops.logical_and(y > 0.0, y < 1.0), 0.5 * upstream, 0.0)


@activation(
    "sparse_sigmoid_custom",
    derivative=derivative_from_saved(saving_output(_sparse_sigmoid), _sparse_sigmoid_grad_from_output),
    formula="0 if x <= -1, (x + 1) / 2 if -1 < x < 1, 1 if x >= 1",
    derivative_formula="1/2 if -1 < x < 1, else 0",
    output_range=(0.0, 1.0),
    zero_centered=False,
    monotonic=True,
    smooth=False,
    saturates="both",
    recommended_initializer="glorot_uniform",
    reference=_BLONDEL_2020,
    flat_outputs=(0.0, 1.0),
    keras_builtin=("sparse_sigmoid", {}),
)
def sparse_sigmoid_custom(x: TensorLike) -> TensorLike:
    """Sparse sigmoid: the two-class sparsemax, exactly 0 or 1 beyond +-1.

    It is the first output of sparsemax([x, 0]), as sigmoid(x) is the
    first output of softmax([x, 0]).

    Formula:
        sparse_sigmoid(x) = 0             if x <= -1,
                            (x + 1) / 2   if -1 < x < 1,
                            1             if x >= 1

    Reference:
        Blondel, Martins and Niculae 2020, Learning with Fenchel-Young Losses
        (JMLR 21), https://arxiv.org/abs/1901.02324

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.sparse_sigmoid_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)
    """
    return run("sparse_sigmoid_custom", _sparse_sigmoid_portable, as_float(x))


def _sparse_sigmoid_portable(x):
    return with_saved_gradient(saving_output(_sparse_sigmoid), _sparse_sigmoid_grad_from_output, x)
