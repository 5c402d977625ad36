"""Activations with learnable parameters per channel: PELU and SReLU.

They have no string ids (their parameters are weights); the layers
`keras_act.layers.PELU` and `keras_act.layers.SReLU` learn them and call
these functions. Parameters may be numbers or tensors broadcastable to x.
"""

from keras import ops

from keras_act import _backend
from keras_act._typing import TensorLike
from keras_act.activations._common import as_float, check_positive, is_finite_number


def _tensor(value, x):
    return value if isinstance(value, float) else ops.cast(value, x.dtype)


def pelu(x: TensorLike, a: float | TensorLike, b: float | TensorLike) -> TensorLike:
    """Parametric ELU: an ELU whose slope and saturation are learned.

    `a` sets the saturation (-a as x -> -inf) and, with `b`, the slope a / b
    for x >= 0; `b` sets the scale of the exponential decay. Both must be
    positive. Computed as a * elu(x / b), the same function, so it runs on
    the fused ELU kernel and exports to ONNX and LiteRT as Elu. With
    a = b = 1 it is `elu_custom`.

    Formula:
        pelu(x) = (a / b) * x           if x >= 0
                  a * (exp(x / b) - 1)  if x < 0

    Reference:
        Trottier, Giguere and Chaib-draa 2017, Parametric Exponential Linear
        Unit for Deep Convolutional Neural Networks,
        https://arxiv.org/abs/1605.09332

    Args:
        x: input tensor.
        a: a number > 0 or a tensor broadcastable to `x`.
        b: a number > 0 or a tensor broadcastable to `x`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.pelu(x, a=1.0, b=2.0)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.6321, -0.2212,  0.    ,  0.25  ,  1.    ], dtype=float32)
    """
    a = check_positive("a", a, "pelu")
    b = check_positive("b", b, "pelu")
    x = as_float(x)
    return _tensor(a, x) * ops.elu(x / _tensor(b, x))


def srelu(
    x: TensorLike,
    t_left: float | TensorLike,
    a_left: float | TensorLike,
    t_right: float | TensorLike,
    a_right: float | TensorLike,
) -> TensorLike:
    """S-shaped ReLU: the identity between two thresholds, lines of learned
    slopes outside them.

    Three linear pieces, continuous at the thresholds. Where `t_right` is
    below `t_left` (a learned pair may cross) the right threshold is taken
    as `t_left` and the middle piece vanishes, so the function stays
    continuous and well defined.

    Formula:
        srelu(x) = t_right + a_right * (x - t_right)   if x >= t_right
                   x                                   if t_left < x < t_right
                   t_left + a_left * (x - t_left)      if x <= t_left

    Reference:
        Jin, Xu, Feng, Wei, Xiong and Yan 2016, Deep Learning with S-shaped
        Rectified Linear Activation Units, https://arxiv.org/abs/1512.07030

    Args:
        x: input tensor.
        t_left, a_left, t_right, a_right: numbers or tensors broadcastable
            to `x`: the thresholds and the slopes beyond them.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.srelu(x, t_left=-1.0, a_left=0.1, t_right=1.0, a_right=2.0)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-1.1, -0.5,  0. ,  0.5,  3. ], dtype=float32)
    """
    values = {"t_left": t_left, "a_left": a_left, "t_right": t_right, "a_right": a_right}
    for name, value in values.items():
        if isinstance(value, (int, float)) and not is_finite_number(value):
            raise ValueError(f"srelu expected `{name}` to be a finite number or a tensor. Received: {name}={value!r}.")
    x = as_float(x)
    # A number straight to x's dtype (a cast would round 0.2 to float32 first).
    t_l, a_l, t_r, a_r = (
        ops.convert_to_tensor(float(v), dtype=x.dtype) if is_finite_number(v) else ops.cast(v, x.dtype)
        for v in values.values()
    )
    # _backend's minimum and maximum: ops' drop float64 to float32 on PyTorch.
    t_r = _backend.maximum(t_l, t_r)
    middle = _backend.minimum(_backend.maximum(x, t_l), t_r)
    return middle + a_l * _backend.minimum(x - t_l, 0.0) + a_r * _backend.maximum(x - t_r, 0.0)
