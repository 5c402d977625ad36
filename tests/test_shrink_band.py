"""hard_shrink_band and soft_shrink_band against TensorFlow Addons' definitions.

The expectations of TFA's own tests (tensorflow_addons/activations/tests/
hardshrink_test.py and softshrink_test.py, TFA 0.23) are ported as they
stand; the asymmetric bands, which TFA accepts but never tested, are
checked against numpy written from TFA's docstrings:
hardshrink(x) = x if x < lower or x > upper else 0, and
softshrink(x) = x - lower if x < lower, x - upper if x > upper, else 0.
"""

import numpy as np
import pytest

import keras
from keras_act.activations import hard_shrink_band, hard_shrink_custom, soft_shrink_band, soft_shrink_custom
from tests.conftest import gradient

# TFA's assert_allclose_according_to_type tolerances.
TOLERANCE = {"float16": 1e-3, "float32": 1e-6, "float64": 1e-6}


def numpy_hardshrink(x, lower, upper):
    return np.where((x < lower) | (x > upper), x, 0.0)


def numpy_softshrink(x, lower, upper):
    return np.where(x < lower, x - lower, np.where(x > upper, x - upper, 0.0))


def to_numpy(y):
    return keras.ops.convert_to_numpy(y)


@pytest.mark.parametrize("dtype", sorted(TOLERANCE))
def test_tfa_hardshrink_expectations(dtype):
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], dtype)
    tol = TOLERANCE[dtype]
    y = hard_shrink_band(x)
    assert keras.backend.standardize_dtype(y.dtype) == dtype
    np.testing.assert_allclose(to_numpy(y), [-2.0, 0.0, 0.0, 0.0, 2.0], rtol=tol, atol=tol)
    np.testing.assert_allclose(to_numpy(hard_shrink_band(x, lower=-1.0, upper=1.0)), [-2.0, 0.0, 0.0, 0.0, 2.0], rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", sorted(TOLERANCE))
def test_tfa_softshrink_expectations(dtype):
    x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0], dtype)
    tol = TOLERANCE[dtype]
    y = soft_shrink_band(x)
    assert keras.backend.standardize_dtype(y.dtype) == dtype
    np.testing.assert_allclose(to_numpy(y), [-1.5, -0.5, 0.0, 0.5, 1.5], rtol=tol, atol=tol)
    np.testing.assert_allclose(to_numpy(soft_shrink_band(x, lower=-1.0, upper=1.0)), [-1.0, 0.0, 0.0, 0.0, 1.0], rtol=tol, atol=tol)


BANDS = [(-1.0, 0.25), (-0.2, 1.5), (0.3, 0.8), (-2.0, -0.5), (0.0, 0.0), (0.7, 0.7)]


@pytest.mark.parametrize("lower, upper", BANDS)
def test_asymmetric_bands_against_numpy(lower, upper):
    x = np.concatenate([np.linspace(-3.0, 3.0, 601), [lower, upper, upper + 1e-12, lower - 1e-12]])
    np.testing.assert_array_equal(to_numpy(hard_shrink_band(x, lower, upper)), numpy_hardshrink(x, lower, upper))
    np.testing.assert_allclose(to_numpy(soft_shrink_band(x, lower, upper)), numpy_softshrink(x, lower, upper), rtol=1e-15, atol=0)
    # The band's ends belong to the band, as TFA's strict comparisons say.
    np.testing.assert_array_equal(to_numpy(hard_shrink_band(np.array([lower, upper]), lower, upper)), [0.0, 0.0])


@pytest.mark.parametrize("lower, upper", BANDS)
def test_band_gradients_are_one_outside_and_zero_inside(lower, upper):
    x = np.linspace(-3.0, 3.0, 601) + 1e-3
    outside = ((x < lower) | (x > upper)).astype("float64")
    assert outside.any() and (lower == upper or not outside.all())
    for fn in (hard_shrink_band, soft_shrink_band):
        np.testing.assert_array_equal(gradient(lambda t: fn(t, lower, upper), x), outside)


@pytest.mark.parametrize("threshold", [0.0, 0.5, 1.7])
def test_symmetric_shrinks_are_the_band_of_minus_t_to_t(threshold):
    x = np.random.default_rng(0).normal(scale=2.0, size=1000).astype("float32")
    x[:4] = [threshold, -threshold, np.nan, 0.0]
    for symmetric, band in ((hard_shrink_custom, hard_shrink_band), (soft_shrink_custom, soft_shrink_band)):
        np.testing.assert_array_equal(to_numpy(symmetric(x, threshold)), to_numpy(band(x, -threshold, threshold)))


def test_nan_stays_nan_and_only_there():
    x = np.array([np.nan, -2.0, 0.1, 2.0], "float32")
    for fn in (hard_shrink_band, soft_shrink_band):
        y = to_numpy(fn(x, -0.5, 1.0))
        assert np.isnan(y[0]) and np.isfinite(y[1:]).all()


@pytest.mark.parametrize("fn", [hard_shrink_band, soft_shrink_band])
def test_lower_above_upper_is_refused(fn):
    name = fn.__name__
    with pytest.raises(ValueError, match=rf"{name} expected lower <= upper.*Received: lower=1\.0, upper=-1\.0\."):
        fn(np.ones(3), lower=1.0, upper=-1.0)
