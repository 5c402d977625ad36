"""Threshold layer."""

from typing import Any

import keras

from keras_act.activations import threshold as threshold_fn
from keras_act import _validation


@keras.saving.register_keras_serializable(package="keras_act")
class Threshold(keras.layers.Layer):
    """Threshold: x above a cut-off, a constant value at and below it.

    As `torch.nn.Threshold`; both arguments are required, so it has no
    string id.

    Formula:
        f(x) = x if x > threshold else value

    Reference:
        PyTorch torch.nn.Threshold,
        https://pytorch.org/docs/stable/generated/torch.nn.Threshold.html

    Args:
        threshold: the cut-off.
        value: the output at and below the cut-off.

    Call arguments:
        inputs: the input tensor.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.Threshold(0.1, 20.0)
        >>> y = layer(np.array([[0.0, 0.5]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[20. ,  0.5]], dtype=float32)
    """

    activation_id = None

    def __init__(self, threshold: float, value: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.threshold = _validation.number("Threshold", "threshold", threshold)
        self.value = _validation.number("Threshold", "value", value)
        self.supports_masking = True

    def call(self, inputs):
        return threshold_fn(inputs, threshold=self.threshold, value=self.value)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold, "value": self.value}
