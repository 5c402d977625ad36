"""RReLU layer."""

from typing import Any

import keras

from keras_act.activations import rrelu_custom
from keras_act import _validation
from keras_act._record import defaults_of

_DEFAULTS = defaults_of(rrelu_custom)


@keras.saving.register_keras_serializable(package="keras_act")
class RReLU(keras.layers.Layer):
    """Randomized leaky ReLU: a random negative slope in training.

    In training each element gets its own slope, drawn at every call from
    U(lower, upper), which regularizes; at inference the slope is fixed at
    (lower + upper) / 2, the `"rrelu_custom"` id. Draws come from a
    `keras.random.SeedGenerator`, so a seeded layer is reproducible and
    runs under XLA.

    Formula:
        f(x) = x if x >= 0 else a * x
        training: a ~ U(lower, upper); inference: a = (lower + upper) / 2

    Reference:
        Xu, Wang, Chen and Li 2015, Empirical Evaluation of Rectified
        Activations in Convolutional Network, https://arxiv.org/abs/1505.00853

    Args:
        lower: lower bound of the slope, >= 0. Defaults to `1/8`.
        upper: upper bound of the slope, >= lower. Both are 0 or normal
            float32 numbers, at most 3.4e38 (float64's range for a float64
            layer); float16 inputs are computed in float32 when one is not
            a normal float16. Defaults to `1/3`.
        seed: integer seed of the draws. Defaults to `None`.

    Call arguments:
        inputs: the input tensor.
        training: draw random slopes. Defaults to `False`.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.RReLU(lower=0.1, upper=0.2)
        >>> y = layer(np.array([[-2.0, -1.0, 0.0, 1.0, 2.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-0.3 , -0.15,  0.  ,  1.  ,  2.  ]], dtype=float32)
    """

    activation_id = "rrelu_custom"

    def __init__(
        self,
        lower: float = _DEFAULTS["lower"],
        upper: float = _DEFAULTS["upper"],
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.lower = _validation.number("RReLU", "lower", lower, minimum=0)
        self.upper = _validation.number("RReLU", "upper", upper, minimum=0)
        _validation.normal("RReLU", "lower", self.lower, self.compute_dtype, zero_ok=True)
        _validation.normal("RReLU", "upper", self.upper, self.compute_dtype, zero_ok=True)
        _validation.ordered("RReLU", "lower", lower, "upper", upper)
        if seed is not None:
            seed = _validation.integer("RReLU", "seed", seed)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True

    def call(self, inputs, training=False):
        return rrelu_custom(inputs, lower=self.lower, upper=self.upper, training=training, seed=self.seed_generator)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "lower": self.lower, "upper": self.upper, "seed": self.seed}
