"""Polynomial and rational activations: squared ReLU and Padé activation units."""

import math

from keras_act._lazy import keras
from keras_act._lazy import ops

from keras_act._record import activation
from keras_act._typing import TensorLike
from keras_act._validation import is_finite_number, is_number, refuse
from keras_act.activations._common import as_float
from keras_act.activations._learnable import parameter, sum_to_shape, with_parameter_gradients


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


def _star_relu_forward(x, scale, bias):
    r = ops.relu(x)
    square = r * r
    return scale * square + bias, (r, square, scale, bias)


def _star_relu_backward(saved, upstream):
    r, square, scale, bias = saved
    # dy/dx = 2 s relu(x) (0 at the kink, as relu_squared_custom's),
    # dy/ds = relu(x)^2, dy/db = 1.
    return upstream * (r * (2.0 * scale)), upstream * square, sum_to_shape(upstream, bias.shape)


def star_relu(x: TensorLike, scale: float | TensorLike, bias: float | TensorLike) -> TensorLike:
    """StarReLU: squared ReLU with a scale and a bias, s * relu(x)^2 + b.

    What `keras_act.layers.StarReLU` computes with its two learned scalars;
    with tensors (the layer's weights), one backward gives the gradients of
    x, s and b together. s and b may be numbers or tensors broadcastable
    to x.

    Formula:
        star_relu(x) = scale * max(0, x)^2 + bias

    Reference:
        Yu, Si, Zhou, Yu, Wang, Feng and Yan 2022, MetaFormer Baselines for
        Vision, https://arxiv.org/abs/2210.13452

    Args:
        x: input tensor.
        scale: s, a number or a tensor broadcastable to `x`.
        bias: b, a number or a tensor broadcastable to `x`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.polynomial.star_relu(x, scale=0.5, bias=-1.0)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-1.   , -1.   , -1.   , -0.875,  1.   ], dtype=float32)
    """
    x = as_float(x)
    if is_number(scale) and is_number(bias):
        return scale * relu_squared_custom(x) + bias
    scale, bias = (parameter(v, x.dtype) for v in (scale, bias))
    return with_parameter_gradients(_star_relu_forward, _star_relu_backward, x, scale, bias)


def _coefficients(name, values, x_dtype, minimum):
    if isinstance(values, (list, tuple)):
        if len(values) < minimum or not all(is_finite_number(v) for v in values):
            refuse("pau", f"`{name}` to be a list of at least {minimum} finite numbers or a 1-D tensor", **{name: values})
        return [float(v) for v in values]
    values = ops.cast(values, x_dtype)
    if len(values.shape) != 1 or values.shape[0] is None or values.shape[0] < minimum:
        refuse(
            "pau",
            f"`{name}` to be a 1-D tensor of at least {minimum} entries (a known number)",
            **{f"{name}.shape": tuple(values.shape)},
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
    if isinstance(numerator, (list, tuple)) and isinstance(denominator, (list, tuple)):
        return ops.cast(_pau_forward(z, a, b)[0], x.dtype)
    # Learned coefficients: one backward for x and all of them (autodiff
    # would chain back through every step of both Horner evaluations).
    a, b = (parameter(c, wide) for c in (numerator, denominator))
    return ops.cast(with_parameter_gradients(_pau_tensor_forward, _pau_backward, z, a, b), x.dtype)


def _pau_forward(z, a, b):
    p = _horner(z, a)
    s = z * _horner(z, b)
    q = 1.0 + ops.abs(s)
    y = p / q
    return y, (z, a, b, s, q, y)


def _unstack(c):
    return [c[i] for i in range(c.shape[0])]


def _pau_tensor_forward(z, a, b):
    return _pau_forward(z, _unstack(a), _unstack(b))


def _power_sums(w, z, first, count):
    # sum(w z^first), ..., sum(w z^(first + count - 1)): the gradients of
    # coefficients that multiply those powers.
    t = w if first == 0 else w * z
    sums = [ops.sum(t)]
    for _ in range(count - 1):
        t = t * z
        sums.append(ops.sum(t))
    return ops.stack(sums)


def _pau_backward(saved, upstream):
    # With B = b_1 z + ... + b_n z^n, q = 1 + |B| and y = P / q:
    # dy/dz = (P' - y sign(B) B') / q, dy/da_j = z^j / q and
    # dy/db_k = -y sign(B) z^k / q. P' and B' by Horner's rule; the
    # coefficient gradients are power sums of two weights (abs'(0) = 0, as
    # autodiff's, where B = 0).
    z, a, b, s, q, y = saved
    w = upstream / q
    ys = y * ops.sign(s)
    dp = _horner(z, [j * a[j] for j in range(1, len(a))]) if len(a) > 1 else 0.0
    db = _horner(z, [(k + 1) * b[k] for k in range(len(b))])
    dz = w * (dp - ys * db)
    return dz, _power_sums(w, z, 0, len(a)), _power_sums(-(w * ys), z, 1, len(b))
