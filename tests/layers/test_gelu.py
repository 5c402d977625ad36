"""The GELU layer: exact by default (PyTorch, keras_act), tanh when asked (TFA's default)."""

import math

import numpy as np
import pytest

import keras
from keras_act import layers

X = np.concatenate([np.linspace(-6.0, 6.0, 241), [-0.5, 0.5]])


def exact(x):
    return 0.5 * x * np.array([math.erfc(-v / math.sqrt(2.0)) for v in x])


def tanh_form(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


@pytest.mark.parametrize("approximate, reference", [(False, exact), (True, tanh_form)])
def test_against_numpy(approximate, reference):
    got = keras.ops.convert_to_numpy(layers.GELU(approximate=approximate, dtype="float64")(X))
    np.testing.assert_allclose(got, reference(X), rtol=1e-12, atol=1e-14)


def test_default_is_exact_and_the_forms_differ():
    layer = layers.GELU()
    assert layer.approximate is False and layer.get_config()["approximate"] is False
    x = np.array([-3.0, -1.5, 1.5, 3.0])
    exact_out = keras.ops.convert_to_numpy(layers.GELU(dtype="float64")(x))
    tanh_out = keras.ops.convert_to_numpy(layers.GELU(approximate=True, dtype="float64")(x))
    # rtol 1e-6: Keras's float64 forms cancel in 1 + erf and 1 + tanh, 1.7e-7
    # relative off at x = -3 (test_against_numpy holds keras_act to 1e-12).
    np.testing.assert_allclose(exact_out, keras.ops.convert_to_numpy(keras.activations.gelu(x, approximate=False)), rtol=1e-6)
    np.testing.assert_allclose(tanh_out, keras.ops.convert_to_numpy(keras.activations.gelu(x, approximate=True)), rtol=1e-6)
    assert np.abs(exact_out - tanh_out).max() > 1e-4  # a swapped branch is caught


def test_config_round_trip_keeps_approximate():
    clone = layers.GELU.from_config(layers.GELU(approximate=True).get_config())
    assert clone.approximate is True
    np.testing.assert_allclose(keras.ops.convert_to_numpy(clone(X.astype("float32"))), tanh_form(X), rtol=2e-6, atol=2e-7)


@pytest.mark.parametrize("value", ["tanh", 1, None])
def test_approximate_must_be_a_bool(value):
    with pytest.raises(ValueError, match=rf"GELU expected `approximate` to be True or False\. Received: approximate={value!r}\."):
        layers.GELU(approximate=value)
