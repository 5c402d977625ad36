"""LogSoftmax layer."""

from typing import Any

import keras

from keras_act.activations import log_softmax_custom
from keras_act import _validation
from keras_act._record import defaults_of
from keras_act.layers import _masking

_DEFAULTS = defaults_of(log_softmax_custom)


@keras.saving.register_keras_serializable(package="keras_act")
class LogSoftmax(keras.layers.Layer):
    """Log of the softmax over an axis, computed stably.

    Use it before a negative log-likelihood loss: it never takes the log of a
    probability rounded to 0.

    Formula:
        f(x)_i = x_i - log(sum_j exp(x_j))

    Reference:
        Bridle 1990, https://doi.org/10.1007/978-3-642-76153-9_28

    Args:
        axis: the (non-batch) axis to normalize over, or a tuple of axes
            (normalized over jointly, as `keras.layers.Softmax`). Defaults to `-1`.

    Call arguments:
        inputs: the logits.
        mask: boolean (or 0/1) tensor broadcastable to `inputs` without
            changing their shape (else a `ValueError`, as Keras's Softmax); masked-out
            positions are left out of the normalizer (their own outputs are
            very negative, not meaningful). Defaults to `None`.

    Input shape: any, rank >= 2. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.LogSoftmax()
        >>> y = layer(np.array([[0.0, 0.0, 1.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-1.5514, -1.5514, -0.5514]], dtype=float32)
    """

    activation_id = "log_softmax_custom"

    def __init__(self, axis: int | tuple[int, ...] = _DEFAULTS["axis"], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = _validation.axes("LogSoftmax", "axis", axis)
        self.supports_masking = True

    def build(self, input_shape):
        # Non-negative axes: keras.ops.softmax refuses a tuple of negative ones.
        self._axis = _validation.axis_in_rank("LogSoftmax", self.axis, len(input_shape))

    def call(self, inputs, mask=None):
        if mask is not None:
            _masking.check_broadcastable("LogSoftmax", inputs, mask)
            inputs = _masking.fill(inputs, _masking.as_bool(mask), -1.0)
        return log_softmax_custom(inputs, axis=self._axis)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        # A tuple axis is written as a list, as JSON would turn it anyway.
        axis = list(self.axis) if isinstance(self.axis, tuple) else self.axis
        return {**super().get_config(), "axis": axis}
