"""SoftShrink layer."""

from typing import Any

import keras

from keras_act.activations import soft_shrink_custom
from keras_act import _validation
from keras_act._record import defaults_of

_DEFAULTS = defaults_of(soft_shrink_custom)


@keras.saving.register_keras_serializable(package="keras_act")
class SoftShrink(keras.layers.Layer):
    """Soft shrinkage: moves x toward zero by threshold, zero inside the band.

    Use it for sparse codes and denoising: the proximal operator of threshold *
    |x|, continuous unlike `HardShrink`.

    Formula:
        f(x) = x - threshold if x > threshold,
               x + threshold if x < -threshold,
               0 otherwise

    Reference:
        Donoho 1995, https://doi.org/10.1109/18.382009

    Args:
        threshold: half-width of the zero band, >= 0. Defaults to `0.5`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.SoftShrink(1.0)
        >>> y = layer(np.array([[-2.0, 0.5, 1.5]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-1. ,  0. ,  0.5]], dtype=float32)
    """

    activation_id = "soft_shrink_custom"

    def __init__(self, threshold: float = _DEFAULTS["threshold"], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.threshold = _validation.number("SoftShrink", "threshold", threshold, minimum=0)
        self.supports_masking = True

    def call(self, inputs):
        return soft_shrink_custom(inputs, threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}
