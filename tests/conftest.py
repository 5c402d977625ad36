import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# float64 exists on JAX only with x64 enabled; `make test` sets it too.
os.environ.setdefault("JAX_ENABLE_X64", "1")

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


BACKEND = keras.backend.backend()


def _has_float64():
    if BACKEND == "jax":
        import jax

        return bool(jax.config.jax_enable_x64)
    return True


# jit_compile=True is XLA on TensorFlow and JAX; on PyTorch it is torch.compile
# (dynamo + inductor, which builds C++ on the CPU: minutes per model here).
# test_every_layer_trains_under_fit[True] puts every layer through it once;
# the other tests that compile a model do so where it means XLA.
COMPILE = BACKEND != "torch"

# The float dtypes the active backend offers, sorted (float64 last where it exists).
FLOAT_DTYPES = ["bfloat16", "float16", "float32"] + (["float64"] if _has_float64() else [])


def pytest_collection_modifyitems(config, items):
    # `make test` runs the suite once per backend and sets
    # KERAS_ACT_ONCE_TESTS=0 after the first: tests marked `once` do not
    # depend on the backend, so they are deselected (and counted so) there.
    if os.environ.get("KERAS_ACT_ONCE_TESTS") != "0":
        return
    once = [item for item in items if item.get_closest_marker("once")]
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = [item for item in items if not item.get_closest_marker("once")]


@pytest.fixture(autouse=True)
def _seed_and_reset():
    keras.utils.set_random_seed(1234)
    yield
    keras.config.set_dtype_policy("float32")


def gradient(fn, x):
    """d sum(fn(x)) / dx as a numpy array, by the active backend's autodiff.

    Tests import it (`from tests.conftest import gradient`) so that they
    stay backend-neutral: a weighted sum is
    `gradient(lambda t: keras.ops.multiply(fn(t), w), x)` (on torch, a tensor
    times a numpy array is numpy's product and fails).
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


def jit_compile(fn):
    """`fn` compiled with XLA: tf.function(jit_compile=True) or jax.jit."""
    if BACKEND == "tensorflow":
        import tensorflow as tf

        return tf.function(fn, jit_compile=True)
    if BACKEND == "jax":
        import jax

        return jax.jit(fn)
    pytest.skip(f"no XLA compiler on the {BACKEND!r} backend")


def variable_gradients(fn, variables):
    """d fn() / d v for each Keras variable, as numpy arrays, by the active
    backend's autodiff (keras_act._backend.gradients: tf.GradientTape,
    jax.value_and_grad, torch.autograd); `fn()` returns a tensor, summed."""
    from keras_act._backend import gradients

    _, grads = gradients(lambda: keras.ops.sum(fn()), variables)
    return [None if g is None else keras.ops.convert_to_numpy(g) for g in grads]
