import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import hypothesis
import numpy as np
import keras
import pytest

import keras_act  # noqa: F401  (registers every id before any test runs)

hypothesis.settings.register_profile(
    "keras_act",
    deadline=None,  # the first call of a TF function traces; wall time says nothing here
    max_examples=60,
    derandomize=True,  # the same examples on every run: CI must be stable
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
hypothesis.settings.load_profile("keras_act")


@pytest.fixture(autouse=True)
def _seed_and_reset():
    keras.utils.set_random_seed(1234)
    yield
    keras.config.set_dtype_policy("float32")


def gradient(fn, x):
    """d sum(fn(x)) / dx as a numpy array, by the active backend's autodiff.

    Tests import it (`from tests.conftest import gradient`) so that they
    stay backend-neutral: a weighted sum is `gradient(lambda t: fn(t) * w, x)`.
    """
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        t = tf.convert_to_tensor(x)
        with tf.GradientTape() as tape:
            tape.watch(t)
            total = keras.ops.sum(fn(t))
        return keras.ops.convert_to_numpy(tape.gradient(total, t))
    if backend == "jax":
        import jax

        return np.asarray(jax.grad(lambda t: keras.ops.sum(fn(t)))(keras.ops.convert_to_tensor(x)))
    if backend == "torch":
        t = keras.ops.convert_to_tensor(x).detach().requires_grad_(True)
        keras.ops.sum(fn(t)).backward()
        return keras.ops.convert_to_numpy(t.grad)
    pytest.skip(f"tests.conftest.gradient has no autodiff for the {backend!r} backend")
