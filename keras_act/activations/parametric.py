"""Activations with learnable parameters per channel: PELU and SReLU.

They have no string ids (their parameters are weights); the layers
`keras_act.layers.PELU` and `keras_act.layers.SReLU` learn them and call
these functions. Parameters may be numbers or tensors broadcastable to x.
"""

from keras import ops

from keras_act import _backend
from keras_act._typing import TensorLike
from keras_act.activations._common import as_float, check_positive, is_finite_number, is_number
from keras_act.activations._learnable import parameter, sum_to_shape, with_parameter_gradients


def _pelu_forward(x, a, b):
    y = a * ops.elu(x / b)
    return y, (x, y, a, b)


def _pelu_backward(saved, upstream):
    # From the output alone (one tensor kept, as for ELU): with z = x / b
    # and a > 0, a * elu'(z) = min(y, 0) + a (a for z >= 0, a exp(z)
    # below), so dy/dx = (min(y, 0) + a) / b, dy/da = elu(z) = y / a and
    # dy/db = -(dy/dx) x / b. The sums over the batch are divided by a and
    # b once per channel, not once per element.
    x, y, a, b = saved
    dx = upstream * (_backend.minimum(y, 0.0) + a) / b
    return dx, sum_to_shape(upstream * y, a.shape) / a, -sum_to_shape(dx * x, b.shape) / b


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
    if is_number(a) and is_number(b):
        return a * ops.elu(x / b)
    # Learned a and b: one backward for x, a and b (autodiff would chain
    # back through the product, the ELU and the quotient).
    a, b = (parameter(v, x.dtype) for v in (a, b))
    return with_parameter_gradients(_pelu_forward, _pelu_backward, x, a, b)


def _srelu_forward(x, t_l, a_l, t_r, a_r):
    # _backend's minimum and maximum: ops' drop float64 to float32 on PyTorch.
    t_r_kept = _backend.maximum(t_l, t_r)
    middle = _backend.minimum(_backend.maximum(x, t_l), t_r_kept)
    y = middle + a_l * _backend.minimum(x - t_l, 0.0) + a_r * _backend.maximum(x - t_r_kept, 0.0)
    return y, (x, t_l, a_l, t_r, a_r, t_r_kept)


def _share(d):
    # The share of max(u, v) that goes to u, with d = u - v: 1, 1/2 at a tie
    # (where u = v: autodiff's convention on JAX and PyTorch), 0.
    return 0.5 + 0.5 * ops.sign(d)


def _srelu_backward(saved, upstream):
    # The derivatives of the forward's expression, each minimum and maximum
    # splitting a tie in halves, so the kinks (x at a threshold, t_right at
    # t_left) get the same values as autodiff of that expression on JAX and
    # PyTorch. With u = max(x, t_l) and r = max(t_l, t_r):
    #   left = share of min(x - t_l, 0) to x - t_l (1 for x < t_l),
    #   right = share of max(x - r, 0) to x - r (1 for x > r),
    #   inner = share of min(u, r) to u, keep = share of r to t_l;
    #   dy/dx = (1 - left) inner + a_l left + a_r right,
    #   d(y)/dr = 1 - inner - a_r right, reaching t_l and t_r by keep,
    #   dy/dt_l = left (inner - a_l) + keep dy/dr, dy/dt_r = (1 - keep) dy/dr,
    #   dy/da_l = min(x - t_l, 0), dy/da_r = max(x - r, 0).
    x, t_l, a_l, t_r, a_r, r = saved
    left = _share(t_l - x)
    right = _share(x - r)
    inner = _share(r - _backend.maximum(x, t_l))
    keep = _share(t_l - t_r)
    dx = upstream * ((1.0 - left) * inner + a_l * left + a_r * right)
    d_r = sum_to_shape(upstream * (1.0 - inner - a_r * right), r.shape)
    d_t_l = sum_to_shape(upstream * (left * (inner - a_l)), t_l.shape) + keep * d_r
    d_a_l = upstream * _backend.minimum(x - t_l, 0.0)
    d_a_r = upstream * _backend.maximum(x - r, 0.0)
    return dx, d_t_l, d_a_l, (1.0 - keep) * d_r, d_a_r


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
    parameters = [
        ops.convert_to_tensor(float(v), dtype=x.dtype) if is_finite_number(v) else parameter(v, x.dtype)
        for v in values.values()
    ]
    if all(is_number(v) for v in values.values()):
        return _srelu_forward(x, *parameters)[0]
    # Learned parameters: one backward for x and all four (autodiff would
    # reduce each use of each parameter in the minimums and maximums).
    return with_parameter_gradients(_srelu_forward, _srelu_backward, x, *parameters)
