"""ReGLU layer."""

import keras

from keras_act.activations import reglu_custom
from keras_act.layers._gated import GatedUnit


@keras.saving.register_keras_serializable(package="keras_act")
class ReGLU(GatedUnit):
    """ReGLU: the first half of `axis` gated by ReLU of the second.

    The gate is the second half, as in `GLU`; to port weights from code
    that gates the first half, swap the halves of the preceding Dense
    layer's kernel columns and bias.

    Formula:
        f(x) = a * relu(b), where [a, b] = split(x, 2, axis)

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
        >>> layer = keras_act.layers.ReGLU()
        >>> y = layer(np.array([[2.0, -1.0, 3.0, 0.5]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[ 6. , -0.5]], dtype=float32)
    """

    activation_id = "reglu_custom"
    function = staticmethod(reglu_custom)
