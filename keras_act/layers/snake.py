"""Snake layer."""

import keras

from keras_act.activations import snake_custom
from keras_act.layers import _checks


@keras.saving.register_keras_serializable(package="keras_act")
class Snake(keras.layers.Layer):
    """Snake, x + sin^2(f * x) / f, with an optionally learned frequency.

    For data with periodic structure. With `trainable_frequency=True` the
    layer learns one scalar frequency, starting from `frequency` (a float32
    weight, also under mixed precision); it should stay away from 0, where
    the formula divides by it.

    Formula:
        f(x) = x + sin(frequency * x)^2 / frequency

    Reference:
        Ziyin, Hartwig and Ueda 2020, https://arxiv.org/abs/2006.08195

    Args:
        frequency: the frequency (its initial value if trainable), > 0.
            Defaults to `1.0`.
        trainable_frequency: learn the frequency. Defaults to `False`.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> keras_act.layers.Snake()(np.array([0.0, np.pi / 2]))
        [0.0, 2.5707964]
    """

    activation_id = "snake_custom"

    def __init__(self, frequency=1.0, trainable_frequency=False, **kwargs):
        super().__init__(**kwargs)
        self.frequency = _checks.number("Snake", "frequency", frequency, minimum=0, strict=True)
        self.trainable_frequency = _checks.boolean("Snake", "trainable_frequency", trainable_frequency)
        self.supports_masking = True

    def build(self, input_shape):
        self.frequency_weight = None
        if self.trainable_frequency:
            self.frequency_weight = self.add_weight(
                shape=(), name="frequency", initializer=keras.initializers.Constant(self.frequency)
            )

    def call(self, inputs):
        frequency = self.frequency if self.frequency_weight is None else self.frequency_weight
        return snake_custom(inputs, frequency=frequency)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "frequency": self.frequency,
            "trainable_frequency": self.trainable_frequency,
        }
