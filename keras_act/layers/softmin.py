"""Softmin layer."""

import keras
from keras import ops

from keras_act.activations import softmin_custom
from keras_act.layers import _checks, _masking


@keras.saving.register_keras_serializable(package="keras_act")
class Softmin(keras.layers.Layer):
    """Softmin over an axis: softmax of -x; the smallest input weighs most.

    Formula:
        f(x)_i = exp(-x_i) / sum_j exp(-x_j)

    Args:
        axis: the (non-batch) axis to normalize over. Defaults to `-1`.

    Call arguments:
        inputs: the input tensor.
        mask: boolean (or 0/1) tensor broadcastable to `inputs`; masked-out
            positions get weight 0. Defaults to `None`.

    Input shape: any, rank >= 2. Output shape: same as the input.

    Example:
        >>> keras_act.layers.Softmin()(np.array([[0.0, 0.0]]))
        [[0.5, 0.5]]
    """

    activation_id = "softmin_custom"

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = _checks.integer("Softmin", "axis", axis)
        self.supports_masking = True

    def build(self, input_shape):
        _checks.axis_in_rank("Softmin", self.axis, len(input_shape))

    def call(self, inputs, mask=None):
        if mask is None:
            return softmin_custom(inputs, axis=self.axis)
        mask = _masking.as_bool(mask)
        outputs = softmin_custom(_masking.fill(inputs, mask, 1.0), axis=self.axis)
        return ops.where(mask, outputs, ops.zeros_like(outputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
