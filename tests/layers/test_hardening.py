"""Issue 9 (hardening): masks and tuple axes, hyperparameters that turned
into NaN, numpy-scalar arguments, and PReLU's gradient at 0."""

import json
import re

import numpy as np
import pytest

import keras
from keras_act import layers
from tests.conftest import gradient

NORMALIZING = ["Softmax", "LogSoftmax", "Softmin"]


def as_np(x):
    return keras.ops.convert_to_numpy(x)


# --- 1. masks and tuple axes ------------------------------------------------


@pytest.mark.parametrize("name", NORMALIZING)
@pytest.mark.parametrize("mask_shape", [(2, 3), (1, 1, 3), (1, 2)])
def test_a_mask_that_would_change_the_shape_is_refused(name, mask_shape):
    x = np.zeros((1, 3), "float32")
    mask = np.ones(mask_shape, bool)
    match = rf"{name} expected a `mask` broadcastable to the inputs.*Received: mask\.shape={re.escape(str(mask_shape))}"
    with pytest.raises(ValueError, match=match):
        getattr(layers, name)()(x, mask=mask)
    # keras.layers.Softmax refuses the same masks.
    with pytest.raises(ValueError):
        keras.layers.Softmax()(x, mask=mask)


@pytest.mark.parametrize("name", NORMALIZING)
def test_a_broadcastable_mask_keeps_the_input_shape(name):
    x = np.random.RandomState(0).normal(size=(2, 3, 4)).astype("float32")
    for mask_shape in [(2, 3, 4), (1, 3, 4), (3, 1), (4,), (2, 1, 1)]:
        mask = np.ones(mask_shape, bool)
        out = getattr(layers, name)()(x, mask=mask)
        assert tuple(out.shape) == x.shape
        np.testing.assert_allclose(as_np(out), as_np(getattr(layers, name)()(x)), rtol=1e-6)


def softmax_np(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [(1, 2), (-2, -1), [1, 2], (2,)])
def test_tuple_axis_against_numpy_and_keras(axis):
    x = np.random.RandomState(1).normal(scale=2.0, size=(2, 3, 4))
    ax = tuple(axis)
    np.testing.assert_allclose(as_np(layers.Softmax(axis, dtype="float64")(x)), softmax_np(x, ax), rtol=1e-12)
    np.testing.assert_allclose(as_np(layers.LogSoftmax(axis, dtype="float64")(x)), np.log(softmax_np(x, ax)), rtol=1e-10)
    np.testing.assert_allclose(as_np(layers.Softmin(axis, dtype="float64")(x)), softmax_np(-x, ax), rtol=1e-12)
    x32 = x.astype("float32")
    np.testing.assert_allclose(as_np(layers.Softmax(axis)(x32)), as_np(keras.layers.Softmax(axis)(x32)), rtol=1e-6)


def test_tuple_axis_with_a_mask_matches_keras():
    rng = np.random.RandomState(2)
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    mask = rng.uniform(size=(2, 3, 4)) > 0.3
    ours = as_np(layers.Softmax((1, 2))(x, mask=mask))
    np.testing.assert_allclose(ours, as_np(keras.layers.Softmax((1, 2))(x, mask=mask)), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(ours.sum(axis=(1, 2)), [1.0, 1.0], rtol=1e-6)


@pytest.mark.parametrize("name", NORMALIZING)
def test_tuple_axis_config_round_trip(name, tmp_path):
    cls = getattr(layers, name)
    layer = cls(axis=(1, 2))
    config = layer.get_config()
    assert config["axis"] == [1, 2]
    json_config = json.loads(json.dumps(config))
    assert cls.from_config(json_config).get_config() == config
    model = keras.Sequential([keras.Input((3, 4)), layer])
    x = np.random.RandomState(3).normal(size=(2, 3, 4)).astype("float32")
    model.save(tmp_path / "m.keras")
    reloaded = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(as_np(reloaded(x)), as_np(model(x)), rtol=1e-6)
    assert reloaded.layers[0].get_config()["axis"] == [1, 2]


@pytest.mark.parametrize("name", NORMALIZING)
@pytest.mark.parametrize(
    "axis, match",
    [
        ((1, 1.5), r"expected `axis` to be an integer or a tuple of integers\. Received: axis=\(1, 1\.5\)\."),
        ((), r"expected `axis` to be an integer or a tuple of integers\. Received: axis=\(\)\."),
        ((1, True), r"expected `axis` to be an integer or a tuple of integers\. Received: axis=\(1, True\)\."),
        ((1, -2), r"expected the entries of `axis` to name different axes\. Received: axis=\(1, -2\)"),
    ],
)
def test_tuple_axis_entries_are_validated(name, axis, match):
    with pytest.raises(ValueError, match=rf"{name} {match}"):
        getattr(layers, name)(axis=axis).build((None, 3, 4))


@pytest.mark.parametrize("name", NORMALIZING)
@pytest.mark.parametrize("axis", [(0, 1), (1, 3), (-3, 2)])
def test_tuple_axis_refuses_the_batch_axis_and_out_of_range(name, axis):
    layer = getattr(layers, name)(axis=axis)
    with pytest.raises(ValueError, match=rf"{name} expected `axis` to be a non-batch axis of an input of rank 3"):
        layer.build((None, 3, 4))


# --- 3. argument types ------------------------------------------------------


@pytest.mark.parametrize(
    "name, kwargs, expected",
    [
        ("Softplus", dict(beta=np.float32(2.0)), dict(beta=2.0)),
        ("Softplus", dict(beta=np.float64(2.0), threshold=np.int32(5)), dict(beta=2.0, threshold=5.0)),
        ("ELU", dict(alpha=np.float16(0.5)), dict(alpha=0.5)),
        ("LeakyReLU", dict(negative_slope=np.float32(0.25)), dict(negative_slope=0.25)),
        ("Snake", dict(frequency=np.float32(2.0)), dict(frequency=2.0)),
        ("Maxout", dict(num_units=np.int64(2)), dict(num_units=2)),
        ("Maxout", dict(num_units=2, axis=np.int32(-1)), dict(axis=-1)),
        ("Softmax", dict(axis=np.int64(1)), dict(axis=1)),
        ("Softmax", dict(axis=(np.int64(1), np.int32(2))), dict(axis=[1, 2])),
        ("RReLU", dict(seed=np.int64(3)), dict(seed=3)),
        ("PReLU", dict(shared_axes=np.int64(1)), dict(shared_axes=[1])),
        ("PReLU", dict(shared_axes=(np.int32(1), 2)), dict(shared_axes=[1, 2])),
    ],
)
def test_numpy_scalars_are_accepted_and_stored_as_python_numbers(name, kwargs, expected, tmp_path):
    layer = getattr(layers, name)(**kwargs)
    config = layer.get_config()
    for key, value in expected.items():
        assert config[key] == value
        stored = config[key] if not isinstance(config[key], list) else config[key][0]
        assert type(stored) in (int, float)
    json.dumps(config)  # plain numbers only
    model = keras.Sequential([keras.Input((3, 4)), layer])
    model.save(tmp_path / "m.keras")
    reloaded = keras.saving.load_model(tmp_path / "m.keras")
    x = np.random.RandomState(0).normal(size=(2, 3, 4)).astype("float32")
    np.testing.assert_allclose(as_np(reloaded(x)), as_np(model(x)), rtol=1e-6)
    assert reloaded.layers[0].get_config() == config


@pytest.mark.parametrize(
    "name, kwargs, match",
    [
        ("ELU", dict(alpha=10**400), r"ELU expected `alpha` to be a finite number > 0\. Received: alpha=1000"),
        ("Softplus", dict(threshold=-(10**400)), r"Softplus expected `threshold` to be a finite number\. Received: threshold=-1000"),
        ("Softplus", dict(beta=np.float32(-2.0)), r"Softplus expected `beta` to be a finite number > 0\. Received: beta=np\.float32\(-2\.0\)\."),
        ("Snake", dict(frequency=np.float32("nan")), r"Snake expected `frequency` to be a finite number > 0\. Received: frequency=np\.float32\(nan\)\."),
        ("ELU", dict(alpha=np.bool_(True)), r"ELU expected `alpha` to be a finite number > 0\. Received: alpha=np\.True_\."),
        ("Maxout", dict(num_units=np.float32(2.0)), r"Maxout expected `num_units` to be an integer >= 1\. Received: num_units=np\.float32\(2\.0\)\."),
        ("Maxout", dict(num_units=True), r"Maxout expected `num_units` to be an integer >= 1\. Received: num_units=True\."),
        ("Maxout", dict(num_units=np.int64(0)), r"Maxout expected `num_units` to be an integer >= 1\. Received: num_units=np\.int64\(0\)\."),
    ],
)
def test_bad_numbers_raise_a_value_error_naming_the_argument(name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(layers, name)(**kwargs)


@pytest.mark.parametrize(
    "fn, kwargs, match",
    [
        ("snake_custom", dict(frequency=np.float32(-1.0)), r"snake_custom expected `frequency` to be a finite number > 0 or a tensor\. Received: frequency=np\.float32\(-1\.0\)\."),
        ("snake_custom", dict(frequency=-1.0), r"snake_custom expected `frequency` to be a finite number > 0 or a tensor\. Received: frequency=-1\.0\."),
        ("softplus_custom", dict(beta=np.float32(0.0)), r"softplus_custom expected `beta` to be a finite number > 0 or a tensor\. Received: beta=np\.float32\(0\.0\)\."),
        ("elu_custom", dict(alpha=10**400), r"elu_custom expected `alpha` to be a finite number > 0 or a tensor\. Received: alpha=1000"),
        ("celu_custom", dict(alpha=np.float64(-1.0)), r"celu_custom expected `alpha` to be a finite number > 0 or a tensor\. Received: alpha=np\.float64\(-1\.0\)\."),
        ("leaky_relu_custom", dict(negative_slope=np.float32(-0.1)), r"leaky_relu_custom expected `negative_slope` to be a finite number >= 0 or a tensor\. Received: negative_slope=np\.float32\(-0\.1\)\."),
    ],
)
def test_functions_apply_the_same_rule_to_numpy_scalars(fn, kwargs, match):
    import keras_act

    with pytest.raises(ValueError, match=match):
        keras_act.get(fn)(np.ones(3, "float32"), **kwargs)


def test_numpy_scalar_hyperparameters_give_the_python_number_results():
    import keras_act

    x = np.linspace(-3, 3, 13).astype("float32")
    for fn, kwargs in [
        ("snake_custom", dict(frequency=2.0)),
        ("softplus_custom", dict(beta=2.0)),
        ("celu_custom", dict(alpha=0.5)),
        ("elu_custom", dict(alpha=0.5)),
    ]:
        f = keras_act.get(fn)
        numpy_kwargs = {k: np.float32(v) for k, v in kwargs.items()}
        np.testing.assert_array_equal(as_np(f(x, **numpy_kwargs)), as_np(f(x, **kwargs)))


# --- 2. hyperparameters that turned into NaN ----------------------------------

X = np.array([-300.0, -20.0, -3.0, -1.0, -0.25, -1e-3, 0.0, 1e-3, 0.25, 1.0, 3.0, 20.0, 300.0])
TOL = {"float16": dict(rtol=2e-3, atol=1e-3), "bfloat16": dict(rtol=1.6e-2, atol=1e-2), "float32": dict(rtol=1e-6, atol=1e-7)}


def snake_np(x, f):
    return x + np.sin(f * x) ** 2 / f


def swish_np(x, beta):
    return x / (1.0 + np.exp(-np.clip(beta * x, -700, 700)))


def celu_np(x, alpha):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0) / alpha))


def softplus_np(x, beta, threshold=20.0):
    bx = beta * x
    return np.where(bx > threshold, x, np.logaddexp(0.0, np.minimum(bx, threshold)) / beta)


NAN_CASES = [
    # layer, kwargs, function id or callable name, reference, dtype
    ("Snake", dict(frequency=1e-8), "snake_custom", lambda x: snake_np(x, 1e-8), "float16"),
    ("Snake", dict(frequency=1e-8), "snake_custom", lambda x: snake_np(x, 1e-8), "bfloat16"),
    ("Snake", dict(frequency=300.0), "snake_custom", lambda x: snake_np(x, 300.0), "float16"),
    ("Swish", dict(beta=1e6), "swish", lambda x: swish_np(x, 1e6), "float16"),
    ("CELU", dict(alpha=1e-8), "celu_custom", lambda x: celu_np(x, 1e-8), "float16"),
    ("CELU", dict(alpha=1e30), "celu_custom", lambda x: celu_np(x, 1e30), "float16"),
    ("CELU", dict(alpha=1e30), "celu_custom", lambda x: celu_np(x, 1e30), "bfloat16"),
    ("CELU", dict(alpha=1e30), "celu_custom", lambda x: celu_np(x, 1e30), "float32"),
    ("Softplus", dict(beta=1e30), "softplus_custom", lambda x: softplus_np(x, 1e30), "float16"),
    ("Softplus", dict(beta=1e-8), "softplus_custom", lambda x: softplus_np(x, 1e-8), "float32"),
    # The same inf * 0 at x = 0, found by sweeping every layer's number arguments:
    ("LeakyReLU", dict(negative_slope=1e6), "leaky_relu_custom", lambda x: np.where(x > 0, x, 1e6 * x), "float16"),
    ("ELU", dict(alpha=1e6), "elu_custom", lambda x: np.where(x > 0, x, 1e6 * np.expm1(np.minimum(x, 0.0))), "float16"),
    ("RReLU", dict(lower=1e6, upper=1e6), "rrelu_custom", lambda x: np.where(x >= 0, x, 1e6 * x), "float16"),
]
# Slopes above 65504 make the float16 gradient itself overflow, rightly.
STEEP = {"LeakyReLU", "ELU", "RReLU"}


def function(name):
    from keras_act import activations

    return getattr(activations, name)


@pytest.mark.parametrize("name, kwargs, fn, reference, dtype", NAN_CASES, ids=[f"{c[0]}-{c[1]}-{c[4]}" for c in NAN_CASES])
def test_extreme_hyperparameters_give_the_finite_answer(name, kwargs, fn, reference, dtype):
    expected = reference(X)
    finite = np.abs(expected) < {"float16": 65504.0}.get(dtype, 3e38)
    x = keras.ops.convert_to_tensor(X, dtype)
    for out in [getattr(layers, name)(**kwargs, dtype=dtype)(x), function(fn)(x, **kwargs)]:
        assert keras.backend.standardize_dtype(out.dtype) == dtype
        out = as_np(keras.ops.cast(out, "float64"))
        assert np.isfinite(out[finite]).all(), out
        np.testing.assert_allclose(out[finite], expected[finite], **TOL[dtype])
    if name not in STEEP:
        grad = gradient(lambda t: function(fn)(t, **kwargs), x)
        assert np.isfinite(grad.astype("float64")).all(), grad


@pytest.mark.parametrize("name, key", [("LeakyReLU", "negative_slope"), ("ELU", "alpha"), ("RReLU", "lower"), ("Swish", "beta")])
@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32"])
@pytest.mark.parametrize("value", [1e-30, 1e6, 1e38])
def test_no_number_argument_turns_zero_into_nan(name, key, dtype, value):
    kwargs = {key: value, **({"upper": value} if name == "RReLU" else {})}
    out = getattr(layers, name)(**kwargs, dtype=dtype)(keras.ops.convert_to_tensor(X, dtype))
    out = as_np(keras.ops.cast(out, "float32"))
    assert out[X == 0.0] == 0.0
    assert not np.isnan(out).any(), out


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_snake_with_a_tiny_frequency_under_mixed_precision(policy):
    keras.config.set_dtype_policy(policy)
    for trainable in [False, True]:
        layer = layers.Snake(frequency=1e-8, trainable_frequency=trainable)
        out = as_np(keras.ops.cast(layer(X.astype("float32")), "float64"))
        np.testing.assert_allclose(out, snake_np(X, 1e-8), **TOL[policy[6:]])


def test_swish_trainable_beta_under_float16():
    layer = layers.Swish(beta=1e6, trainable_beta=True, dtype="float16")
    out = as_np(keras.ops.cast(layer(keras.ops.convert_to_tensor(X, "float16")), "float64"))
    np.testing.assert_allclose(out, swish_np(X, 1e6), **TOL["float16"])
    assert layer.beta_weight.dtype == "float32"


@pytest.mark.parametrize(
    "name, kwargs, fn, reference",
    [
        ("CELU", dict(alpha=1.7e308), "celu_custom", lambda x: x.copy()),
        ("Snake", dict(frequency=1.7e308), "snake_custom", lambda x: x.copy()),
        ("Snake", dict(frequency=1e-300), "snake_custom", lambda x: x + 1e-300 * x * x),
        ("Softplus", dict(beta=1e-300), "softplus_custom", lambda x: np.log(2.0) / 1e-300 + x / 2.0),
    ],
)
def test_values_beyond_float32_are_refused_in_float32_and_computed_in_float64(name, kwargs, fn, reference):
    (key, value), = kwargs.items()
    match = rf"`{key}` to be a normal float32 number, between 1\.175494e-38 and 3\.4028235e\+38 in magnitude.*Received: {key}={re.escape(repr(value))}\."
    with pytest.raises(ValueError, match=f"{name} expected {match}"):
        getattr(layers, name)(**kwargs)
    with pytest.raises(ValueError, match=rf"{fn} expected {match}"):
        function(fn)(X.astype("float32"), **kwargs)
    x = X[np.abs(X) >= 1e-3]
    for out in [getattr(layers, name)(**kwargs, dtype="float64")(x), function(fn)(x, **kwargs)]:
        out = as_np(out)
        assert np.isfinite(out).all()
        np.testing.assert_allclose(out, reference(x), rtol=1e-15)


def test_trainable_snake_frequency_stays_positive_under_a_large_learning_rate():
    layer = layers.Snake(frequency=0.5, trainable_frequency=True)
    model = keras.Sequential([keras.Input((1,)), layer])
    model.compile(optimizer=keras.optimizers.SGD(1e4), loss="mse")
    x = np.linspace(0.5, 2.0, 32, dtype="float32")[:, None]
    # d loss / d frequency > 0 here: plain SGD would step the frequency to about -1e4.
    before = float(as_np(layer.frequency_weight))
    model.fit(x, x, epochs=3, batch_size=32, verbose=0)
    frequency = float(as_np(layer.frequency_weight))
    assert frequency != before
    assert frequency >= 2.0**-63
    assert np.isfinite(as_np(model(x))).all()


def test_trainable_snake_frequency_needs_its_square_to_be_normal():
    with pytest.raises(ValueError, match=r"Snake expected `frequency` to be at least 2\*\*-63 .*when trainable_frequency=True.*Received: frequency=1e-30\."):
        layers.Snake(frequency=1e-30, trainable_frequency=True)
    layers.Snake(frequency=1e-30)  # a fixed frequency is computed without dividing by its square


@pytest.mark.parametrize("dtype, alpha", [("float32", 1e30), ("float64", 1.7e308), ("float16", 1e30)])
def test_celu_with_a_huge_alpha_is_the_identity_near_zero(dtype, alpha):
    # x / alpha underflows there; the answer is x (to within x^2 / (2 alpha)).
    x = np.array([-1e-20, -1e-8, -1e-4, -1.0, 0.0, 1e-8]) if dtype != "float16" else np.array([-1e-4, -1.0, 0.0])
    out = as_np(keras.ops.cast(function("celu_custom")(keras.ops.convert_to_tensor(x, dtype), alpha=alpha), "float64"))
    np.testing.assert_allclose(out, x.astype(dtype).astype("float64"), rtol=1e-15)


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="an unknown batch dimension is a tf.function signature")
@pytest.mark.parametrize("name", NORMALIZING)
@pytest.mark.parametrize("axis", [(1,), (1, 2), (-1, 1)])
def test_tuple_axis_with_an_unknown_batch_dimension(name, axis):
    # keras.ops.softmax reshapes for a tuple of axes and failed on a None
    # batch dimension: tracing (fit, export) broke where eager calls worked.
    import tensorflow as tf

    layer = getattr(layers, name)(axis)
    x = np.random.RandomState(4).normal(size=(2, 3, 4)).astype("float32")
    traced = tf.function(layer, input_signature=[tf.TensorSpec((None, 3, 4))])
    mask = np.random.RandomState(5).uniform(size=(2, 3, 4)) > 0.3
    masked = tf.function(lambda t, m: layer(t, mask=m), input_signature=[tf.TensorSpec((None, 3, 4)), tf.TensorSpec((None, 3, 4), tf.bool)])
    np.testing.assert_allclose(as_np(traced(x)), as_np(layer(x)), rtol=1e-6)
    np.testing.assert_allclose(as_np(masked(x, mask)), as_np(layer(x, mask=mask)), rtol=1e-6)
