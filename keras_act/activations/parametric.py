"""Activations with learnable parameters per channel: PELU and SReLU.

They have no string ids (their parameters are weights); the layers
`keras_act.layers.PELU` and `keras_act.layers.SReLU` learn them and call
these functions. Parameters may be numbers or tensors broadcastable to x.
"""

import numpy as np
from keras_act._lazy import ops

from keras_act import _backend
from keras_act._typing import TensorLike
from keras_act._validation import is_number, number
from keras_act.activations._common import as_float
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
    a = b = 1 it is `elu_custom`. With tensor parameters (the layer's
    weights), one backward computes the gradients of x, a and b together,
    from the output (a must then be positive, as it is for the function).

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
    a = number("pelu", "a", a, minimum=0, strict=True, tensor=True)
    b = number("pelu", "b", b, minimum=0, strict=True, tensor=True)
    x = as_float(x)
    if is_number(a) and is_number(b):
        return a * ops.elu(x / b)
    # Learned a and b: one backward for x, a and b (autodiff would chain
    # back through the product, the ELU and the quotient).
    a, b = (parameter(v, x.dtype) for v in (a, b))
    return with_parameter_gradients(_pelu_forward, _pelu_backward, x, a, b)


def _srelu_forward(x, t_l, a_l, t_r, a_r):
    # _backend's minimum and maximum: ops' drop float64 to float32 on PyTorch.
    r = _backend.maximum(t_l, t_r)
    d_l, d_r = x - t_l, x - r
    m_l, m_r = _backend.minimum(d_l, 0.0), _backend.maximum(d_r, 0.0)
    y = _backend.minimum(_backend.maximum(x, t_l), r) + a_l * m_l + a_r * m_r
    return y, (d_l, d_r, m_l, m_r, t_l, a_l, t_r, a_r, r)


def _share(d):
    # The share of max(u, v) that goes to u, with d = u - v: 1, 1/2 at a tie
    # (u = v: autodiff's convention on JAX and PyTorch), 0.
    return 0.5 + 0.5 * ops.sign(d)


def _srelu_backward(saved, upstream):
    # The derivatives of the forward's expression with each minimum and
    # maximum splitting a tie in halves, so the kinks (x at a threshold,
    # t_right at or below t_left, where r = max(t_left, t_right) = t_left)
    # get the values autodiff of that expression gives on JAX and PyTorch.
    # With s_l = sign(x - t_l) and s_r = sign(x - r), the shares of the
    # left and right pieces are left = (1 - s_l) / 2, right = (1 + s_r) / 2:
    #   dy/dx = (1 - left) (1 - right) + a_l left + a_r right,
    #   dy/dr = (1 - a_r) right + (1 - k) [x < t_l],
    #   dy/dt_l = (k - a_l) left + keep dy/dr, dy/dt_r = (1 - keep) dy/dr,
    #   dy/da_l = min(x - t_l, 0), dy/da_r = max(x - r, 0),
    # where k = share of min(t_l, r) to r (1, or 1/2 when r = t_l) and
    # keep = share of r to t_l (1 when t_l > t_r, 1/2 at a tie). Summed
    # over the batch, left, right and [x < t_l] come from sums of upstream
    # times s_l, s_r and |s_l|, so the per-channel parameters multiply the
    # sums, not the elements.
    d_l, d_r, m_l, m_r, t_l, a_l, t_r, a_r, r = saved
    s_l, s_r = ops.sign(d_l), ops.sign(d_r)
    # dy/dx expanded in s_l and s_r: per-channel constants times 1, s_l, s_r.
    c0, c1, c2 = 0.25 + 0.5 * (a_l + a_r), 0.25 - 0.5 * a_l, 0.5 * a_r - 0.25
    dx = upstream * (c0 + c1 * s_l + (c2 - 0.25 * s_l) * s_r)

    # Summed to the shape all four parameters broadcast to, over which the
    # per-channel factors are constant; each parameter's own sum follows.
    shape = np.broadcast_shapes(*(tuple(p.shape) for p in (t_l, a_l, t_r, a_r)))

    def total(t):
        return sum_to_shape(t, shape)

    g, g_l, g_r, g_a = total(upstream), total(upstream * s_l), total(upstream * s_r), total(upstream * ops.abs(s_l))
    left, right, strictly_left = 0.5 * (g - g_l), 0.5 * (g + g_r), 0.5 * (g_a - g_l)
    k, keep = _share(r - t_l), _share(t_l - t_r)
    d_r = (1.0 - a_r) * right + (1.0 - k) * strictly_left
    return dx, (k - a_l) * left + keep * d_r, upstream * m_l, (1.0 - keep) * d_r, upstream * m_r


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
    continuous and well defined. At a threshold the derivative is the mean
    of the slopes on either side, on every backend (each minimum and
    maximum of the formula splits a tie in halves, as JAX's and PyTorch's
    autodiff do); with tensor parameters, one backward computes the
    gradients of x and all four together.

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
    values = {name: number("srelu", name, value, tensor=True) for name, value in values.items()}
    x = as_float(x)
    # A number straight to x's dtype (a cast would round 0.2 to float32 first).
    parameters = [
        ops.convert_to_tensor(v, dtype=x.dtype) if is_number(v) else parameter(v, x.dtype) for v in values.values()
    ]
    if all(is_number(v) for v in values.values()):
        return _srelu_forward(x, *parameters)[0]
    # Learned parameters: one backward for x and all four (autodiff would
    # reduce each use of each parameter in the minimums and maximums).
    return with_parameter_gradients(_srelu_forward, _srelu_backward, x, *parameters)
