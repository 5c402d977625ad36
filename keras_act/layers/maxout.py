"""Maxout layer."""

from typing import Any

import keras

from keras_act.activations import maxout
from keras_act import _validation
from keras_act._record import defaults_of

_DEFAULTS = defaults_of(maxout)


@keras.saving.register_keras_serializable(package="keras_act")
class Maxout(keras.layers.Layer):
    """Maxout: the maximum over groups of an axis, `num_units` values out.

    Put it after a Dense (or Conv) with k * num_units outputs to get
    num_units maxout units of k linear pieces each. The grouping is the one
    of TensorFlow Addons' `tfa.layers.Maxout`, strided: unit u is the max
    of x[u], x[u + num_units], x[u + 2 * num_units], ... (not of a
    contiguous block), so weights ported from a TFA model give the same
    outputs.

    Formula:
        f(x)_u = max_j x[j * num_units + u],  j = 0 .. k - 1

    Reference:
        Goodfellow, Warde-Farley, Mirza, Courville and Bengio 2013,
        Maxout Networks, https://arxiv.org/abs/1302.4389

    Args:
        num_units: the number of outputs along `axis`; must divide the
            size of `axis`.
        axis: the (non-batch) axis to pool over. Defaults to `-1`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any, rank >= 2, size along `axis` a multiple of num_units.

    Output shape: the input shape with `axis` of size num_units.

    Example:
        >>> layer = keras_act.layers.Maxout(2)
        >>> y = layer(np.array([[1.0, 5.0, 3.0, 2.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[3., 5.]], dtype=float32)
    """

    activation_id = None

    def __init__(self, num_units: int, axis: int = _DEFAULTS["axis"], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.num_units = _validation.integer("Maxout", "num_units", num_units, minimum=1)
        self.axis = _validation.integer("Maxout", "axis", axis)

    def build(self, input_shape):
        _validation.axis_in_rank("Maxout", self.axis, len(input_shape))
        _validation.units_divide("Maxout", input_shape, self.axis, self.num_units, name="input_shape", known=True)

    def call(self, inputs):
        return maxout(inputs, num_units=self.num_units, axis=self.axis)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        shape[self.axis % len(shape)] = self.num_units
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "num_units": self.num_units, "axis": self.axis}
