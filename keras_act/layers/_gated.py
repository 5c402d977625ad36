"""What GLU, SwiGLU, GeGLU and ReGLU share: split `axis` in halves, gate one by the other."""

from typing import Any

import keras

from keras_act.layers import _checks


class GatedUnit(keras.layers.Layer):
    """Base of GLU and its variants: `function(inputs, axis)` halves `axis`."""

    activation_id = None
    function = None

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = _checks.integer(type(self).__name__, "axis", axis)

    def build(self, input_shape):
        name = type(self).__name__
        axis = _checks.axis_in_rank(name, self.axis, len(input_shape))
        size = input_shape[axis]
        if size is None or size % 2 != 0:
            raise ValueError(
                f"{name} expected an even, known size along `axis` (it splits it in two halves). "
                f"Received: input_shape={tuple(input_shape)} with axis={self.axis}. "
                "Give the preceding layer 2 * d units for d outputs."
            )

    def call(self, inputs):
        return type(self).function(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        axis = self.axis % len(shape)
        shape[axis] = None if shape[axis] is None else shape[axis] // 2
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
