"""PyTorch's kernels for keras_act's ids: single ATen kernels with their own
backward (what Keras's torch backend calls for its own activations), where
they compute keras_act's function. A kernel returns None for arguments it
does not serve (a tensor hyperparameter, several axes), and the portable
form runs instead. The table `keras_act._kernels.NATIVE["torch"]` describes
these; a test holds the two to the same keys.
"""

import math

import torch
import torch.nn.functional as F

from keras_act._kernels._common import axis_of, number, numbers


def is_float_tensor(x):
    return isinstance(x, torch.Tensor) and x.is_floating_point()


def _leaky_relu(x, negative_slope):
    if not number(negative_slope):
        return None
    return F.leaky_relu(x, negative_slope)


def _rrelu(x, lower, upper, training, seed):
    # Training draws from Keras's seeded generator (the portable form), not
    # torch's global one.
    if training or not numbers(lower, upper):
        return None
    return F.leaky_relu(x, (lower + upper) / 2.0)


def _elu(x, alpha):
    return F.elu(x, alpha) if number(alpha) else None


def _celu(x, alpha):
    # Above alpha = 1, x / alpha underflows where x does not; the portable
    # form handles it.
    return F.celu(x, alpha) if number(alpha) and alpha <= 1 else None


def _softplus(x, beta, threshold):
    return F.softplus(x, beta, threshold) if numbers(beta, threshold) else None


def _hard_tanh(x, min_val, max_val):
    return F.hardtanh(x, min_val, max_val) if numbers(min_val, max_val) else None


def _hard_shrink(x, threshold):
    return F.hardshrink(x, threshold) if number(threshold) else None


def _soft_shrink(x, threshold):
    return F.softshrink(x, threshold) if number(threshold) else None


def _threshold(x, threshold, value):
    return F.threshold(x, threshold, value) if numbers(threshold, value) else None


def _hard_sigmoid(x):
    # Its float64 backward multiplies by a float32 1/6 (0.1666666716).
    return None if x.dtype == torch.float64 else F.hardsigmoid(x)


class _Squareplus(torch.autograd.Function):
    # y = relu(x) + (b / 2) / (s + |x|), s = hypot(x, sqrt(b)): no
    # cancellation for x < 0 and no overflow of x^2 (hypot scales), in five
    # kernels as Keras's (x + sqrt(x^2 + b)) / 2; f'(x) = y / s from the
    # saved output, two kernels backward.
    @staticmethod
    def forward(ctx, x, b):
        a = torch.abs(x)
        s = torch.hypot(x, torch.tensor(math.sqrt(b), dtype=x.dtype, device=x.device))
        y = torch.addcdiv(F.relu(x), torch.tensor(0.5 * b, dtype=x.dtype, device=x.device), s + a)
        ctx.save_for_backward(y, s)
        return y

    @staticmethod
    def backward(ctx, upstream):
        y, s = ctx.saved_tensors
        return upstream * y / s, None


def _squareplus(x, b):
    # Half precision: hypot's own scaling, then float16's range (s + |x|
    # overflows past 32752), are the portable form's to handle.
    if not number(b) or x.dtype not in (torch.float32, torch.float64):
        return None
    return _Squareplus.apply(x, float(b))


def _sparse_sigmoid(x):
    # 0.5 * hardtanh(x) + 0.5: hardtanh's backward is 0 at +-1, keras_act's
    # kinks; NaN passes. Three kernels forward, two backward.
    return F.hardtanh(x).mul(0.5).add_(0.5)


def _over_axis(fn):
    def kernel(x, axis):
        axis = axis_of(axis)
        return None if axis is None else fn(x, dim=axis)

    return kernel


def _glu(x, axis):
    axis = axis_of(axis)
    return None if axis is None else F.glu(x, dim=axis)


KERNELS = {
    "relu_custom": lambda x: F.relu(x),
    "relu6_custom": lambda x: F.relu6(x),
    "leaky_relu_custom": _leaky_relu,
    "rrelu_custom": _rrelu,
    "elu_custom": _elu,
    "selu_custom": lambda x: F.selu(x),
    "celu_custom": _celu,
    "gelu_custom": lambda x: F.gelu(x),
    "gelu_tanh_custom": lambda x: F.gelu(x, approximate="tanh"),
    "sigmoid_custom": lambda x: torch.sigmoid(x),
    "tanh_custom": lambda x: torch.tanh(x),
    "softsign_custom": lambda x: F.softsign(x),
    "softplus_custom": _softplus,
    "log_sigmoid_custom": lambda x: F.logsigmoid(x),
    "silu_custom": lambda x: F.silu(x),
    "mish_custom": lambda x: F.mish(x),
    "hard_sigmoid_custom": _hard_sigmoid,
    "hard_swish_custom": lambda x: F.hardswish(x),
    "hard_tanh_custom": _hard_tanh,
    "hard_shrink_custom": _hard_shrink,
    "soft_shrink_custom": _soft_shrink,
    "tanh_shrink_custom": lambda x: F.tanhshrink(x),
    "threshold": _threshold,
    "softmax_custom": _over_axis(F.softmax),
    "softmin_custom": _over_axis(F.softmin),
    "log_softmax_custom": _over_axis(F.log_softmax),
    "glu_custom": _glu,
    "squareplus_custom": _squareplus,
    "sparse_sigmoid_custom": _sparse_sigmoid,
    "exponential_custom": lambda x: torch.exp(x),
}
