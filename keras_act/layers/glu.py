"""GLU layer."""

from typing import Any

import keras

from keras_act.activations import glu_custom
from keras_act.layers import _checks


@keras.saving.register_keras_serializable(package="keras_act")
class GLU(keras.layers.Layer):
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

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = _checks.integer("GLU", "axis", axis)

    def build(self, input_shape):
        axis = _checks.axis_in_rank("GLU", self.axis, len(input_shape))
        size = input_shape[axis]
        if size is None or size % 2 != 0:
            raise ValueError(
                "GLU expected an even, known size along `axis` (it splits it in two halves). "
                f"Received: input_shape={tuple(input_shape)} with axis={self.axis}."
            )

    def call(self, inputs):
        return glu_custom(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        axis = self.axis % len(shape)
        shape[axis] = None if shape[axis] is None else shape[axis] // 2
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
