"""PReLU: numpy reference, None spatial dims, shared_axes, weight options."""

import numpy as np
import pytest

import keras
from keras_act.layers import PReLU
from tests.conftest import variable_gradients


def prelu_np(x, alpha):
    return np.where(x > 0, x, alpha * x)


def test_default_alpha_is_a_quarter_per_channel_with_none_spatial_dims():
    layer = PReLU()
    model = keras.Sequential([keras.Input((None, None, 3)), layer])
    assert tuple(layer.alpha.shape) == (3,)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer.alpha), [0.25, 0.25, 0.25])
    x = np.random.RandomState(0).normal(size=(2, 5, 7, 3)).astype("float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(x)), prelu_np(x, 0.25), rtol=1e-6)
    x2 = np.random.RandomState(1).normal(size=(1, 2, 9, 3)).astype("float32")
    assert model(x2).shape == (1, 2, 9, 3)


def test_one_slope_per_channel_against_numpy():
    alpha = np.array([0.1, -0.5, 2.0], "float32")
    layer = PReLU(alpha_initializer=keras.initializers.Constant(alpha))
    x = np.random.RandomState(0).normal(size=(4, 6, 3)).astype("float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), prelu_np(x, alpha), rtol=1e-6)


def test_sharing_the_channel_axis_leaves_one_slope():
    layer = PReLU(shared_axes=[-1])
    layer.build((None, 4, 3))
    assert tuple(layer.alpha.shape) == (1,)


def test_keras_idiom_for_conv_slopes_gives_the_default():
    layer = PReLU(shared_axes=[1, 2])
    layer.build((None, 8, 8, 5))
    assert tuple(layer.alpha.shape) == (5,)


def test_gradient_of_alpha_against_numpy():
    layer = PReLU()
    x = np.random.RandomState(0).normal(size=(6, 4)).astype("float32")
    layer.build(x.shape)
    (grad,) = variable_gradients(lambda: layer(x), [layer.alpha])
    np.testing.assert_allclose(grad, np.minimum(x, 0).sum(axis=0), rtol=1e-5)


def test_regularizer_and_constraint_are_used():
    layer = PReLU(alpha_regularizer=keras.regularizers.L2(0.5), alpha_constraint=keras.constraints.NonNeg())
    model = keras.Sequential([keras.Input((3,)), layer])
    model(np.ones((1, 3), "float32"))
    np.testing.assert_allclose(float(keras.ops.convert_to_numpy(sum(model.losses))), 0.5 * 3 * 0.25**2, rtol=1e-6)
    model.compile(optimizer=keras.optimizers.SGD(10.0), loss="mse")
    # Pushing the slope down hard: the constraint holds it at >= 0.
    model.fit(-np.ones((4, 3), "float32"), np.full((4, 3), 5.0, "float32"), epochs=1, verbose=0)
    assert np.all(keras.ops.convert_to_numpy(layer.alpha) >= 0.0)
    config = layer.get_config()
    assert config["alpha_regularizer"]["class_name"] == "L2"
    assert config["alpha_constraint"]["class_name"] == "NonNeg"


@pytest.mark.parametrize("shared_axes", [[0], [3], [-4], [1, 5]])
def test_shared_axes_out_of_range_is_refused_in_build(shared_axes):
    layer = PReLU(shared_axes=shared_axes)
    with pytest.raises(ValueError, match=r"PReLU expected `shared_axes` to be a non-batch axis .* Received: shared_axes="):
        layer.build((None, 4, 3))


def test_unknown_channels_are_refused_unless_shared():
    with pytest.raises(ValueError, match=r"known size of the last \(channel\) axis.*Received: input_shape="):
        PReLU().build((None, 4, None))
    layer = PReLU(shared_axes=-1)
    layer.build((None, 4, None))
    assert tuple(layer.alpha.shape) == (1,)


@pytest.mark.parametrize("shared_axes", ["1", [1.0], 1.5, [True]])
def test_shared_axes_must_be_ints(shared_axes):
    with pytest.raises(ValueError, match=r"PReLU expected `shared_axes` to be None, an int or a list of ints\. Received: shared_axes="):
        PReLU(shared_axes=shared_axes)


def test_gradient_at_exactly_zero_is_zero_as_keras_prelu():
    # PyTorch's PReLU gives alpha here; keras_act, like keras.layers.PReLU
    # (relu(x) - alpha * relu(-x)) and TensorFlow's relu'(0), gives 0.
    from keras_act.activations import prelu
    from tests.conftest import gradient

    x = np.array([[-1.0, 0.0, 1.0]], "float32")
    layer = PReLU(alpha_initializer=keras.initializers.Constant(0.25))
    layer.build(x.shape)
    np.testing.assert_array_equal(gradient(layer, x), [[0.25, 0.0, 1.0]])
    np.testing.assert_array_equal(gradient(lambda t: prelu(t, 0.25), x), [[0.25, 0.0, 1.0]])
    keras_prelu = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25))
    keras_prelu.build(x.shape)
    np.testing.assert_array_equal(gradient(keras_prelu, x), [[0.25, 0.0, 1.0]])
