"""Swish layer."""

from typing import Any

import keras

from keras_act.activations import swish
from keras_act import _validation
from keras_act._record import defaults_of

_DEFAULTS = defaults_of(swish)


@keras.saving.register_keras_serializable(package="keras_act")
class Swish(keras.layers.Layer):
    """Swish, x * sigmoid(beta * x), with an optionally learned beta.

    With beta = 1 and `trainable_beta=False` it is `"silu_custom"`. With
    `trainable_beta=True` the layer learns one scalar beta, starting from
    `beta` (a float32 weight, also under mixed precision and in a float16
    layer, where the gate is computed in float32: beta * x would overflow).

    Formula:
        f(x) = x * sigmoid(beta * x)

    Reference:
        Ramachandran, Zoph and Le 2017, Searching for Activation Functions,
        https://arxiv.org/abs/1710.05941

    Args:
        beta: the slope of the gate (its initial value if trainable);
            0 or a normal float32 number, at most 3.4e38 in magnitude
            (float64's range for a float64 layer). Defaults to `1.0`.
        trainable_beta: learn beta. Defaults to `False`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.Swish(beta=2.0, trainable_beta=True)
        >>> y = layer(np.array([[-1.0, 0.0, 1.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-0.1192,  0.    ,  0.8808]], dtype=float32)
    """

    activation_id = "silu_custom"

    def __init__(self, beta: float = _DEFAULTS["beta"], trainable_beta: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.beta = _validation.number("Swish", "beta", beta)
        _validation.normal("Swish", "beta", self.beta, self.compute_dtype, zero_ok=True)
        self.trainable_beta = _validation.boolean("Swish", "trainable_beta", trainable_beta)
        self.supports_masking = True

    def build(self, input_shape):
        self.beta_weight = None
        if self.trainable_beta:
            self.beta_weight = self.add_weight(
                shape=(),
                name="beta",
                initializer=keras.initializers.Constant(self.beta),
                dtype="float64" if self.variable_dtype == "float64" else "float32",
                autocast=False,
            )

    def call(self, inputs):
        beta = self.beta if self.beta_weight is None else self.beta_weight
        return swish(inputs, beta=beta)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "beta": self.beta, "trainable_beta": self.trainable_beta}
