"""Softmin layer."""

from typing import Any

import keras
from keras import ops

from keras_act.activations import softmin_custom
from keras_act import _validation
from keras_act._record import defaults_of
from keras_act.layers import _masking

_DEFAULTS = defaults_of(softmin_custom)


@keras.saving.register_keras_serializable(package="keras_act")
class Softmin(keras.layers.Layer):
    """Softmin over an axis: softmax of -x; the smallest input weighs most.

    Use it to turn costs or distances into weights, the smallest weighing most.

    Formula:
        f(x)_i = exp(-x_i) / sum_j exp(-x_j)

    Reference:
        PyTorch torch.nn.Softmin,
        https://pytorch.org/docs/stable/generated/torch.nn.Softmin.html

    Args:
        axis: the (non-batch) axis to normalize over, or a tuple of axes
            (normalized over jointly, as `keras.layers.Softmax`). Defaults to `-1`.

    Call arguments:
        inputs: the input tensor.
        mask: boolean (or 0/1) tensor broadcastable to `inputs` without
            changing their shape (else a `ValueError`, as Keras's Softmax); masked-out
            positions get weight 0. Defaults to `None`.

    Input shape: any, rank >= 2. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.Softmin()
        >>> y = layer(np.array([[0.0, 0.0, 1.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[0.4223, 0.4223, 0.1554]], dtype=float32)
    """

    activation_id = "softmin_custom"

    def __init__(self, axis: int | tuple[int, ...] = _DEFAULTS["axis"], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = _validation.axes("Softmin", "axis", axis)
        self.supports_masking = True

    def build(self, input_shape):
        # Non-negative axes: keras.ops.softmax refuses a tuple of negative ones.
        self._axis = _validation.axis_in_rank("Softmin", self.axis, len(input_shape))

    def call(self, inputs, mask=None):
        if mask is None:
            return softmin_custom(inputs, axis=self._axis)
        _masking.check_broadcastable("Softmin", inputs, mask)
        mask = _masking.as_bool(mask)
        outputs = softmin_custom(_masking.fill(inputs, mask, 1.0), axis=self._axis)
        return ops.where(mask, outputs, ops.zeros_like(outputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        # A tuple axis is written as a list, as JSON would turn it anyway.
        axis = list(self.axis) if isinstance(self.axis, tuple) else self.axis
        return {**super().get_config(), "axis": axis}
