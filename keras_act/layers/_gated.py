"""What GLU, SwiGLU, GeGLU and ReGLU share: split `axis` in halves, gate one by the other."""

from typing import Any

import keras

from keras_act import _validation
from keras_act._record import defaults_of
from keras_act.activations import glu_custom

# The axis every gated unit splits by default: glu_custom's, and each
# subclass's function is held to it (a default written once).
_DEFAULTS = defaults_of(glu_custom)


class GatedUnit(keras.layers.Layer):
    """Base of GLU and its variants: `function(inputs, axis)` halves `axis`."""

    activation_id = None
    function = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.function is not None and defaults_of(cls.function) != _DEFAULTS:
            raise TypeError(
                f"{cls.__name__}'s function {cls.function.__name__} defaults to {defaults_of(cls.function)}, "
                f"GatedUnit's __init__ to {_DEFAULTS}: give the gated functions one default axis."
            )

    def __init__(self, axis: int = _DEFAULTS["axis"], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = _validation.integer(type(self).__name__, "axis", axis)

    def build(self, input_shape):
        name = type(self).__name__
        _validation.axis_in_rank(name, self.axis, len(input_shape))
        _validation.even_halves(name, input_shape, self.axis, name="input_shape", known=True)

    def call(self, inputs):
        return type(self).function(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        axis = self.axis % len(shape)
        shape[axis] = None if shape[axis] is None else shape[axis] // 2
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
