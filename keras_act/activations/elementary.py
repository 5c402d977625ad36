"""The identity and the exponential: Keras 3's `linear` and `exponential`.

Neither has any numerical subtlety; they are here so that every activation
Keras 3 has also has a keras_act id (and a record that says what it is).
"""

import math

from keras_act._lazy import ops

from keras_act._kernels import run
from keras_act._record import activation
from keras_act._typing import TensorLike
from keras_act.activations._common import as_float

_KERAS_ACTIVATIONS = "Keras 3 keras.activations, https://keras.io/api/layers/activations/"


def _linear_grad(x):
    return ops.ones_like(x)


@activation(
    "linear_custom",
    derivative=_linear_grad,
    formula="x",
    derivative_formula="1",
    output_range=(-math.inf, math.inf),
    zero_centered=True,
    monotonic=True,
    smooth=True,
    saturates="none",
    recommended_initializer="glorot_uniform",
    reference=_KERAS_ACTIVATIONS,
    keras_builtin=("linear", {}),
    torch_equivalent="torch.nn.Identity()",
)
def linear_custom(x: TensorLike) -> TensorLike:
    """The identity: no activation (a linear layer).

    Keras's `activation=None` and `"linear"`; as an id it lets a search over
    activations include "none" by name.

    Formula:
        linear(x) = x

    Reference:
        Keras 3 keras.activations, https://keras.io/api/layers/activations/

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.linear_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-2. , -0.5,  0. ,  0.5,  2. ], dtype=float32)
    """
    return as_float(x)


def _exponential_grad(x):
    return ops.exp(x)


@activation(
    "exponential_custom",
    derivative=_exponential_grad,
    formula="exp(x)",
    derivative_formula="exp(x)",
    output_range=(0.0, math.inf),
    zero_centered=False,
    monotonic=True,
    smooth=True,
    saturates="negative",
    recommended_initializer="glorot_uniform",
    reference=_KERAS_ACTIVATIONS,
    keras_builtin=("exponential", {}),
)
def exponential_custom(x: TensorLike) -> TensorLike:
    """The exponential: a positive output, e.g. a rate or a scale.

    It overflows to inf where exp(x) exceeds the dtype's largest value
    (x > 88.7 in float32, 11.1 in float16): use it where inputs are small,
    or softplus_custom for a positive output that grows linearly.

    Formula:
        exponential(x) = exp(x)

    Reference:
        Keras 3 keras.activations, https://keras.io/api/layers/activations/

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.exponential_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([0.1353, 0.6065, 1.    , 1.6487, 7.3891], dtype=float32)
    """
    # exp is its own derivative, and the output is what backward needs:
    # TensorFlow's Exp gradient already reads it from the output.
    return run("exponential_custom", ops.exp, as_float(x))
