"""Softplus layer."""

from typing import Any

import keras

from keras_act.activations import softplus_custom
from keras_act import _validation
from keras_act._record import defaults_of

_DEFAULTS = defaults_of(softplus_custom)


@keras.saving.register_keras_serializable(package="keras_act")
class Softplus(keras.layers.Layer):
    """Softplus with PyTorch's beta and threshold.

    Use it as a smooth ReLU or for a positive output (a scale, a rate); where
    beta * x exceeds `threshold` it returns x, as PyTorch's does.

    Formula:
        f(x) = log(1 + exp(beta * x)) / beta   if beta * x <= threshold
               x                               otherwise

    Reference:
        Dugas, Bengio, Belisle, Nadeau and Garcia 2001, NeurIPS 13.

    Args:
        beta: sharpness, > 0, and a normal float32 number, between
            1.2e-38 and 3.4e38 (float64's range for a float64 layer), for
            the reason given for CELU's alpha. Defaults to `1.0`.
        threshold: where beta * x exceeds it, the output is x.
            Defaults to `20.0`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.Softplus(beta=2.0)
        >>> y = layer(np.array([[0.0, 30.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[ 0.3466, 30.    ]], dtype=float32)
    """

    activation_id = "softplus_custom"

    def __init__(
        self, beta: float = _DEFAULTS["beta"], threshold: float = _DEFAULTS["threshold"], **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.beta = _validation.number("Softplus", "beta", beta, minimum=0, strict=True)
        _validation.normal("Softplus", "beta", self.beta, self.compute_dtype)
        self.threshold = _validation.number("Softplus", "threshold", threshold)
        self.supports_masking = True

    def call(self, inputs):
        return softplus_custom(inputs, beta=self.beta, threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "beta": self.beta, "threshold": self.threshold}
