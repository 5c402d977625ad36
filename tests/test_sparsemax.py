"""sparsemax_custom and the Sparsemax layer: TensorFlow Addons' own tests, ported.

tensorflow_addons/activations/tests/sparsemax_test.py and
tensorflow_addons/layers/tests/sparsemax_test.py (TFA 0.23): the same
inputs, seeds, numpy reference and tolerances
(`assert_allclose_according_to_type`: 1e-6, float16 1e-3), on whichever
Keras backend is active. Then what TFA did not test: the analytic
gradient, float16/bfloat16, +-1e4 inputs, other axes and ranks, XLA,
None dimensions, and Keras 3.15.1's wrong `keras.activations.sparsemax`.
"""

import numpy as np
import pytest

import keras
from keras_act import layers
from keras_act.activations import sparsemax_custom
from tests.conftest import COMPILE, gradient
from tests.references import reference

TEST_OBS = 17


def _np_sparsemax(z):
    # TFA's reference, verbatim: rows of a 2-D array.
    z = z - np.mean(z, axis=1)[:, np.newaxis]
    z_sorted = np.sort(z, axis=1)[:, ::-1]
    z_cumsum = np.cumsum(z_sorted, axis=1)
    k = np.arange(1, z.shape[1] + 1)
    z_check = 1 + k * z_sorted > z_cumsum
    k_z = z.shape[1] - np.argmax(z_check[:, ::-1], axis=1)
    tau_sum = z_cumsum[np.arange(0, z.shape[0]), k_z - 1]
    tau_z = ((tau_sum - 1) / k_z).reshape(-1, 1)
    return np.maximum(0, z - tau_z)


def sparsemax(z, **kwargs):
    return keras.ops.convert_to_numpy(sparsemax_custom(z, **kwargs))


def assert_close_according_to_type(expected, actual, half_atol=1e-3):
    # TFA's tolerances: 1e-6, float16 1e-3 (half_atol where a test widens it).
    expected, actual = np.asarray(expected), np.asarray(actual)
    tol = half_atol if np.float16 in (expected.dtype, actual.dtype) else 1e-6
    np.testing.assert_allclose(expected, actual, rtol=max(tol, 1e-6), atol=max(tol, 1e-6))


DTYPES = ["float32", "float64"]


@pytest.mark.parametrize("dtype", DTYPES)
def test_sparsemax_against_numpy_axis(dtype):
    z = np.random.RandomState(1).uniform(low=-3, high=3, size=(TEST_OBS, 10))
    out = sparsemax(z.astype(dtype), axis=0)
    expected = np.transpose(_np_sparsemax(np.transpose(z))).astype(dtype)
    assert_close_according_to_type(expected, out, half_atol=5e-3)
    assert expected.shape == out.shape


@pytest.mark.parametrize("dtype", DTYPES)
def test_sparsemax_against_numpy_low_rank(dtype):
    z = np.random.RandomState(1).uniform(low=-3, high=3, size=(10))
    out = sparsemax(z.astype(dtype))
    expected = np.reshape(_np_sparsemax(np.reshape(z, [1, 10])), [10]).astype(dtype)
    assert_close_according_to_type(expected, out, half_atol=5e-3)
    assert expected.shape == out.shape


@pytest.mark.parametrize("dtype", DTYPES)
def test_sparsemax_against_numpy(dtype):
    z = np.random.RandomState(1).uniform(low=-3, high=3, size=(TEST_OBS, 10))
    assert_close_according_to_type(_np_sparsemax(z).astype(dtype), sparsemax(z.astype(dtype)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_sparsemax_against_numpy_high_rank(dtype):
    z = np.random.RandomState(1).uniform(low=-3, high=3, size=(TEST_OBS, TEST_OBS, 10))
    expected = np.reshape(_np_sparsemax(np.reshape(z, [TEST_OBS * TEST_OBS, 10])), [TEST_OBS, TEST_OBS, 10])
    assert_close_according_to_type(expected.astype(dtype), sparsemax(z.astype(dtype)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_sparsemax_of_nan(dtype):
    z_nan = np.asarray([[0, np.nan, 0], [0, np.nan, np.nan], [np.nan, np.nan, np.nan]]).astype(dtype)
    np.testing.assert_equal(sparsemax(z_nan), np.full((3, 3), np.nan))


@pytest.mark.parametrize("dtype", DTYPES)
def test_sparsemax_of_inf(dtype):
    # -inf is a class that gets 0 (the limit); +inf makes the row undefined
    # (TFA, like softmax, returns NaN); a row of only -inf is undefined too.
    z_neg = np.asarray([[0, -np.inf, 0], [0, -np.inf, -np.inf], [-np.inf, -np.inf, -np.inf]]).astype(dtype)
    z_pos = np.asarray([[0, np.inf, 0], [0, np.inf, np.inf], [np.inf, np.inf, np.inf]]).astype(dtype)
    z_mix = np.asarray([[0, np.inf, 0], [0, np.inf, -np.inf], [-np.inf, np.inf, -np.inf]]).astype(dtype)
    np.testing.assert_equal(sparsemax(z_neg), np.array([[0.5, 0, 0.5], [1, 0, 0], [np.nan, np.nan, np.nan]]))
    np.testing.assert_equal(sparsemax(z_pos), np.full((3, 3), np.nan))
    np.testing.assert_equal(sparsemax(z_mix), np.full((3, 3), np.nan))


@pytest.mark.parametrize("dtype", DTYPES)
def test_sparsemax_of_zero(dtype):
    # Proposition 1, part 1: equal inputs give the uniform distribution.
    z = np.zeros((1, 10))
    assert_close_according_to_type(np.ones_like(z, dtype=dtype) / z.size, sparsemax(z.astype(dtype)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_sparsemax_of_to_inf(dtype):
    # Proposition 1, part 2: scaled up, sparsemax becomes the argmax one-hot.
    random = np.random.RandomState(4)
    z = random.uniform(low=-3, high=3, size=(TEST_OBS, 10))
    z_sort_arg = np.argsort(z, axis=1)[:, ::-1]
    z_sort = np.sort(z, axis=-1)[:, ::-1]
    gamma_z = z_sort[:, 0] - z_sort[:, 1]
    epsilon = (0.99 * gamma_z * 1).reshape(-1, 1)
    p_expected = np.zeros((TEST_OBS, 10), dtype=dtype)
    p_expected[np.arange(0, TEST_OBS), z_sort_arg[:, 0]] = 1
    assert_close_according_to_type(p_expected, sparsemax(((1 / epsilon) * z).astype(dtype)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_constant_add(dtype):
    # Proposition 2: adding a constant to a row changes nothing.
    random = np.random.RandomState(5)
    z = random.uniform(low=-3, high=3, size=(TEST_OBS, 10)).astype(dtype)
    c = random.uniform(low=-3, high=3, size=(TEST_OBS, 1)).astype(dtype)
    assert_close_according_to_type(sparsemax(z + c), sparsemax(z), half_atol=5e-3)


@pytest.mark.parametrize("dtype", DTYPES)
def test_two_dimentional(dtype):
    # Two classes: p0 = 0 below t = -1, (t + 1) / 2 on [-1, 1], 1 above.
    t = np.linspace(-2, 2, TEST_OBS, dtype=dtype)
    z = np.vstack([t, np.zeros(TEST_OBS, dtype=dtype)]).T
    out = sparsemax(z.astype(dtype))
    p0_expected = np.select([t < -1, t <= 1, t > 1], [0, (t + 1) / 2, 1])
    assert_close_according_to_type(p0_expected, out[:, 0])
    assert_close_according_to_type(1 - p0_expected, out[:, 1])
    assert z.shape == out.shape


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_diffrence(dtype):
    # Proposition 4: z_i <= z_j implies 0 <= p_j - p_i <= z_j - z_i.
    z = np.random.RandomState(7).uniform(low=-3, high=3, size=(TEST_OBS, 10))
    p = sparsemax(z.astype(dtype))
    etol = {np.float32: 1e-6, np.float64: 1e-9}[dtype]
    for val in range(0, TEST_OBS):
        for i in range(0, 10):
            for j in range(0, 10):
                if z[val, i] > z[val, j]:
                    continue
                assert 0 <= p[val, j] - p[val, i] <= z[val, j] - z[val, i] + etol


@pytest.mark.parametrize("dtype", DTYPES)
def test_permutation(dtype):
    # Proposition 3: permuting the inputs permutes the outputs.
    random = np.random.RandomState(6)
    z = random.uniform(low=-3, high=3, size=(TEST_OBS, 10))
    p = sparsemax(z.astype(dtype))
    for i in range(TEST_OBS):
        per = random.permutation(10)
        out = sparsemax(z[i, per].reshape(1, -1).astype(dtype))
        p_expected = p[i, per].reshape(1, -1)
        assert_close_according_to_type(p_expected, out, half_atol=5e-3)
        assert p_expected.shape == out.shape


def _jacobian_by_autodiff(z):
    # Row-wise Jacobian J[r, i, j] = d p[r, i] / d z[r, j], one output
    # column at a time through the backend's autodiff (rows are independent).
    n = z.shape[1]
    return np.stack([gradient(lambda t: keras.ops.multiply(sparsemax_custom(t), np.eye(n)[i]), z) for i in range(n)], axis=1)


def test_gradient_against_estimate():
    # TFA: the symbolic Jacobian against central differences (delta 1e-6),
    # float64 only (sparsemax is not smooth).
    z = np.random.RandomState(9).uniform(low=-1, high=1, size=(TEST_OBS, 10)).astype("float64")
    numeric = np.zeros((TEST_OBS, 10, 10))
    for j in range(10):
        e = np.zeros_like(z)
        e[:, j] = 1e-6
        numeric[:, :, j] = (_np_sparsemax(z + e) - _np_sparsemax(z - e)) / 2e-6
    np.testing.assert_allclose(_jacobian_by_autodiff(z), numeric, rtol=1e-7, atol=1e-7)


def test_gradient_is_the_papers_jacobian_vector_product():
    # grad = s * (g - sum(g * s) / |S|), s = 1[p > 0], for an upstream g.
    rng = np.random.default_rng(11)
    z = rng.normal(scale=2.0, size=(32, 7))
    g = rng.normal(size=z.shape)
    p = reference("sparsemax_custom", z)
    s = (p > 0).astype("float64")
    expected = s * (g - np.sum(g * s, axis=-1, keepdims=True) / np.sum(s, axis=-1, keepdims=True))
    assert 1 < s.sum(axis=-1).mean() < 7  # mixed supports, not all one-hot
    np.testing.assert_allclose(gradient(lambda t: keras.ops.multiply(sparsemax_custom(t), g), z), expected, rtol=1e-12, atol=1e-14)


# --- beyond TFA's tests ---------------------------------------------------------


def test_keras_3_15_1_sparsemax_is_wrong_here_and_ours_is_right():
    x = np.array([1.0, 0.9, 0.8])
    np.testing.assert_allclose(sparsemax(x), [13 / 30, 10 / 30, 7 / 30], rtol=1e-12)
    keras_value = keras.ops.convert_to_numpy(keras.activations.sparsemax(x))
    # Recorded as documentation, not asserted: Keras 3.15.1 gives [0, 0, 0]
    # (keras-team/keras#23425, fixed by PR #23469); a fixed Keras matches us.
    if not np.allclose(keras_value, [0.0, 0.0, 0.0]):
        np.testing.assert_allclose(keras_value, [13 / 30, 10 / 30, 7 / 30], rtol=1e-6)


@pytest.mark.parametrize("dtype, tol", [("float16", 2e-3), ("bfloat16", 1.6e-2), ("float32", 1e-6), ("float64", 1e-12)])
def test_dtypes_sum_to_one_and_match_the_reference(dtype, tol):
    x = np.random.default_rng(3).normal(scale=2.0, size=(64, 12))
    x_cast = keras.ops.convert_to_numpy(keras.ops.cast(keras.ops.cast(x, dtype), "float64"))
    y = sparsemax_custom(keras.ops.cast(x, dtype))
    assert keras.backend.standardize_dtype(y.dtype) == dtype
    y = keras.ops.convert_to_numpy(keras.ops.cast(y, "float64"))
    assert (y >= 0).all() and (y <= 1).all()
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=0, atol=8 * tol)
    np.testing.assert_allclose(y, reference("sparsemax_custom", x_cast), rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype, big", [("float16", 6e4), ("float32", 1e4)])
def test_large_inputs_stay_finite(dtype, big):
    # A row of four equal -6e4 sums to -2.4e5, past float16's largest value.
    x = np.array([[big, -big, 0.0, 1.0], [-big, -big, -big, -big], [big, big, -big, 1.0]])
    y = sparsemax(keras.ops.cast(x, dtype))
    assert np.isfinite(y).all()
    np.testing.assert_allclose(y.astype("float64"), [[1, 0, 0, 0], [0.25] * 4, [0.5, 0.5, 0, 0]], atol=1e-3)
    assert np.isfinite(gradient(lambda t: keras.ops.multiply(sparsemax_custom(t), np.arange(4.0)), x.astype(dtype))).all()


def test_support_far_from_zero_in_float32():
    # [0, 0.5, 0.25] shifted to -1e4: tau = -1/12 relative to the row's start.
    x = np.array([[-1e4, -1e4 + 0.5, -1e4 + 0.25, -2e4]], "float32")
    np.testing.assert_allclose(sparsemax(x), [[1 / 12, 7 / 12, 4 / 12, 0]], atol=2e-3)


@pytest.mark.parametrize("axis", [0, 1, 2, -2])
def test_any_axis_of_a_rank_3_input(axis):
    x = np.random.default_rng(4).normal(scale=2.0, size=(3, 5, 4))
    np.testing.assert_allclose(sparsemax(x, axis=axis), reference("sparsemax_custom", x, axis=axis), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(sparsemax(x, axis=axis).sum(axis=axis), 1.0, rtol=1e-12)


def test_ties_share_the_mass():
    np.testing.assert_allclose(sparsemax(np.array([[2.0, 2.0, -3.0], [0.3, 0.3, 0.3]])), [[0.5, 0.5, 0], [1 / 3] * 3], rtol=1e-12)


def test_none_dimensions_and_compiled_prediction():
    # A symbolic model with unknown batch and length, compiled (XLA on
    # TensorFlow and JAX) for predict.
    inputs = keras.Input((None, 6))
    model = keras.Model(inputs, layers.Sparsemax()(inputs))
    model.compile(jit_compile=COMPILE)
    x = np.random.default_rng(5).normal(scale=2.0, size=(3, 4, 6)).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), reference("sparsemax_custom", x), rtol=2e-6, atol=5e-7)
    y = model.predict(x[:, :2], verbose=0)  # another length, same model
    np.testing.assert_allclose(y, reference("sparsemax_custom", x[:, :2]), rtol=2e-6, atol=5e-7)


# --- the layer --------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sparsemax_layer_against_numpy(dtype):
    # TFA's layer test: layer_test with expected_output (values, dtype, shape).
    z = np.random.RandomState(1).uniform(low=-3, high=3, size=(TEST_OBS, 10)).astype(dtype)
    layer = layers.Sparsemax(dtype=dtype)
    out = layer(z)
    assert keras.backend.standardize_dtype(out.dtype) == dtype
    assert_close_according_to_type(_np_sparsemax(z).astype(dtype), keras.ops.convert_to_numpy(out))
    clone = layers.Sparsemax.from_config(layer.get_config())
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(clone(z)), keras.ops.convert_to_numpy(out))


def test_sparsemax_layer_axis():
    x = np.random.default_rng(6).normal(scale=2.0, size=(2, 5, 3))
    np.testing.assert_allclose(layers.Sparsemax(axis=1, dtype="float64")(x), reference("sparsemax_custom", x, axis=1), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("axis, match", [(1.0, r"Sparsemax expected `axis` to be an integer\. Received: axis=1\.0\."),
                                         ("last", r"Sparsemax expected `axis` to be an integer\. Received: axis='last'\.")])
def test_sparsemax_layer_refuses_a_non_integer_axis(axis, match):
    with pytest.raises(ValueError, match=match):
        layers.Sparsemax(axis=axis)


def test_sparsemax_layer_refuses_the_batch_axis_in_build():
    with pytest.raises(ValueError, match=r"Sparsemax expected `axis` to be a non-batch axis of an input of rank 3.*Received: axis=0\."):
        layers.Sparsemax(axis=0).build((None, 4, 6))


def test_a_class_that_is_always_zero_counts_as_dead():
    from keras_act.diagnostics._activations import dead_fraction, layer_activation, spec_for

    label, rec, fn = layer_activation(layers.Sparsemax())
    spec = spec_for(label, rec, fn)
    x = np.random.default_rng(8).normal(size=(50, 4)) + np.array([0.0, 0.0, 0.0, -5.0])
    y = keras.ops.convert_to_numpy(fn(x))
    assert (y[:, 3] == 0).all() and (y[:, :3] > 0).any(axis=0).all()
    assert dead_fraction(y, spec) == 0.25
    # and it gets no gradient: the column of class 3 is 0 for any upstream.
    g = gradient(lambda t: keras.ops.multiply(sparsemax_custom(t), np.arange(1.0, 5.0)), x)
    np.testing.assert_array_equal(g[:, 3], 0.0)
