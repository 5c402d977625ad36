"""GELU layer."""

from typing import Any

import keras

from keras_act.activations import gelu_custom, gelu_tanh_custom
from keras_act import _validation


@keras.saving.register_keras_serializable(package="keras_act")
class GELU(keras.layers.Layer):
    """Gaussian error linear unit, exact or with the tanh approximation.

    The default is the exact form, as PyTorch's `torch.nn.GELU()` and
    `keras.activations.gelu`; TensorFlow Addons' `tfa.layers.GELU`
    defaulted to `approximate=True` (and `keras.ops.gelu` still does), so
    pass `approximate=True` to reproduce a TFA model.

    Formula:
        exact:       f(x) = x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2)))
        approximate: f(x) = 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))

    Reference:
        Hendrycks and Gimpel 2016, https://arxiv.org/abs/1606.08415

    Args:
        approximate: use the tanh approximation (`"gelu_tanh_custom"`)
            instead of the exact form (`"gelu_custom"`). Defaults to `False`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.GELU()
        >>> y = layer(np.array([[-1.0, 0.0, 1.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-0.1587,  0.    ,  0.8413]], dtype=float32)
    """

    activation_id = "gelu_custom"

    def __init__(self, approximate: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.approximate = _validation.boolean("GELU", "approximate", approximate)
        self.supports_masking = True

    def call(self, inputs):
        if self.approximate:
            return gelu_tanh_custom(inputs)
        return gelu_custom(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "approximate": self.approximate}
