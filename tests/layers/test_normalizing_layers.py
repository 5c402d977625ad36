"""Softmax, LogSoftmax, Softmin and GLU against numpy; the Softmax mask."""

import numpy as np
import pytest

import keras
from keras_act import layers


def softmax_np(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


X = np.random.RandomState(0).normal(scale=3.0, size=(2, 4, 5))


@pytest.mark.parametrize("axis", [-1, 1])
def test_softmax_family_against_numpy(axis):
    np.testing.assert_allclose(layers.Softmax(axis, dtype="float64")(X), softmax_np(X, axis), rtol=1e-12)
    np.testing.assert_allclose(layers.LogSoftmax(axis, dtype="float64")(X), np.log(softmax_np(X, axis)), rtol=1e-10)
    np.testing.assert_allclose(layers.Softmin(axis, dtype="float64")(X), softmax_np(-X, axis), rtol=1e-12)


def test_softmax_mask_matches_keras_softmax():
    rng = np.random.RandomState(1)
    x = rng.normal(size=(3, 6)).astype("float32")
    mask = rng.uniform(size=(3, 6)) > 0.4
    mask[2] = False  # a fully masked row comes out as zeros, as in Keras
    ours = layers.Softmax()(x, mask=mask)
    np.testing.assert_allclose(ours, keras.layers.Softmax()(x, mask=mask), rtol=1e-6, atol=1e-7)
    assert np.all(np.asarray(ours)[~mask] == 0.0)
    np.testing.assert_allclose(np.asarray(ours)[:2].sum(axis=-1), [1.0, 1.0], rtol=1e-6)


def test_softmin_and_log_softmax_masks_leave_out_masked_positions():
    x = np.array([[1.0, 2.0, -50.0]], "float32")
    mask = np.array([[True, True, False]])
    np.testing.assert_allclose(layers.Softmin()(x, mask=mask), [[*softmax_np(-x[:, :2], -1)[0], 0.0]], rtol=1e-6)
    np.testing.assert_allclose(
        np.asarray(layers.LogSoftmax()(x, mask=mask))[:, :2], np.log(softmax_np(x[:, :2], -1)), rtol=1e-6
    )


@pytest.mark.parametrize("axis", [-1, 1])
def test_glu_against_numpy(axis):
    x = np.random.RandomState(2).normal(size=(2, 6, 4))
    a, b = np.split(x, 2, axis=axis)
    layer = layers.GLU(axis, dtype="float64")
    np.testing.assert_allclose(layer(x), a / (1.0 + np.exp(-b)), rtol=1e-12)
    assert tuple(layer.compute_output_shape((None, 6, 4))) == (None, *a.shape[1:])


def test_glu_refuses_an_odd_axis():
    with pytest.raises(ValueError, match=r"GLU expected an even, known size along `axis`.*Received: input_shape=\(None, 5\), axis=-1\."):
        layers.GLU().build((None, 5))
