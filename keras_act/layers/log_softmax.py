"""LogSoftmax layer."""

import keras

from keras_act.activations import log_softmax_custom
from keras_act.layers import _checks, _masking


@keras.saving.register_keras_serializable(package="keras_act")
class LogSoftmax(keras.layers.Layer):
    """Log of the softmax over an axis, computed stably.

    Formula:
        f(x)_i = x_i - log(sum_j exp(x_j))

    Reference:
        Bridle 1990, https://doi.org/10.1007/978-3-642-76153-9_28

    Args:
        axis: the (non-batch) axis to normalize over. Defaults to `-1`.

    Call arguments:
        inputs: the logits.
        mask: boolean (or 0/1) tensor broadcastable to `inputs`; masked-out
            positions are left out of the normalizer (their own outputs are
            very negative, not meaningful). Defaults to `None`.

    Input shape: any, rank >= 2. Output shape: same as the input.

    Example:
        >>> keras_act.layers.LogSoftmax()(np.array([[0.0, 0.0]]))
        [[-0.6931472, -0.6931472]]
    """

    activation_id = "log_softmax_custom"

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = _checks.integer("LogSoftmax", "axis", axis)
        self.supports_masking = True

    def build(self, input_shape):
        _checks.axis_in_rank("LogSoftmax", self.axis, len(input_shape))

    def call(self, inputs, mask=None):
        if mask is not None:
            inputs = _masking.fill(inputs, _masking.as_bool(mask), -1.0)
        return log_softmax_custom(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
