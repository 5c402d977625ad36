"""Maxout: TFA's strided grouping, against a numpy reshape-max."""

import numpy as np
import pytest

import keras
from keras_act.layers import Maxout


def maxout_np(x, num_units, axis):
    # tfa.layers.Maxout: reshape `axis` to (k, num_units), max over k.
    axis = axis % x.ndim
    k = x.shape[axis] // num_units
    shape = x.shape[:axis] + (k, num_units) + x.shape[axis + 1 :]
    return x.reshape(shape).max(axis=axis)


@pytest.mark.parametrize("shape, num_units, axis", [((4, 12), 3, -1), ((2, 6, 5), 2, 1), ((2, 3, 4, 8), 4, -1)])
def test_against_numpy_strided_reshape_max(shape, num_units, axis):
    x = np.random.RandomState(0).normal(size=shape).astype("float32")
    np.testing.assert_allclose(Maxout(num_units, axis=axis)(x), maxout_np(x, num_units, axis))


def test_grouping_is_strided_not_contiguous():
    x = np.array([[1.0, 5.0, 3.0, 2.0]], "float32")
    # Strided: unit 0 = max(x0, x2) = 3, unit 1 = max(x1, x3) = 5.
    # (Contiguous blocks would give max(x0, x1) = 5, max(x2, x3) = 3.)
    np.testing.assert_array_equal(Maxout(2)(x), [[3.0, 5.0]])


def test_unknown_batch_and_time_dims():
    model = keras.Sequential([keras.Input((None, 6)), Maxout(3)])
    assert tuple(model.output_shape) == (None, None, 3)
    x = np.random.RandomState(0).normal(size=(2, 5, 6)).astype("float32")
    np.testing.assert_allclose(model(x), maxout_np(x, 3, -1))


def test_size_not_a_multiple_is_refused_in_build():
    with pytest.raises(ValueError, match=r"Maxout expected a known size along `axis` that is a multiple of num_units=4\. Received: input_shape=\(None, 6\)"):
        Maxout(4).build((None, 6))


@pytest.mark.parametrize("num_units", [0, -2, 2.0, None])
def test_num_units_must_be_a_positive_int(num_units):
    with pytest.raises(ValueError, match=r"Maxout expected `num_units` to be an integer >= 1\. Received: num_units="):
        Maxout(num_units)


def test_batch_axis_is_refused():
    with pytest.raises(ValueError, match=r"Maxout expected `axis` to be a non-batch axis .*Received: axis=0\."):
        Maxout(2, axis=0).build((None, 4))
