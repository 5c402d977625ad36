"""GeGLU layer."""

import keras

from keras_act.activations import geglu_custom
from keras_act.layers._gated import GatedUnit


@keras.saving.register_keras_serializable(package="keras_act")
class GeGLU(GatedUnit):
    """GeGLU: the first half of `axis` gated by exact GELU of the second.

    The feed-forward activation of T5 v1.1 and Gemma (which use GELU's
    tanh approximation; this layer uses the exact erf form). The gate is
    the second half, as in `GLU`; to port weights from code that gates the
    first half, swap the halves of the preceding Dense layer's kernel
    columns and bias.

    Formula:
        f(x) = a * gelu(b) = a * b * Phi(b), where [a, b] = split(x, 2, axis)

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
        >>> layer = keras_act.layers.GeGLU()
        >>> y = layer(np.array([[2.0, -1.0, 1.0, 0.5]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[ 1.6827, -0.3457]], dtype=float32)
    """

    activation_id = "geglu_custom"
    function = staticmethod(geglu_custom)
