"""JAX's kernels for keras_act's ids (`jax.nn`), where they compute keras_act's
function, its documented derivative at kinks included (jax.nn.leaky_relu'(0)
is 1, TensorFlow's the slope: the portable where-form keeps that). Under
jax.jit XLA fuses either; these spare Keras's op layer and its float64
casts. A kernel returns None for arguments it does not serve.
`keras_act._kernels.NATIVE["jax"]` describes these; a test holds the two
to the same keys.
"""

import jax
import jax.numpy as jnp
import numpy as np

from keras_act._kernels._common import axis_of, number
from keras_act._kernels._gradients import with_derivative
from keras_act._record import RECORDS

_HALF = frozenset({np.dtype("float16"), jnp.dtype(jnp.bfloat16)})
_FLOATS = frozenset(np.dtype(d) for d in ("float32", "float64")) | _HALF


def is_float_tensor(x):
    return isinstance(x, jax.Array) and x.dtype in _FLOATS


def _elu(x, alpha):
    return jax.nn.elu(x, alpha) if number(alpha) else None


def _celu(x, alpha):
    # Above alpha = 1, x / alpha underflows where x does not; the portable
    # form handles it.
    return jax.nn.celu(x, alpha) if number(alpha) and alpha <= 1 else None


def _gelu_exact(x):
    return jax.nn.gelu(x, approximate=False)


def _gelu(x):
    if x.dtype in _HALF:
        # Autodiff multiplies the upstream gradient by x before
        # exp(-x^2 / 2) = 0: a large gradient becomes inf * 0 = NaN in
        # float16. The record's derivative forms x * exp(...) first.
        return with_derivative(_gelu_exact, RECORDS["gelu_custom"].derivative, x)
    return _gelu_exact(x)


def _hard_tanh(x, min_val, max_val):
    # Selects, not jnp.clip (whose gradient at a tie is 1/2) nor
    # jax.nn.hard_tanh (1 at the corners): 0 at both corners, as keras_act
    # documents; NaN passes.
    if not (number(min_val) and number(max_val)):
        return None
    return jnp.where(x >= max_val, jnp.asarray(max_val, x.dtype), jnp.where(x <= min_val, jnp.asarray(min_val, x.dtype), x))


def _over_axis(fn):
    def kernel(x, axis):
        axis = axis_of(axis)
        return None if axis is None else fn(x, axis=axis)

    return kernel


KERNELS = {
    "relu_custom": jax.nn.relu,
    "relu6_custom": jax.nn.relu6,
    "elu_custom": _elu,
    "celu_custom": _celu,
    "gelu_custom": _gelu,
    "sigmoid_custom": jax.nn.sigmoid,
    "tanh_custom": jnp.tanh,
    "softsign_custom": jax.nn.soft_sign,
    "log_sigmoid_custom": jax.nn.log_sigmoid,
    "silu_custom": jax.nn.silu,
    "hard_sigmoid_custom": jax.nn.hard_sigmoid,
    "hard_swish_custom": jax.nn.hard_swish,
    "softmax_custom": _over_axis(jax.nn.softmax),
    "log_softmax_custom": _over_axis(jax.nn.log_softmax),
    "glu_custom": _over_axis(jax.nn.glu),
    "hard_tanh_custom": _hard_tanh,
    "exponential_custom": jnp.exp,
}
