"""The parametrized elementwise layers against numpy, with non-default arguments."""

import numpy as np
import pytest

import keras
from keras_act import layers
from tests.conftest import variable_gradients


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


REFERENCES = {
    "LeakyReLU": (dict(negative_slope=0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    "ELU": (dict(alpha=0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x))),
    "CELU": (dict(alpha=2.0), lambda x: np.where(x > 0, x, 2.0 * np.expm1(x / 2.0))),
    "HardShrink": (dict(threshold=1.5), lambda x: np.where(np.abs(x) > 1.5, x, 0.0)),
    "SoftShrink": (dict(threshold=1.5), lambda x: np.sign(x) * np.maximum(np.abs(x) - 1.5, 0.0)),
    "HardTanh": (dict(min_val=-0.5, max_val=2.0), lambda x: np.clip(x, -0.5, 2.0)),
    "Threshold": (dict(threshold=0.7, value=-3.0), lambda x: np.where(x > 0.7, x, -3.0)),
    "Softplus": (
        dict(beta=2.0, threshold=5.0),
        lambda x: np.where(2.0 * x > 5.0, x, np.log1p(np.exp(2.0 * x)) / 2.0),
    ),
    "Swish": (dict(beta=1.7), lambda x: x * _sigmoid(1.7 * x)),
    "Snake": (dict(frequency=2.5), lambda x: x + np.sin(2.5 * x) ** 2 / 2.5),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_against_numpy(name):
    kwargs, reference = REFERENCES[name]
    x = np.concatenate([np.linspace(-6.0, 6.0, 241), [-1.5, 0.7, 1.5, 2.5]]).astype("float64")
    got = keras.ops.convert_to_numpy(getattr(layers, name)(dtype="float64", **kwargs)(x))
    np.testing.assert_allclose(got, reference(x), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name, param", [("Swish", "beta"), ("Snake", "frequency")])
def test_trainable_parameter_gets_the_autodiff_gradient(name, param):
    layer = getattr(layers, name)(**{param: 1.3, f"trainable_{param}": True}, dtype="float64")
    x = np.linspace(-3.0, 3.0, 13)
    layer.build(x.shape)
    weight = layer.trainable_weights[0]
    (grad,) = variable_gradients(lambda: layer(x), [weight])
    grad = float(grad)
    eps = 1e-6
    plus = keras.ops.convert_to_numpy(getattr(layers, name)(**{param: 1.3 + eps}, dtype="float64")(x))
    minus = keras.ops.convert_to_numpy(getattr(layers, name)(**{param: 1.3 - eps}, dtype="float64")(x))
    numeric = float(np.sum(plus) - np.sum(minus)) / (2 * eps)
    assert abs(grad - numeric) < 1e-5 * max(1.0, abs(numeric))
    assert abs(grad) > 1e-3
    np.testing.assert_allclose(float(keras.ops.convert_to_numpy(weight)), 1.3)


def test_fixed_parameters_make_no_weights():
    for layer in (layers.Swish(beta=2.0), layers.Snake(frequency=2.0)):
        layer.build((None, 3))
        assert layer.weights == []
