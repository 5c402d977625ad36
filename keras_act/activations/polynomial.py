"""Polynomial and rational activations: squared ReLU and Padé activation units."""

import math

import keras
from keras import ops

from keras_act._record import activation
from keras_act._typing import TensorLike
from keras_act.activations._common import as_float, is_finite_number


def _relu_squared_grad(x):
    # 2 relu(x): continuous, so the kink at 0 has the one slope 0.
    return 2.0 * ops.relu(x)


@activation(
    "relu_squared_custom",
    derivative=_relu_squared_grad,
    formula="max(0, x)^2",
    derivative_formula="2 * max(0, x)",
    output_range=(0.0, math.inf),
    zero_centered=False,
    monotonic=True,
    smooth=True,
    saturates="negative",
    # relu(x)^2 grows quadratically: E[relu(x)^4] = 1.5 for x ~ N(0, 1), so
    # the smaller of Keras's fan-based variances (He's doubles Glorot's on a
    # square layer) keeps a stack of them from blowing up.
    recommended_initializer="glorot_uniform",
    reference="So, Manke, Liu, Dai, Shazeer and Le 2021, Primer: Searching for Efficient Transformers "
    "for Language Modeling, https://arxiv.org/abs/2109.08668",
    flat_outputs=(0.0,),
)
def relu_squared_custom(x: TensorLike) -> TensorLike:
    """Squared ReLU: relu(x)^2, the feed-forward activation Primer found.

    Zero for x <= 0 (a unit that stays there is dead, as for ReLU), then a
    parabola: continuously differentiable, with derivative 2 relu(x). In
    float16 the output overflows to inf past x = 255.9 (its square exceeds
    65504), as the mathematics says. `keras_act.layers.StarReLU` adds a
    learned scale and bias.

    Formula:
        relu_squared(x) = max(0, x)^2

    Reference:
        So, Manke, Liu, Dai, Shazeer and Le 2021, Primer: Searching for
        Efficient Transformers for Language Modeling,
        https://arxiv.org/abs/2109.08668

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.relu_squared_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([0.  , 0.  , 0.  , 0.25, 4.  ], dtype=float32)
    """
    r = ops.relu(as_float(x))
    return r * r


def _coefficients(name, values, x_dtype, minimum):
    if isinstance(values, (list, tuple)):
        if len(values) < minimum or not all(is_finite_number(v) for v in values):
            raise ValueError(
                f"pau expected `{name}` to be a list of at least {minimum} finite numbers or a 1-D tensor. "
                f"Received: {name}={values!r}."
            )
        return [float(v) for v in values]
    values = ops.cast(values, x_dtype)
    if len(values.shape) != 1 or values.shape[0] is None or values.shape[0] < minimum:
        raise ValueError(
            f"pau expected `{name}` to be a 1-D tensor of at least {minimum} entries (a known number). "
            f"Received: {name} of shape {tuple(values.shape)}."
        )
    return [values[i] for i in range(values.shape[0])]


def _horner(x, coefficients):
    # c_0 + x * (c_1 + x * (c_2 + ...)): k multiplications and additions for
    # degree k, and no power of x is ever formed on its own.
    y = coefficients[-1]
    for c in coefficients[-2::-1]:
        y = y * x + c
    return y


def pau(x: TensorLike, numerator: TensorLike, denominator: TensorLike) -> TensorLike:
    """Padé activation unit with the safe denominator: P(x) / (1 + |B(x)|).

    A rational function of learnable coefficients (Molina et al. 2019);
    the absolute value keeps the denominator at 1 or more, so the unit has
    no poles. Both polynomials are evaluated by Horner's rule. Has no
    string id (the coefficients are weights); `keras_act.layers.PAU`
    learns them, starting from a fit to leaky ReLU. float16 and bfloat16
    inputs are computed in float32 (x^5 overflows float16 at |x| = 9.2);
    in float32 the powers overflow, and the output is NaN, beyond about
    |x| = 1e7 for the default degrees.

    Formula:
        pau(x) = (a_0 + a_1 x + ... + a_m x^m) / (1 + |b_1 x + b_2 x^2 + ... + b_n x^n|)

    Reference:
        Molina, Schramowski and Kersting 2019, Padé Activation Units:
        End-to-end Learning of Flexible Activation Functions in Deep
        Networks, https://arxiv.org/abs/1907.06732

    Args:
        x: input tensor.
        numerator: a_0, ..., a_m: a list of numbers or a 1-D tensor.
        denominator: b_1, ..., b_n (no constant term: it is 1): a list of
            numbers or a 1-D tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.pau(x, numerator=[0.0, 1.0, 1.0], denominator=[0.0, 1.0])
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([ 0.4, -0.2,  0. ,  0.6,  1.2], dtype=float32)
    """
    x = as_float(x)
    dtype = keras.backend.standardize_dtype(x.dtype)
    wide = "float32" if dtype in ("float16", "bfloat16") else dtype
    z = ops.cast(x, wide)
    a = _coefficients("numerator", numerator, wide, 1)
    b = _coefficients("denominator", denominator, wide, 1)
    p = _horner(z, a)
    q = 1.0 + ops.abs(z * _horner(z, b))
    return ops.cast(p / q, x.dtype)
