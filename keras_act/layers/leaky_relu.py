"""LeakyReLU layer."""

from typing import Any

import keras

from keras_act.activations import leaky_relu_custom
from keras_act import _validation
from keras_act._record import defaults_of

_DEFAULTS = defaults_of(leaky_relu_custom)


@keras.saving.register_keras_serializable(package="keras_act")
class LeakyReLU(keras.layers.Layer):
    """Leaky ReLU with PyTorch's default slope 0.01.

    `keras.layers.LeakyReLU` defaults to 0.3; this layer is the
    `"leaky_relu_custom"` id with its slope as an argument, so it also
    serves as `Dense(64, activation=LeakyReLU(negative_slope=0.2))`.

    Formula:
        f(x) = x if x > 0 else negative_slope * x

    Reference:
        Maas, Hannun and Ng 2013,
        https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf

    Args:
        negative_slope: slope for x < 0, >= 0: 0 or a normal float32
            number, at most 3.4e38 (float64's range for a float64 layer);
            float16 inputs are computed in float32 when it is not a normal
            float16 (above 65504 it is inf there, and inf * 0 = NaN).
            Defaults to `0.01`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.LeakyReLU(0.1)
        >>> y = layer(np.array([[-2.0, 3.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-0.2,  3. ]], dtype=float32)
    """

    activation_id = "leaky_relu_custom"

    def __init__(self, negative_slope: float = _DEFAULTS["negative_slope"], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.negative_slope = _validation.number("LeakyReLU", "negative_slope", negative_slope, minimum=0)
        _validation.normal("LeakyReLU", "negative_slope", self.negative_slope, self.compute_dtype, zero_ok=True)
        self.supports_masking = True

    def call(self, inputs):
        return leaky_relu_custom(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}
