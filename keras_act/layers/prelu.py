"""PReLU layer."""

from typing import Any

import keras

from keras_act.activations import prelu
from keras_act import _validation


@keras.saving.register_keras_serializable(package="keras_act")
class PReLU(keras.layers.Layer):
    """Parametric ReLU: a leaky ReLU whose slope is learned, one per channel.

    Differs from `keras.layers.PReLU` in two defaults. The slope starts at
    0.25 (He et al. 2015, PyTorch), not 0 (a plain ReLU). There is one
    slope per channel (the last axis), shared over batch and every other
    axis, so inputs with unknown (`None`) spatial or time dimensions work;
    Keras's layer has one slope per element of `input_shape[1:]`.

    At exactly x = 0 the gradient with respect to x is 0, as for
    `keras.layers.PReLU` (both compute relu(x) - alpha * relu(-x), and
    relu'(0) = 0); PyTorch's PReLU gives alpha there.

    Formula:
        f(x) = x if x > 0 else alpha * x

    Reference:
        He, Zhang, Ren and Sun 2015, Delving Deep into Rectifiers,
        https://arxiv.org/abs/1502.01852

    Args:
        alpha_initializer: initializer of the slopes.
            Defaults to `Constant(0.25)`.
        alpha_regularizer: regularizer of the slopes; by default, as in
            PyTorch, no weight decay on them. Defaults to `None`.
        alpha_constraint: constraint on the slopes. Defaults to `None`.
        shared_axes: axes (of the input, counting the batch as 0) along
            which the slope is shared as well. Every axis but the last is
            shared already, so this changes something only when it names
            the channel axis: then one slope serves the whole layer.
            `shared_axes=[1, 2]` (Keras's idiom for per-channel slopes in
            a Conv2D net) is accepted and gives the default.
            Defaults to `None`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any, rank >= 2, with a known last axis unless it is shared.

    Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.PReLU()
        >>> y = layer(np.array([[-4.0, 2.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-1.,  2.]], dtype=float32)
    """

    activation_id = None

    def __init__(
        self,
        alpha_initializer: str | dict[str, Any] | keras.initializers.Initializer | None = None,
        alpha_regularizer: str | dict[str, Any] | keras.regularizers.Regularizer | None = None,
        alpha_constraint: str | dict[str, Any] | keras.constraints.Constraint | None = None,
        shared_axes: int | list[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if alpha_initializer is None:
            alpha_initializer = keras.initializers.Constant(0.25)
        self.alpha_initializer = keras.initializers.get(alpha_initializer)
        self.alpha_regularizer = keras.regularizers.get(alpha_regularizer)
        self.alpha_constraint = keras.constraints.get(alpha_constraint)
        if _validation.is_integer(shared_axes):
            shared_axes = [shared_axes]
        if shared_axes is not None and not (
            isinstance(shared_axes, (list, tuple)) and all(_validation.is_integer(a) for a in shared_axes)
        ):
            _validation.refuse("PReLU", "`shared_axes` to be None, an int or a list of ints", shared_axes=shared_axes)
        self.shared_axes = None if shared_axes is None else [int(a) for a in shared_axes]
        self.supports_masking = True

    def build(self, input_shape):
        rank = len(input_shape)
        if rank < 2:
            _validation.refuse("PReLU", "inputs of rank >= 2 (batch, ..., channels)", input_shape=input_shape)
        shared = {_validation.axis_in_rank("PReLU", a, rank, "shared_axes") for a in self.shared_axes or ()}
        channels = input_shape[-1]
        if rank - 1 in shared:
            shape = (1,)
        elif channels is None:
            _validation.refuse(
                "PReLU", "a known size of the last (channel) axis, or the last axis in `shared_axes`",
                input_shape=input_shape,
            )
        else:
            shape = (channels,)
        self.alpha = self.add_weight(
            shape=shape,
            name="alpha",
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )

    def call(self, inputs):
        return prelu(inputs, self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "alpha_initializer": keras.initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": keras.regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": keras.constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
