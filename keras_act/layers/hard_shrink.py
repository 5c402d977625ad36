"""HardShrink layer."""

from typing import Any

import keras

from keras_act.activations import hard_shrink_custom
from keras_act import _validation
from keras_act._record import defaults_of

_DEFAULTS = defaults_of(hard_shrink_custom)


@keras.saving.register_keras_serializable(package="keras_act")
class HardShrink(keras.layers.Layer):
    """Hard shrinkage: zero inside [-threshold, threshold], x outside.

    Use it to zero small activations exactly (sparse codes, denoising) while
    leaving large ones unchanged.

    Formula:
        f(x) = x if |x| > threshold else 0

    Reference:
        Donoho and Johnstone 1994, https://doi.org/10.1093/biomet/81.3.425

    Args:
        threshold: half-width of the zero band, >= 0. Defaults to `0.5`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.HardShrink(1.0)
        >>> y = layer(np.array([[-2.0, 0.5, 1.5]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-2. ,  0. ,  1.5]], dtype=float32)
    """

    activation_id = "hard_shrink_custom"

    def __init__(self, threshold: float = _DEFAULTS["threshold"], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.threshold = _validation.number("HardShrink", "threshold", threshold, minimum=0)
        self.supports_masking = True

    def call(self, inputs):
        return hard_shrink_custom(inputs, threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}
