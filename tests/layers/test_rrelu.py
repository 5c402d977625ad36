"""RReLU: inference slope, training slopes, seeding, XLA."""

import numpy as np
import pytest

import keras
from keras_act.layers import RReLU
from tests.conftest import jit_compile


def test_inference_matches_tensorflow_addons_example():
    # tfa.activations.rrelu's own test: lower=0.1, upper=0.2, training=False.
    layer = RReLU(lower=0.1, upper=0.2)
    x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0], "float32")
    np.testing.assert_allclose(layer(x), [-0.3, -0.15, 0.0, 1.0, 2.0], rtol=1e-6)
    np.testing.assert_allclose(layer(x, training=False), layer(x))


def test_default_inference_slope_is_the_midpoint():
    out = RReLU()(np.array([-24.0], "float32"))
    np.testing.assert_allclose(out, [-24.0 * (1 / 8 + 1 / 3) / 2], rtol=1e-6)


def test_training_slopes_are_drawn_per_element_within_bounds():
    layer = RReLU(lower=0.1, upper=0.3, seed=1)
    x = -np.linspace(1.0, 2.0, 4000).astype("float32")
    slopes = np.asarray(layer(x, training=True)) / x
    assert slopes.min() >= 0.1 - 1e-6 and slopes.max() <= 0.3 + 1e-6
    assert len(np.unique(np.round(slopes, 5))) > 1000  # per element, not one draw
    assert abs(slopes.mean() - 0.2) < 0.01  # uniform: mean at the midpoint
    positive = np.abs(x)
    np.testing.assert_array_equal(layer(positive, training=True), positive)


def test_seeded_layers_reproduce_and_successive_calls_differ():
    x = -np.ones((64,), "float32")
    a, b = RReLU(seed=3), RReLU(seed=3)
    first_a, first_b = np.asarray(a(x, training=True)), np.asarray(b(x, training=True))
    np.testing.assert_array_equal(first_a, first_b)
    assert not np.array_equal(first_a, np.asarray(a(x, training=True)))
    assert not np.array_equal(first_a, np.asarray(RReLU(seed=4)(x, training=True)))


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason="a SeedGenerator advancing inside an XLA-compiled function is tf.function's stateful tracing (PyTorch has no XLA; "
    "jax.jit is pure: Keras's JAX trainer threads the seed state itself, and test_layer_contract trains RReLU with jit_compile)",
)
def test_training_draws_under_xla():
    layer = RReLU(lower=0.2, upper=0.4, seed=5)
    f = jit_compile(lambda x: layer(x, training=True))
    x = -np.ones((256,), "float32")
    first, second = np.asarray(f(x)), np.asarray(f(x))
    assert -0.4 - 1e-6 <= first.min() and first.max() <= -0.2 + 1e-6
    assert not np.array_equal(first, second)  # the seed state advances inside XLA


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(lower=-0.1), r"RReLU expected `lower` to be a finite number >= 0\. Received: lower=-0\.1\."),
        (dict(lower=0.5, upper=0.2), r"RReLU expected lower <= upper\. Received: lower=0\.5, upper=0\.2\."),
        (dict(seed=1.5), r"RReLU expected `seed` to be an integer\. Received: seed=1\.5\."),
    ],
)
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        RReLU(**kwargs)
