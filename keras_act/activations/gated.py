"""GLU variants: the first half of an axis gated by an activation of the second.

Shazeer 2020 replaced GLU's sigmoid gate by Swish, GELU or ReLU in the
feed-forward blocks of Transformers (SwiGLU in Llama-style models, GeGLU in
T5 v1.1 and Gemma). As `glu_custom`, the gate is the second half:
`[a, b] = split(x, 2, axis)` and the output is `a * act(b)`.

Porting weights from code that gates the first half (`act(a) * b`): swap
the two halves of the columns of the preceding Dense's kernel, and of its
bias, e.g. `kernel = np.concatenate([k[:, d:], k[:, :d]], axis=1)` and
`bias = np.concatenate([b[d:], b[:d]])` for a kernel of 2 * d columns.
"""

import math

from keras_act._lazy import keras
from keras_act._lazy import ops

from keras_act._record import activation
from keras_act._typing import TensorLike
from keras_act._validation import even_halves
from keras_act.activations._common import as_float, with_saved_gradient
from keras_act.activations.smooth import gelu_custom, silu_custom

_SHAZEER_2020 = "Shazeer 2020, GLU Variants Improve Transformer, https://arxiv.org/abs/2002.05202"


def _split_halves(x, axis, name):
    """`[a, b] = split(x, 2, axis)`, refusing an odd (known) size."""
    even_halves(name, x.shape, axis)
    return ops.split(x, 2, axis=axis)


@activation(
    "swiglu_custom",
    derivative=None,
    formula="a * silu(b), where [a, b] = split(x, 2, axis=-1)",
    derivative_formula="d/da = silu(b), d/db = a * sigmoid(b) * (1 + b * (1 - sigmoid(b)))",
    output_range=(-math.inf, math.inf),
    zero_centered=True,
    monotonic=False,
    smooth=True,
    saturates="negative",
    # The value half is linear and the gate is at most |b|: the variance a
    # Dense layer keeps with glorot_uniform, as for glu_custom.
    recommended_initializer="glorot_uniform",
    reference=_SHAZEER_2020,
    elementwise=False,
)
def swiglu_custom(x: TensorLike, axis: int = -1) -> TensorLike:
    """SwiGLU: the first half of `axis` gated by Swish (SiLU) of the second.

    The feed-forward activation of Llama-style Transformers: Dense(2 * d),
    then SwiGLU, then Dense(model_dim).

    The output has half the size of `axis`, which must be even; the gate
    is the second half. Porting weights from code that gates the first
    half: swap the two halves of the preceding Dense layer's kernel columns
    and bias (see this module's docstring).

    Formula:
        swiglu(x) = a * silu(b), where [a, b] = split(x, 2, axis=-1)
                  = a * b * sigmoid(b)

    Reference:
        Shazeer 2020, GLU Variants Improve Transformer,
        https://arxiv.org/abs/2002.05202

    Args:
        x: input tensor.
        axis: the axis to split. Defaults to `-1`.

    Example:
        >>> x = np.array([[1.0, 2.0, -1.0, 0.5]], "float32")
        >>> y = keras_act.activations.swiglu_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-0.2689,  0.6225]], dtype=float32)
    """
    x = as_float(x)
    a, b = _split_halves(x, axis, "swiglu_custom")
    if keras.backend.standardize_dtype(x.dtype) in ("float16", "bfloat16"):
        return with_saved_gradient(_swiglu_saving_input, _swiglu_grad_from_input, x, axis=axis)
    # Wider dtypes keep autodiff (tf.nn.silu's own gradient): a custom
    # gradient costs its bookkeeping on every eager call (1.3x measured).
    return a * silu_custom(b)


def _swiglu_saving_input(x, axis):
    a, b = ops.split(x, 2, axis=axis)
    return a * silu_custom(b), x


def _swiglu_grad_from_input(x, upstream, axis):
    # d/da = silu(b), d/db = a * silu'(b), silu'(b) = s + silu(b) * (1 - s).
    # a * silu'(b) is formed before the upstream gradient multiplies it:
    # autodiff of a * silu(b) multiplies upstream * a by b first, which
    # overflows float16 (inf * 0 = NaN on JAX) where the gradient does not.
    # Used for float16 and bfloat16.
    a, b = ops.split(x, 2, axis=axis)
    s = ops.sigmoid(b)
    silu = b * s
    return ops.concatenate([upstream * silu, upstream * (a * (s + silu * (1.0 - s)))], axis=axis)


@activation(
    "geglu_custom",
    derivative=None,
    formula="a * gelu(b), where [a, b] = split(x, 2, axis=-1)   (exact gelu)",
    derivative_formula="d/da = gelu(b), d/db = a * (Phi(b) + b * phi(b))",
    output_range=(-math.inf, math.inf),
    zero_centered=True,
    monotonic=False,
    smooth=True,
    saturates="negative",
    recommended_initializer="glorot_uniform",
    reference=_SHAZEER_2020,
    elementwise=False,
)
def geglu_custom(x: TensorLike, axis: int = -1) -> TensorLike:
    """GeGLU: the first half of `axis` gated by exact GELU of the second.

    The feed-forward activation of T5 v1.1 and Gemma (which use the tanh
    approximation of GELU; this id uses the exact form, `gelu_custom`).

    The output has half the size of `axis`, which must be even; the gate
    is the second half. Porting weights from code that gates the first
    half: swap the two halves of the preceding Dense layer's kernel columns
    and bias (see this module's docstring).

    Formula:
        geglu(x) = a * gelu(b), where [a, b] = split(x, 2, axis=-1)
                 = a * b * Phi(b)

    Reference:
        Shazeer 2020, GLU Variants Improve Transformer,
        https://arxiv.org/abs/2002.05202

    Args:
        x: input tensor.
        axis: the axis to split. Defaults to `-1`.

    Example:
        >>> x = np.array([[1.0, 2.0, -1.0, 0.5]], "float32")
        >>> y = keras_act.activations.geglu_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-0.1587,  0.6915]], dtype=float32)
    """
    a, b = _split_halves(as_float(x), axis, "geglu_custom")
    return a * gelu_custom(b)


@activation(
    "reglu_custom",
    derivative=None,
    formula="a * relu(b), where [a, b] = split(x, 2, axis=-1)",
    derivative_formula="d/da = relu(b), d/db = a if b > 0 else 0",
    output_range=(-math.inf, math.inf),
    zero_centered=True,
    monotonic=False,
    smooth=False,
    saturates="negative",
    recommended_initializer="glorot_uniform",
    reference=_SHAZEER_2020,
    # An output of 0 from a closed gate (b <= 0) passes no gradient to a or b.
    flat_outputs=(0.0,),
    elementwise=False,
)
def reglu_custom(x: TensorLike, axis: int = -1) -> TensorLike:
    """ReGLU: the first half of `axis` gated by ReLU of the second.

    The output has half the size of `axis`, which must be even; the gate
    is the second half. Porting weights from code that gates the first
    half: swap the two halves of the preceding Dense layer's kernel columns
    and bias (see this module's docstring).

    Formula:
        reglu(x) = a * relu(b), where [a, b] = split(x, 2, axis=-1)
                 = a * max(b, 0)

    Reference:
        Shazeer 2020, GLU Variants Improve Transformer,
        https://arxiv.org/abs/2002.05202

    Args:
        x: input tensor.
        axis: the axis to split. Defaults to `-1`.

    Example:
        >>> x = np.array([[1.0, 2.0, -1.0, 0.5]], "float32")
        >>> y = keras_act.activations.reglu_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[0., 1.]], dtype=float32)
    """
    a, b = _split_halves(as_float(x), axis, "reglu_custom")
    return a * ops.relu(b)
