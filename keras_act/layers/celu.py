"""CELU layer."""

from typing import Any

import keras

from keras_act.activations import celu_custom
from keras_act import _validation
from keras_act._record import defaults_of

_DEFAULTS = defaults_of(celu_custom)


@keras.saving.register_keras_serializable(package="keras_act")
class CELU(keras.layers.Layer):
    """Continuously differentiable ELU: C1 for every alpha.

    Use it where ELU's derivative should be continuous at 0 for any alpha; with
    alpha = 1 it is ELU.

    Formula:
        f(x) = x if x > 0 else alpha * (exp(x / alpha) - 1)

    Reference:
        Barron 2017, https://arxiv.org/abs/1704.07483

    Args:
        alpha: the negative saturation value is -alpha; > 0, and a
            normal float32 number, between 1.2e-38 and 3.4e38 (float64's
            range for a float64 layer): its arithmetic runs in float32 at
            least (float16 inputs are upcast when alpha is not a normal
            float16), and beyond those limits alpha rounds to 0 or inf and
            the output to NaN. Defaults to `1.0`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.CELU(alpha=2.0)
        >>> y = layer(np.array([[-50.0, -1.0, 1.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-2.    , -0.7869,  1.    ]], dtype=float32)
    """

    activation_id = "celu_custom"

    def __init__(self, alpha: float = _DEFAULTS["alpha"], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.alpha = _validation.number("CELU", "alpha", alpha, minimum=0, strict=True)
        _validation.normal("CELU", "alpha", self.alpha, self.compute_dtype)
        self.supports_masking = True

    def call(self, inputs):
        return celu_custom(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}
