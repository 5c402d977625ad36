"""StarReLU layer."""

import math

from typing import Any

import keras
import numpy as np

from keras_act.activations.polynomial import star_relu
from keras_act import _validation

# For x ~ N(0, 1), relu(x)^2 has mean 1/2 and variance 3/2 - 1/4 = 5/4:
# the scale and bias that give it mean 0 and variance 1.
SCALE = 1.0 / math.sqrt(1.25)
BIAS = -0.5 / math.sqrt(1.25)


@keras.saving.register_keras_serializable(package="keras_act")
class StarReLU(keras.layers.Layer):
    """StarReLU: squared ReLU with a learned scale and bias, s * relu(x)^2 + b.

    The activation of the MetaFormer baselines. The paper derives its
    initial values from standard-normal inputs, where relu(x)^2 has mean
    1/2 and variance 5/4: s = 1/sqrt(1.25) = 0.8944 and b = -0.5 s =
    -0.4472 give outputs of mean 0 and variance 1. (The class in the
    authors' code defaults to scale_value=1.0, bias_value=0.0; the paper's
    text gives 0.8944 and -0.4472, used here.) s and b are two scalar
    float32 weights, shared by every channel; either can be frozen, as in
    the authors' code.

    Formula:
        f(x) = s * relu(x)^2 + b

    Reference:
        Yu, Si, Zhou, Yu, Wang, Feng and Yan 2022, MetaFormer Baselines for
        Vision, https://arxiv.org/abs/2210.13452

    Args:
        scale_value: initial s, a finite number (the default is 0.8944).
            Defaults to `1/sqrt(1.25)`.
        bias_value: initial b, a finite number (the default is -0.4472).
            Defaults to `-0.5/sqrt(1.25)`.
        scale_learnable: learn s. Defaults to `True`.
        bias_learnable: learn b. Defaults to `True`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.StarReLU()
        >>> y = layer(np.array([[-1.0, 0.0, 1.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-0.4472, -0.4472,  0.4472]], dtype=float32)
    """

    activation_id = None

    def __init__(
        self,
        scale_value: float = SCALE,
        bias_value: float = BIAS,
        scale_learnable: bool = True,
        bias_learnable: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.scale_value = _validation.number("StarReLU", "scale_value", scale_value)
        self.bias_value = _validation.number("StarReLU", "bias_value", bias_value)
        self.scale_learnable = _validation.boolean("StarReLU", "scale_learnable", scale_learnable)
        self.bias_learnable = _validation.boolean("StarReLU", "bias_learnable", bias_learnable)
        self.supports_masking = True

    def build(self, input_shape):
        self.scale = self.add_weight(
            shape=(), name="scale", initializer=keras.initializers.Constant(np.asarray(self.scale_value, self.variable_dtype)),
            trainable=self.scale_learnable,
        )
        self.bias = self.add_weight(
            shape=(), name="bias", initializer=keras.initializers.Constant(np.asarray(self.bias_value, self.variable_dtype)),
            trainable=self.bias_learnable,
        )

    def call(self, inputs):
        return star_relu(inputs, self.scale, self.bias)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "scale_value": self.scale_value,
            "bias_value": self.bias_value,
            "scale_learnable": self.scale_learnable,
            "bias_learnable": self.bias_learnable,
        }
