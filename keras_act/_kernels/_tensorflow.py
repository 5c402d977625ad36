"""TensorFlow's kernels for keras_act's ids: the fused kernels Keras's own
activations call (`tf.nn`, `tf.math`), where they compute keras_act's
function. A kernel returns None for arguments it does not serve, and the
portable form runs instead. `keras_act._kernels.NATIVE["tensorflow"]`
describes these; a test holds the two to the same keys.
"""

import tensorflow as tf

from keras_act._kernels._common import axis_of, number
from keras_act._kernels._gradients import with_derivative
from keras_act._record import RECORDS

# TensorFlow's fused Softplus already returns x above log(1 / eps) - 2 =
# 13.94 in float32, so a threshold of 14 or more changes nothing there.
_SOFTPLUS_LINEAR_FROM_FLOAT32 = 14.0


def is_float_tensor(x):
    return isinstance(x, tf.Tensor) and x.dtype.is_floating


def _leaky_relu(x, negative_slope):
    # The LeakyRelu kernel holds its slope as a float32 attribute: 0.01
    # would become 0.0099999998 in float64.
    if x.dtype == tf.float64 or not number(negative_slope):
        return None
    return tf.nn.leaky_relu(x, alpha=negative_slope)


def _rrelu(x, lower, upper, training, seed):
    if training or not (number(lower) and number(upper)):
        return None
    return _leaky_relu(x, (lower + upper) / 2.0)


def _elu(x, alpha):
    return tf.nn.elu(x) if number(alpha) and alpha == 1 else None


def _softplus(x, beta, threshold):
    if (x.dtype == tf.float32 and number(beta) and beta == 1 and number(threshold)
            and threshold >= _SOFTPLUS_LINEAR_FROM_FLOAT32):
        return tf.math.softplus(x)
    return None


def _gelu_exact(x):
    return tf.nn.gelu(x, approximate=False)


def _gelu(x):
    # Its float64 is off by up to 6e-7 relative in the negative tail; the
    # portable erfc form is exact to rounding there.
    if x.dtype == tf.float64:
        return None
    if x.dtype == tf.float32:
        return _gelu_exact(x)
    # Half precision: autodiff multiplies the upstream gradient by x before
    # exp(-x^2 / 2) = 0, so a large gradient becomes inf * 0 = NaN in
    # float16; the record's derivative forms x * exp(...) first.
    return with_derivative(_gelu_exact, RECORDS["gelu_custom"].derivative, x)


def _log_softmax(x, axis):
    axis = axis_of(axis)
    return None if axis is None else tf.nn.log_softmax(x, axis=axis)


KERNELS = {
    "relu_custom": tf.nn.relu,
    "relu6_custom": tf.nn.relu6,
    "leaky_relu_custom": _leaky_relu,
    "rrelu_custom": _rrelu,
    "elu_custom": _elu,
    "selu_custom": tf.nn.selu,
    "celu_custom": _elu,
    "gelu_custom": _gelu,
    "sigmoid_custom": tf.nn.sigmoid,
    "tanh_custom": tf.nn.tanh,
    "softsign_custom": tf.nn.softsign,
    "softplus_custom": _softplus,
    "log_sigmoid_custom": tf.math.log_sigmoid,
    "silu_custom": tf.nn.silu,
    "hard_sigmoid_custom": lambda x: tf.nn.relu6(x + 3.0) / 6.0,
    # relu6(3x + 3) / 6 = (x + 1) / 2 clipped to [0, 1]: Relu6's fused
    # gradient is 0 at its corners, keras_act's kinks at +-1.
    "sparse_sigmoid_custom": lambda x: tf.nn.relu6(x * 3.0 + 3.0) / 6.0,
    "log_softmax_custom": _log_softmax,
    "exponential_custom": tf.math.exp,
}
