"""ELU layer."""

from typing import Any

import keras

from keras_act.activations import elu_custom
from keras_act import _validation
from keras_act._record import defaults_of

_DEFAULTS = defaults_of(elu_custom)


@keras.saving.register_keras_serializable(package="keras_act")
class ELU(keras.layers.Layer):
    """Exponential linear unit, with its saturation value as an argument.

    Use it for ReLU-like networks whose mean activations should stay near zero;
    alpha sets how far below zero the outputs reach.

    Formula:
        f(x) = x if x > 0 else alpha * (exp(x) - 1)

    Reference:
        Clevert, Unterthiner and Hochreiter 2015,
        https://arxiv.org/abs/1511.07289

    Args:
        alpha: the negative saturation value is -alpha; > 0, and a
            normal float32 number, at most 3.4e38 (float64's range for a
            float64 layer); float16 inputs are computed in float32 when it
            is not a normal float16. Defaults to `1.0`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.ELU(alpha=0.5)
        >>> y = layer(np.array([[-20.0, -1.0, 1.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-0.5   , -0.3161,  1.    ]], dtype=float32)
    """

    activation_id = "elu_custom"

    def __init__(self, alpha: float = _DEFAULTS["alpha"], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.alpha = _validation.number("ELU", "alpha", alpha, minimum=0, strict=True)
        _validation.normal("ELU", "alpha", self.alpha, self.compute_dtype)
        self.supports_masking = True

    def call(self, inputs):
        return elu_custom(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}
