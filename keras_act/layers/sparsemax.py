"""Sparsemax layer."""

from typing import Any

import keras

from keras_act.activations import sparsemax_custom
from keras_act import _validation
from keras_act._record import defaults_of

_DEFAULTS = defaults_of(sparsemax_custom)


@keras.saving.register_keras_serializable(package="keras_act")
class Sparsemax(keras.layers.Layer):
    """Sparsemax over an axis: a probability distribution with exact zeros.

    The Euclidean projection of the inputs onto the probability simplex.
    Replaces TensorFlow Addons' `tfa.layers.Sparsemax(axis)`; unlike Keras
    3.15.1's `keras.activations.sparsemax` it is right when several inputs
    share the support (keras-team/keras#23425).

    Formula:
        f(x)_i = max(x_i - tau(x), 0), with tau such that sum_i f(x)_i = 1

    Reference:
        Martins and Astudillo 2016, https://arxiv.org/abs/1602.02068

    Args:
        axis: the (non-batch) axis to normalize over. Defaults to `-1`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any, rank >= 2. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.Sparsemax()
        >>> y = layer(np.array([[1.0, 0.9, 0.8, -1.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[0.4333, 0.3333, 0.2333, 0.    ]], dtype=float32)
    """

    activation_id = "sparsemax_custom"

    def __init__(self, axis: int = _DEFAULTS["axis"], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = _validation.integer("Sparsemax", "axis", axis)

    def build(self, input_shape):
        _validation.axis_in_rank("Sparsemax", self.axis, len(input_shape))

    def call(self, inputs):
        return sparsemax_custom(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
