"""SReLU layer."""

from typing import Any

import keras

from keras_act.activations import srelu
from keras_act.layers.pelu import _per_channel

_NAMES = ("t_left", "a_left", "t_right", "a_right")


def _default_initializers():
    # keras-contrib's data-free defaults (see the class docstring).
    return {
        "t_left": keras.initializers.Zeros(),
        "a_left": keras.initializers.RandomUniform(minval=0.0, maxval=1.0),
        "t_right": keras.initializers.RandomUniform(minval=0.0, maxval=5.0),
        "a_right": keras.initializers.Ones(),
    }


@keras.saving.register_keras_serializable(package="keras_act")
class SReLU(keras.layers.Layer):
    """S-shaped ReLU: the identity between two learned thresholds, learned
    slopes beyond them, four parameters per channel.

    One t_left, a_left, t_right, a_right per channel (the last axis, shared
    over batch and every other axis, as keras_act's PReLU). Where a learned
    t_right falls below t_left, the right threshold is t_left (the middle
    piece vanishes; see `keras_act.activations.srelu`).

    Initialization: the paper's "adaptive initialization" depends on the
    data: the unit is trained as a leaky ReLU for the first epochs (t_left
    = 0, a_right = 1, a_left fixed), then t_right is set from a high
    percentile of the unit's inputs. A layer cannot do that from its
    arguments, so this one uses the data-free defaults of keras-contrib's
    SReLU, the Keras layer the paper's users ported: t_left = 0, a_left ~
    U(0, 1), t_right ~ U(0, 5), a_right = 1 (at the start every unit is a
    leaky ReLU of random slope whose identity piece reaches a random
    height). Unlike keras-contrib's, `get_config` serializes the
    initializers, so the layer reloads (keras-contrib returned the raw
    initializer objects, which cannot be written to a config), and t_right
    is the threshold itself (keras-contrib learned t_right - t_left).

    Formula:
        f(x) = t_right + a_right * (x - t_right)   if x >= t_right
               x                                   if t_left < x < t_right
               t_left + a_left * (x - t_left)      if x <= t_left

    Reference:
        Jin, Xu, Feng, Wei, Xiong and Yan 2016, Deep Learning with S-shaped
        Rectified Linear Activation Units, https://arxiv.org/abs/1512.07030

    Args:
        t_left_initializer: initializer of t_left. Defaults to `Zeros()`.
        a_left_initializer: initializer of a_left.
            Defaults to `RandomUniform(0, 1)`.
        t_right_initializer: initializer of t_right.
            Defaults to `RandomUniform(0, 5)`.
        a_right_initializer: initializer of a_right. Defaults to `Ones()`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any, rank >= 2, with a known last axis.

    Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.SReLU(a_left_initializer="zeros", t_right_initializer=keras.initializers.Constant(1.0))
        >>> y = layer(np.array([[-2.0, 0.5, 3.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[0. , 0.5, 3. ]], dtype=float32)
    """

    activation_id = None

    def __init__(
        self,
        t_left_initializer: str | dict[str, Any] | keras.initializers.Initializer | None = None,
        a_left_initializer: str | dict[str, Any] | keras.initializers.Initializer | None = None,
        t_right_initializer: str | dict[str, Any] | keras.initializers.Initializer | None = None,
        a_right_initializer: str | dict[str, Any] | keras.initializers.Initializer | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        defaults = _default_initializers()
        given = (t_left_initializer, a_left_initializer, t_right_initializer, a_right_initializer)
        for name, value in zip(_NAMES, given):
            setattr(self, f"{name}_initializer", keras.initializers.get(defaults[name] if value is None else value))
        self.supports_masking = True

    def build(self, input_shape):
        shape = _per_channel("SReLU", input_shape)
        for name in _NAMES:
            setattr(self, name, self.add_weight(shape=shape, name=name, initializer=getattr(self, f"{name}_initializer")))

    def call(self, inputs):
        return srelu(inputs, self.t_left, self.a_left, self.t_right, self.a_right)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        for name in _NAMES:
            config[f"{name}_initializer"] = keras.initializers.serialize(getattr(self, f"{name}_initializer"))
        return config
