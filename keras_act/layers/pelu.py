"""PELU layer."""

from typing import Any

import keras

from keras_act.activations import pelu
from keras_act import _validation

# The floor the default constraint keeps a and b at.
MIN_PARAMETER = 0.1


@keras.saving.register_keras_serializable(package="keras_act")
class MinValue(keras.constraints.Constraint):
    """Constraint: every weight at least `min_value` (clipped after each update).

    Args:
        min_value: the floor. Defaults to `0.1`.
    """

    def __init__(self, min_value=MIN_PARAMETER):
        self.min_value = _validation.number("MinValue", "min_value", min_value)

    def __call__(self, w):
        return keras.ops.maximum(w, keras.ops.cast(self.min_value, w.dtype))

    def get_config(self):
        return {"min_value": self.min_value}


def _per_channel(layer, input_shape):
    if len(input_shape) < 2 or input_shape[-1] is None:
        _validation.refuse(
            layer, "inputs of rank >= 2 with a known last (channel) axis", input_shape=tuple(input_shape)
        )
    return (input_shape[-1],)


@keras.saving.register_keras_serializable(package="keras_act")
class PELU(keras.layers.Layer):
    """Parametric ELU: an ELU that learns its slope and saturation per channel.

    Two positive parameters per channel (the last axis, shared over batch
    and every other axis, as keras_act's PReLU): `a` sets the negative
    saturation (-a) and, with `b`, the slope a / b for x >= 0; `b` the
    scale of the exponential decay. Both start at 1, where PELU is ELU, as
    in the paper. The paper requires a, b > 0; here a constraint clips
    them at 0.1 or more after each optimizer step (`MinValue(0.1)`, the
    default `a_constraint` and `b_constraint`), so that a / b and x / b
    stay bounded. Pass another constraint to change the floor (one that
    lets them reach 0 or below makes the function undefined).

    Formula:
        f(x) = (a / b) * x           if x >= 0
               a * (exp(x / b) - 1)  if x < 0

    Reference:
        Trottier, Giguere and Chaib-draa 2017, Parametric Exponential Linear
        Unit for Deep Convolutional Neural Networks,
        https://arxiv.org/abs/1605.09332

    Args:
        a_initializer: initializer of a. Defaults to `Constant(1.0)`.
        b_initializer: initializer of b. Defaults to `Constant(1.0)`.
        a_regularizer: regularizer of a. Defaults to `None`.
        b_regularizer: regularizer of b. Defaults to `None`.
        a_constraint: constraint on a. Defaults to `MinValue(0.1)`.
        b_constraint: constraint on b. Defaults to `MinValue(0.1)`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any, rank >= 2, with a known last axis.

    Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.PELU()
        >>> y = layer(np.array([[-1.0, 2.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-0.6321,  2.    ]], dtype=float32)
    """

    activation_id = None

    def __init__(
        self,
        a_initializer: str | dict[str, Any] | keras.initializers.Initializer | None = None,
        b_initializer: str | dict[str, Any] | keras.initializers.Initializer | None = None,
        a_regularizer: str | dict[str, Any] | keras.regularizers.Regularizer | None = None,
        b_regularizer: str | dict[str, Any] | keras.regularizers.Regularizer | None = None,
        a_constraint: str | dict[str, Any] | keras.constraints.Constraint | None = None,
        b_constraint: str | dict[str, Any] | keras.constraints.Constraint | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.a_initializer = keras.initializers.get(a_initializer or keras.initializers.Constant(1.0))
        self.b_initializer = keras.initializers.get(b_initializer or keras.initializers.Constant(1.0))
        self.a_regularizer = keras.regularizers.get(a_regularizer)
        self.b_regularizer = keras.regularizers.get(b_regularizer)
        self.a_constraint = keras.constraints.get(a_constraint or MinValue(MIN_PARAMETER))
        self.b_constraint = keras.constraints.get(b_constraint or MinValue(MIN_PARAMETER))
        self.supports_masking = True

    def build(self, input_shape):
        shape = _per_channel("PELU", input_shape)
        self.a = self.add_weight(
            shape=shape, name="a", initializer=self.a_initializer,
            regularizer=self.a_regularizer, constraint=self.a_constraint,
        )
        self.b = self.add_weight(
            shape=shape, name="b", initializer=self.b_initializer,
            regularizer=self.b_regularizer, constraint=self.b_constraint,
        )

    def call(self, inputs):
        return pelu(inputs, self.a, self.b)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "a_initializer": keras.initializers.serialize(self.a_initializer),
            "b_initializer": keras.initializers.serialize(self.b_initializer),
            "a_regularizer": keras.regularizers.serialize(self.a_regularizer),
            "b_regularizer": keras.regularizers.serialize(self.b_regularizer),
            "a_constraint": keras.constraints.serialize(self.a_constraint),
            "b_constraint": keras.constraints.serialize(self.b_constraint),
        }
