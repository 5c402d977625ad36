import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import hypothesis
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
