"""SwiGLU layer."""

import keras

from keras_act.activations import swiglu_custom
from keras_act.layers._gated import GatedUnit


@keras.saving.register_keras_serializable(package="keras_act")
class SwiGLU(GatedUnit):
    """SwiGLU: the first half of `axis` gated by Swish (SiLU) of the second.

    The feed-forward activation of Llama-style Transformers:
    `Dense(2 * d)`, then `SwiGLU()`, then `Dense(model_dim)`. The gate is
    the second half, as in `GLU`; to port weights from code that gates the
    first half, swap the halves of the preceding Dense layer's kernel
    columns and bias (`keras_act.activations.gated`'s docstring shows how).

    Formula:
        f(x) = a * silu(b) = a * b * sigmoid(b), where [a, b] = split(x, 2, axis)

    Reference:
        Shazeer 2020, GLU Variants Improve Transformer,
        https://arxiv.org/abs/2002.05202

    Args:
        axis: the (non-batch) axis to split. Defaults to `-1`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any, rank >= 2, even size along `axis`.

    Output shape: the input shape with `axis` halved.

    Example:
        >>> layer = keras_act.layers.SwiGLU()
        >>> y = layer(np.array([[2.0, -1.0, 1.0, 0.5]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[ 1.4621, -0.3112]], dtype=float32)
    """

    activation_id = "swiglu_custom"
    function = staticmethod(swiglu_custom)
