"""Snake layer."""

from typing import Any

import keras

from keras_act.activations import snake_custom
from keras_act import _validation
from keras_act._record import defaults_of

# The smallest frequency whose square is a normal float32 number.
MIN_TRAINABLE_FREQUENCY = 2.0**-63


class _AtLeast(keras.constraints.Constraint):
    # Not serialized: the layer makes it in build, from no argument.
    def __init__(self, minimum):
        self.minimum = minimum

    def __call__(self, w):
        return keras.ops.maximum(w, keras.ops.cast(self.minimum, w.dtype))


_DEFAULTS = defaults_of(snake_custom)


@keras.saving.register_keras_serializable(package="keras_act")
class Snake(keras.layers.Layer):
    """Snake, x + sin^2(f * x) / f, with an optionally learned frequency.

    For data with periodic structure. With `trainable_frequency=True` the
    layer learns one scalar frequency, starting from `frequency` (a float32
    weight, also under mixed precision and in a float16 layer, where the
    layer computes in float32). A constraint keeps the learned frequency at
    or above 2**-63 (1.1e-19), the smallest value whose square is a normal
    float32 number: the gradient with respect to the frequency divides by
    its square, and at 0 or below the formula is undefined or not Snake.

    Formula:
        f(x) = x + sin(frequency * x)^2 / frequency

    Reference:
        Ziyin, Hartwig and Ueda 2020, https://arxiv.org/abs/2006.08195

    Args:
        frequency: the frequency (its initial value if trainable), > 0,
            and a normal float32 number, between 1.2e-38 and 3.4e38
            (float64's range for a float64 layer): its arithmetic runs in
            float32 at least, and beyond those limits it rounds to 0 or inf
            and the output to NaN. At least 2**-63 when trainable.
            Defaults to `1.0`.
        trainable_frequency: learn the frequency. Defaults to `False`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.Snake()
        >>> y = layer(np.array([[0.0, 1.0, 2.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[0.    , 1.7081, 2.8268]], dtype=float32)
    """

    activation_id = "snake_custom"

    def __init__(
        self, frequency: float = _DEFAULTS["frequency"], trainable_frequency: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.frequency = _validation.number("Snake", "frequency", frequency, minimum=0, strict=True)
        _validation.normal("Snake", "frequency", self.frequency, self.compute_dtype)
        self.trainable_frequency = _validation.boolean("Snake", "trainable_frequency", trainable_frequency)
        if self.trainable_frequency and self.frequency < MIN_TRAINABLE_FREQUENCY:
            _validation.refuse(
                "Snake",
                "`frequency` to be at least 2**-63 (1.08e-19) when trainable_frequency=True: its constraint keeps "
                "the learned frequency there, because the gradient divides by its square",
                "Start from a larger frequency.",
                frequency=frequency,
            )
        self.supports_masking = True

    def build(self, input_shape):
        self.frequency_weight = None
        if self.trainable_frequency:
            self.frequency_weight = self.add_weight(
                shape=(),
                name="frequency",
                initializer=keras.initializers.Constant(self.frequency),
                constraint=_AtLeast(MIN_TRAINABLE_FREQUENCY),
                dtype="float64" if self.variable_dtype == "float64" else "float32",
                autocast=False,
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
