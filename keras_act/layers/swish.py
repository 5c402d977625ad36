"""Swish layer."""

import keras

from keras_act.activations import swish
from keras_act.layers import _checks


@keras.saving.register_keras_serializable(package="keras_act")
class Swish(keras.layers.Layer):
    """Swish, x * sigmoid(beta * x), with an optionally learned beta.

    With beta = 1 and `trainable_beta=False` it is `"silu_custom"`. With
    `trainable_beta=True` the layer learns one scalar beta, starting from
    `beta` (stored as a float32 weight, also under mixed precision).

    Formula:
        f(x) = x * sigmoid(beta * x)

    Reference:
        Ramachandran, Zoph and Le 2017, Searching for Activation Functions,
        https://arxiv.org/abs/1710.05941

    Args:
        beta: the slope of the gate (its initial value if trainable).
            Defaults to `1.0`.
        trainable_beta: learn beta. Defaults to `False`.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> keras_act.layers.Swish(beta=2.0, trainable_beta=True)(np.array([1.0]))
        [0.8807971]
    """

    activation_id = "silu_custom"

    def __init__(self, beta=1.0, trainable_beta=False, **kwargs):
        super().__init__(**kwargs)
        self.beta = _checks.number("Swish", "beta", beta)
        self.trainable_beta = _checks.boolean("Swish", "trainable_beta", trainable_beta)
        self.supports_masking = True

    def build(self, input_shape):
        self.beta_weight = None
        if self.trainable_beta:
            self.beta_weight = self.add_weight(
                shape=(), name="beta", initializer=keras.initializers.Constant(self.beta)
            )

    def call(self, inputs):
        beta = self.beta if self.beta_weight is None else self.beta_weight
        return swish(inputs, beta=beta)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "beta": self.beta, "trainable_beta": self.trainable_beta}
