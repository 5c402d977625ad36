"""GLU layer."""

import keras

from keras_act.activations import glu_custom
from keras_act.layers._gated import GatedUnit


@keras.saving.register_keras_serializable(package="keras_act")
class GLU(GatedUnit):
    """Gated linear unit: the first half of `axis` gated by the second half.

    The output has half the size of `axis`, which must be even.

    Formula:
        f(x) = a * sigmoid(b), where [a, b] = split(x, 2, axis)

    Reference:
        Dauphin, Fan, Auli and Grangier 2017, https://arxiv.org/abs/1612.08083

    Args:
        axis: the (non-batch) axis to split. Defaults to `-1`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any, rank >= 2, even size along `axis`.

    Output shape: the input shape with `axis` halved.

    Example:
        >>> layer = keras_act.layers.GLU()
        >>> y = layer(np.array([[2.0, -1.0, 0.0, 0.5]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[ 1.    , -0.6225]], dtype=float32)
    """

    activation_id = "glu_custom"
    function = staticmethod(glu_custom)
