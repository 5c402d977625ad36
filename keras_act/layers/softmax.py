"""Softmax layer."""

from typing import Any

import keras
from keras import ops

from keras_act.activations import softmax_custom
from keras_act import _validation
from keras_act._record import defaults_of
from keras_act.layers import _masking

_DEFAULTS = defaults_of(softmax_custom)


@keras.saving.register_keras_serializable(package="keras_act")
class Softmax(keras.layers.Layer):
    """Softmax over an axis, with an optional mask as `keras.layers.Softmax`.

    Use it for class probabilities or attention weights; masked positions get
    probability 0. Without a mask, a crossentropy loss on TensorFlow computes
    from its inputs (the logits), as after `keras.layers.Softmax`; with a mask,
    as Keras's, it hands the loss probabilities only.

    Formula:
        f(x)_i = exp(x_i) / sum_j exp(x_j)

    Reference:
        Bridle 1990, https://doi.org/10.1007/978-3-642-76153-9_28

    Args:
        axis: the (non-batch) axis to normalize over, or a tuple of axes
            (normalized over jointly, as `keras.layers.Softmax`). Defaults to `-1`.

    Call arguments:
        inputs: the logits.
        mask: boolean (or 0/1) tensor broadcastable to `inputs` without
            changing their shape (else a `ValueError`, as Keras's Softmax); masked-out
            positions get probability 0. Defaults to `None`.

    Input shape: any, rank >= 2. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.Softmax()
        >>> y = layer(np.array([[1.0, 1.0, 5.0]], "float32"), mask=np.array([[1, 1, 0]]))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[0.5, 0.5, 0. ]], dtype=float32)
    """

    activation_id = "softmax_custom"

    def __init__(self, axis: int | tuple[int, ...] = _DEFAULTS["axis"], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = _validation.axes("Softmax", "axis", axis)
        self.supports_masking = True

    def build(self, input_shape):
        # Non-negative axes: keras.ops.softmax refuses a tuple of negative ones.
        self._axis = _validation.axis_in_rank("Softmax", self.axis, len(input_shape))

    def call(self, inputs, mask=None):
        if mask is None:
            return softmax_custom(inputs, axis=self._axis)
        _masking.check_broadcastable("Softmax", inputs, mask)
        mask = _masking.as_bool(mask)
        outputs = softmax_custom(_masking.fill(inputs, mask, -1.0), axis=self._axis)
        # A fully masked row would otherwise come out uniform.
        return ops.where(mask, outputs, ops.zeros_like(outputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        # A tuple axis is written as a list, as JSON would turn it anyway.
        axis = list(self.axis) if isinstance(self.axis, tuple) else self.axis
        return {**super().get_config(), "axis": axis}
