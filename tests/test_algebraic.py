"""squareplus_custom, sparse_plus_custom and sparse_sigmoid_custom beyond the registry-wide tests.

Keras 3 defines all three; keras_act must give Keras's values (kinks
included), and squareplus must stay finite and accurate where the formula
as written is not (float16 past |x| = 256, large negative x).
"""

import numpy as np
import pytest

import keras
import keras_act
from keras_act import _kernels
from tests.conftest import gradient
from tests.references import reference


def call(name, x, **kwargs):
    return keras.ops.convert_to_numpy(keras_act.get(name)(x, **kwargs))


GRID = np.concatenate([np.linspace(-4.0, 4.0, 801), [-1.0, 1.0, -1.0 - 1e-9, 1.0 + 1e-9, -1e3, 1e3]])


@pytest.mark.parametrize("name, builtin", [("sparse_plus_custom", "sparse_plus"), ("sparse_sigmoid_custom", "sparse_sigmoid"),
                                           ("squareplus_custom", "squareplus")])
def test_equals_the_keras_builtin(name, builtin):
    expected = keras.ops.convert_to_numpy(getattr(keras.activations, builtin)(GRID))
    # Keras's squareplus cancels x against sqrt(x^2 + b) for x < 0 (1e-10
    # relative at -1e3 in float64); keras_act does not (see below).
    rtol = 1e-9 if name == "squareplus_custom" else 1e-12
    np.testing.assert_allclose(call(name, GRID), expected, rtol=rtol, atol=1e-14)


def test_values_at_the_kinks_are_keras_values():
    x = np.array([-1.0, 1.0])
    np.testing.assert_array_equal(call("sparse_plus_custom", x), [0.0, 1.0])
    np.testing.assert_array_equal(call("sparse_sigmoid_custom", x), [0.0, 1.0])
    # The slopes there: TensorFlow's autodiff of Keras's nested tf.where.
    np.testing.assert_array_equal(gradient(keras_act.get("sparse_plus_custom"), x), [0.0, 1.0])
    np.testing.assert_array_equal(gradient(keras_act.get("sparse_sigmoid_custom"), x), [0.0, 0.0])


def test_sparse_plus_derivative_is_sparse_sigmoid():
    # The same code as sparse_sigmoid_custom's portable form (a native
    # kernel may round differently: tests/test_activations.py holds both to
    # the reference).
    x = np.linspace(-3.0, 3.0, 601)
    with _kernels.variant("portable"):
        expected = call("sparse_sigmoid_custom", x)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(keras_act.derivative("sparse_plus_custom")(x)), expected)


def test_sparse_sigmoid_is_the_two_class_sparsemax():
    t = np.linspace(-3.0, 3.0, 121)
    pairs = np.stack([t, np.zeros_like(t)], axis=-1)
    np.testing.assert_allclose(call("sparse_sigmoid_custom", t), call("sparsemax_custom", pairs)[:, 0], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("dtype, tol", [("float16", 1e-3), ("bfloat16", 8e-3), ("float32", 2e-7)])
def test_squareplus_float16_to_6e4(dtype, tol):
    x = np.array([-6e4, -3e4, -1e3, -300.0, -1.0, 0.0, 1.0, 300.0, 1e3, 3e4, 6e4])
    xt = keras.ops.cast(x, dtype)
    y = keras_act.get("squareplus_custom")(xt)
    assert keras.backend.standardize_dtype(y.dtype) == dtype
    y = keras.ops.convert_to_numpy(keras.ops.cast(y, "float64"))
    x_cast = keras.ops.convert_to_numpy(keras.ops.cast(xt, "float64"))
    expected = reference("squareplus_custom", x_cast)
    assert np.isfinite(y).all() and (y > 0).all()  # b / (4|x|) = 1.7e-5 at -6e4: a float16 subnormal, not 0
    np.testing.assert_allclose(y, expected, rtol=tol * 8)
    d = gradient(keras_act.get("squareplus_custom"), xt)
    assert np.isfinite(keras.ops.convert_to_numpy(keras.ops.cast(d, "float64"))).all()


def test_squareplus_is_accurate_for_large_negative_inputs():
    # The formula as written, (x + sqrt(x^2 + 4)) / 2, is 0 at -1e8 in
    # float64 and 0 at -1e4 in float32; the value is 1/|x| - 1/|x|^3 + ....
    x = np.array([-1e8, -1e4, -1e3])
    np.testing.assert_allclose(call("squareplus_custom", x), 1.0 / np.abs(x) * (1 - 1 / x**2 + 2 / x**4), rtol=1e-12)
    np.testing.assert_allclose(call("squareplus_custom", x.astype("float32")), 1.0 / np.abs(x), rtol=2e-6)
    d = keras.ops.convert_to_numpy(keras_act.derivative("squareplus_custom")(x))
    np.testing.assert_allclose(d, 1.0 / x**2 * (1 - 3 / x**2), rtol=1e-9)


@pytest.mark.parametrize("b", [0.25, 1.0, 9.0])
def test_squareplus_b(b):
    x = np.linspace(-20.0, 20.0, 401) + 1e-3
    np.testing.assert_allclose(call("squareplus_custom", x, b=b), reference("squareplus_custom", x, b=b), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(call("squareplus_custom", np.array([0.0]), b=b), [np.sqrt(b) / 2], rtol=1e-15)
    d = keras.ops.convert_to_numpy(keras_act.derivative("squareplus_custom")(x, b=b))
    np.testing.assert_allclose(d, (1 + x / np.sqrt(x * x + b)) / 2, rtol=1e-9)


@pytest.mark.parametrize("b", [0.0, -1.0])
def test_squareplus_b_must_be_positive(b):
    with pytest.raises(ValueError, match=rf"squareplus_custom expected `b` to be a finite number > 0 or a tensor\. Received: b={b!r}\."):
        keras_act.get("squareplus_custom")(np.ones(3), b=b)
