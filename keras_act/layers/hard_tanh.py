"""HardTanh layer."""

from typing import Any

import keras

from keras_act.activations import hard_tanh_custom
from keras_act import _validation
from keras_act._record import defaults_of

_DEFAULTS = defaults_of(hard_tanh_custom)


@keras.saving.register_keras_serializable(package="keras_act")
class HardTanh(keras.layers.Layer):
    """Piecewise-linear tanh: the identity clipped to [min_val, max_val].

    Use it for a cheap bounded activation or to clip values to a known range;
    `HardTanh(0.0, 6.0)` is ReLU6.

    Formula:
        f(x) = min(max(x, min_val), max_val)

    Reference:
        Collobert 2004 (PhD thesis),
        https://publications.idiap.ch/downloads/papers/2004/collobert_2004_phd.pdf

    Args:
        min_val: lower bound. Defaults to `-1.0`.
        max_val: upper bound, > min_val. Defaults to `1.0`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.HardTanh(0.0, 6.0)
        >>> y = layer(np.array([[-1.0, 3.0, 9.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[0., 3., 6.]], dtype=float32)
    """

    activation_id = "hard_tanh_custom"

    def __init__(
        self, min_val: float = _DEFAULTS["min_val"], max_val: float = _DEFAULTS["max_val"], **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.min_val = _validation.number("HardTanh", "min_val", min_val)
        self.max_val = _validation.number("HardTanh", "max_val", max_val)
        _validation.ordered("HardTanh", "min_val", min_val, "max_val", max_val, strict=True)
        self.supports_masking = True

    def call(self, inputs):
        return hard_tanh_custom(inputs, min_val=self.min_val, max_val=self.max_val)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "min_val": self.min_val, "max_val": self.max_val}
