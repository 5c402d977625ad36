"""Every activation id against the independent float64 references."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import keras
import keras_act
from keras_act import _kernels
from tests.conftest import BACKEND, FLOAT_DTYPES, gradient, jit_compile
from tests.references import (
    BACKEND_KINK_DERIVATIVES,
    KINK_DERIVATIVES,
    KINKS,
    REFERENCES,
    kink_derivatives,
    numeric_derivative,
    reference,
)

IDS = keras_act.list_activations()
ELEMENTWISE = [n for n in IDS if keras_act.record(n).elementwise]
VECTOR = [n for n in IDS if not keras_act.record(n).elementwise]

# Required by the core issue and issue 8 (what TensorFlow Addons and Keras 3
# have); the registry may hold more, never fewer.
REQUIRED_IDS = """
sigmoid_custom tanh_custom relu_custom relu6_custom elu_custom selu_custom leaky_relu_custom rrelu_custom
hard_shrink_custom hard_sigmoid_custom hard_tanh_custom hard_swish_custom softmax_custom celu_custom gelu_custom
gelu_tanh_custom silu_custom swish_custom mish_custom softplus_custom softsign_custom soft_shrink_custom
tanh_shrink_custom log_sigmoid_custom log_softmax_custom softmin_custom lisht_custom snake_custom glu_custom
sparsemax_custom squareplus_custom sparse_plus_custom sparse_sigmoid_custom
swiglu_custom geglu_custom reglu_custom relu_squared_custom
""".split()


# Every variant of every id (keras_act._kernels) is held to the same
# references: "native" (the backend's kernel where the dispatch names one,
# else the portable form), "portable" (the keras.ops composition) where a
# native kernel exists, and on TensorFlow the export forms ("onnx",
# "litert": forward only, an exported graph holds no gradient).
GRADIENT_VARIANTS = ("native", "portable")


def variants_of(name, forward=True):
    out = ["native"]
    if _kernels.kernel(name, BACKEND) is not None:
        out.append("portable")
    if forward and BACKEND == "tensorflow":
        out += [f for f in _kernels.EXPORT_FORMATS if name in _kernels.EXPORT[f]]
    return out


def with_variants(names, forward=True):
    """(name, variant) parameters: one per variant that runs other code."""
    return [pytest.param(n, v, id=f"{n}-{v}") for n in names for v in variants_of(n, forward)]


@pytest.fixture(autouse=True)
def _run_in_variant(request):
    callspec = getattr(request.node, "callspec", None)
    with _kernels.variant(callspec.params.get("variant", "native") if callspec else "native"):
        yield


LARGE = [-1e4, -1e3, -100.0, -50.0, -20.0, 20.0, 50.0, 100.0, 1e3, 1e4]


def grid(name=None):
    kinks = list(KINKS.get(name, ()))
    return np.concatenate([np.linspace(-10.0, 10.0, 2001), LARGE, kinks])


def vector_input(rng, dtype="float64"):
    x = rng.normal(scale=3.0, size=(64, 8))
    x[0] = [1e4, -1e4, 0, 1, 2, 3, 4, 5]
    x[1] = [-1e3, -1e3, -1e3, -1e3, 1e3, 1e3, 1e3, 1e3]
    return x.astype(dtype)


def beyond_range_is_inf(expected, dtype):
    """The correctly rounded answer to a value beyond the dtype's range is inf
    (exponential_custom's past x = 88.7 in float32)."""
    return np.where(np.abs(expected) > np.finfo(dtype).max, np.copysign(np.inf, expected), expected)


def call(name, x, **hyperparameters):
    return keras.ops.convert_to_numpy(keras_act.get(name)(x, **hyperparameters))


def test_registry_has_every_required_id():
    assert set(REQUIRED_IDS) <= set(IDS)
    assert IDS == sorted(IDS)


def test_every_id_has_an_independent_reference():
    assert set(REFERENCES) == set(IDS)


@pytest.mark.parametrize("name, variant", with_variants(ELEMENTWISE))
def test_values_float64(name, variant):
    x = grid(name)
    np.testing.assert_allclose(call(name, x), reference(name, x), rtol=1e-12, atol=1e-14)


# float32 agrees with float64 to 2e-7 absolute (under 2 ulp at 1) and 2e-6
# relative, gelu_custom's erfc fit included (measured at 0.11 of this
# tolerance; the erf form it replaces would fail it near x = -5).
FLOAT32_TOLERANCE = {"rtol": 2e-6, "atol": 2e-7}
# Ids computed through another id's kernel (geglu's gate is gelu_custom).
BUILT_ON = {"geglu_custom": "gelu_custom"}


def float32_tolerance(name, variant="native"):
    """The suite's float32 tolerance, or, for a native kernel less accurate
    than it but as accurate as Keras's own built-in on this backend, the
    bound the dispatch documents for it (test_native_accuracy_is_keras_builtins
    holds it to the built-in's)."""
    bound = _kernels.accuracy(BUILT_ON.get(name, name), BACKEND, variant)
    return {"atol": bound[0], "rtol": bound[1]} if bound else dict(FLOAT32_TOLERANCE)


@pytest.mark.parametrize("name, variant", with_variants(ELEMENTWISE))
def test_values_float32(name, variant):
    x = grid(name).astype("float32")
    y = call(name, x)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, beyond_range_is_inf(reference(name, x), "float32"), **float32_tolerance(name, variant))


@pytest.mark.parametrize(
    "name, variant",
    [p for p in with_variants(ELEMENTWISE) if _kernels.accuracy(p.values[0], BACKEND, p.values[1])],
)
def test_native_accuracy_is_keras_builtins(name, variant):
    # Accuracy rule: a kernel below the suite's float32 tolerance is used
    # only where Keras's own built-in on this backend is no more accurate.
    x = np.linspace(-12.0, 12.0, 48001).astype("float32")
    expected = reference(name, x)
    builtin, kwargs = keras_act.record(name).keras_builtin
    ours = np.abs(call(name, x) - expected)
    keras_error = np.abs(keras.ops.convert_to_numpy(getattr(keras.activations, builtin)(x, **kwargs)) - expected)
    assert ours.max() <= keras_error.max() * (1 + 1e-6)
    atol, rtol = _kernels.accuracy(name, BACKEND, variant)
    assert np.all(ours <= atol + rtol * np.abs(expected))
    # ... and the suite's own tolerance is really missed (else the bound is stale).
    assert np.any(ours > FLOAT32_TOLERANCE["atol"] + FLOAT32_TOLERANCE["rtol"] * np.abs(expected))


@pytest.mark.parametrize("name, variant", with_variants(VECTOR))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_vector_values(name, variant, dtype):
    rtol, atol = (1e-12, 1e-14) if dtype == "float64" else (None, None)
    if dtype == "float32":
        tolerance = float32_tolerance(name, variant)
        rtol, atol = tolerance["rtol"], tolerance["atol"]
    x = vector_input(np.random.default_rng(0), dtype)
    np.testing.assert_allclose(call(name, x), reference(name, x), rtol=rtol, atol=atol)
    xt = np.ascontiguousarray(x.T)
    np.testing.assert_allclose(call(name, xt, axis=0), reference(name, xt, axis=0), rtol=rtol, atol=atol)


HYPERPARAMETERS = [
    ("elu_custom", {"alpha": 0.5}),
    ("celu_custom", {"alpha": 2.0}),
    # alpha * elu(x / alpha) would fail: Elu's exp(u) - 1 loses u's relative precision.
    ("celu_custom", {"alpha": 1e4}),
    ("leaky_relu_custom", {"negative_slope": 0.2}),
    ("rrelu_custom", {"lower": 0.1, "upper": 0.2}),
    ("hard_shrink_custom", {"threshold": 1.0}),
    ("soft_shrink_custom", {"threshold": 1.5}),
    ("hard_tanh_custom", {"min_val": -2.0, "max_val": 3.0}),
    ("softplus_custom", {"beta": 2.0, "threshold": 10.0}),
    ("softplus_custom", {"beta": 0.5, "threshold": 5.0}),
    ("snake_custom", {"frequency": 0.5}),
]


@pytest.mark.parametrize(
    "name, hp, variant",
    [pytest.param(n, hp, v, id=f"{n}-{hp}-{v}") for n, hp in HYPERPARAMETERS for v in variants_of(n)],
)
def test_hyperparameters(name, hp, variant):
    x = np.linspace(-12.0, 12.0, 4801) + 1e-3  # off every kink of these settings
    np.testing.assert_allclose(call(name, x, **hp), reference(name, x, **hp), rtol=1e-12, atol=1e-14)
    d = keras.ops.convert_to_numpy(keras_act.derivative(name)(x, **hp))
    np.testing.assert_allclose(d, numeric_derivative(name, x, **hp), rtol=1e-6, atol=1e-6)


def test_rrelu_inference_matches_tfa_example():
    # TensorFlow Addons' own test: lower=0.1, upper=0.2 at inference.
    y = call("rrelu_custom", np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), lower=0.1, upper=0.2)
    np.testing.assert_allclose(y, [-0.3, -0.15, 0.0, 1.0, 2.0], rtol=1e-12)


def test_rrelu_training_draws_slopes_in_range():
    x = -np.ones((200, 50), dtype="float32")
    y = call("rrelu_custom", x, training=True, seed=7)
    slopes = -y
    assert slopes.min() >= 1 / 8 and slopes.max() <= 1 / 3
    assert slopes.std() > 0.03  # really random: U(1/8, 1/3) has std 0.06
    np.testing.assert_allclose(slopes.mean(), (1 / 8 + 1 / 3) / 2, atol=0.005)
    np.testing.assert_array_equal(call("rrelu_custom", -x, training=True, seed=7), -x)


def test_glu_rejects_odd_axis():
    with pytest.raises(ValueError, match=r"glu_custom expected an even size along `axis`.*Received: x\.shape=\(2, 5\), axis=-1\."):
        keras_act.get("glu_custom")(np.ones((2, 5)))


@pytest.mark.parametrize(
    "name, hp, match",
    [
        ("elu_custom", {"alpha": 0.0}, "alpha"),
        ("celu_custom", {"alpha": -1.0}, "alpha"),
        ("leaky_relu_custom", {"negative_slope": -0.1}, "negative_slope"),
        ("rrelu_custom", {"lower": 0.5, "upper": 0.2}, "lower <= upper"),
        ("hard_tanh_custom", {"min_val": 1.0, "max_val": -1.0}, "min_val < max_val"),
        ("softplus_custom", {"beta": 0.0}, "beta"),
        ("snake_custom", {"frequency": 0.0}, "frequency"),
        ("hard_shrink_custom", {"threshold": -1.0}, "threshold"),
    ],
)
def test_invalid_hyperparameters(name, hp, match):
    with pytest.raises(ValueError, match=match):
        keras_act.get(name)(np.ones(3), **hp)


# --- derivatives -----------------------------------------------------------


def autodiff(name, x):
    """The active backend's own autodiff of keras_act's function."""
    return gradient(keras_act.get(name), x)


@pytest.mark.parametrize("name, variant", with_variants(ELEMENTWISE, forward=False))
def test_derivative_matches_autodiff(name, variant):
    x = grid(name)
    if variant == "native":
        # A native kernel's own value at a kink is checked at the kink
        # (test_autodiff_at_kinks).
        x = x[~np.isin(x, list(BACKEND_KINK_DERIVATIVES.get(BACKEND, {}).get(name, {})))]
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(keras_act.derivative(name)(x)), autodiff(name, x), rtol=1e-12, atol=1e-14
    )


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_finite_differences(name):
    x = np.linspace(-30.0, 30.0, 6001) + 1.234e-4
    for k in KINKS.get(name, ()):
        x = x[np.abs(x - k) > 1e-3]
    d = keras.ops.convert_to_numpy(keras_act.derivative(name)(x))
    np.testing.assert_allclose(d, numeric_derivative(name, x), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", sorted(KINK_DERIVATIVES))
def test_derivative_at_kinks(name):
    points = sorted(KINK_DERIVATIVES[name])
    d = keras.ops.convert_to_numpy(keras_act.derivative(name)(np.array(points)))
    np.testing.assert_allclose(d, [KINK_DERIVATIVES[name][p] for p in points], rtol=1e-12)


# Where TensorFlow's autodiff of Keras's composed function is not the
# derivative: hard_tanh (clip_by_value passes the gradient at the corners;
# keras_act takes PyTorch's 0, as TF's own relu6 does) and celu (the
# gradients of maximum(x, 0) and minimum(x, 0) both pass at 0, giving 2).
KERAS_KINKS_DIFFER = {"hard_tanh_custom", "celu_custom"}


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason="the kink values are TensorFlow's by definition; JAX's and PyTorch's built-ins differ there "
    "(jax.nn.selu'(0) = scale * alpha), which test_autodiff_at_kinks covers",
)
@pytest.mark.parametrize(
    "name", [n for n in sorted(KINK_DERIVATIVES) if keras_act.record(n).keras_builtin and n not in KERAS_KINKS_DIFFER]
)
def test_kinks_follow_tensorflow(name):
    # Keras's own function differentiated by TensorFlow at the same kinks.
    # (rtol: TF's LeakyRelu kernel rounds its slope to float32.)
    builtin, kwargs = keras_act.record(name).keras_builtin
    x = keras.ops.convert_to_tensor(sorted(KINK_DERIVATIVES[name]), dtype="float64")
    expected = gradient(lambda t: getattr(keras.activations, builtin)(t, **kwargs), x)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(keras_act.derivative(name)(x)), expected, rtol=1e-7)


@pytest.mark.parametrize("dtype", [d for d in ("float32", "float64") if d in FLOAT_DTYPES])
@pytest.mark.parametrize("name, variant", with_variants(sorted(KINK_DERIVATIVES), forward=False))
def test_autodiff_at_kinks(name, variant, dtype):
    # Autodiff of keras_act's function takes TensorFlow's value at each kink
    # (the record's derivative), on every backend, except where this
    # backend's native kernel keeps its own documented value
    # (BACKEND_KINK_DERIVATIVES: torch's selu'(0) = scale * alpha); the
    # portable form takes TensorFlow's everywhere.
    expected = kink_derivatives(name, BACKEND) if variant == "native" else KINK_DERIVATIVES[name]
    points = sorted(expected)
    got = autodiff(name, keras.ops.convert_to_tensor(points, dtype=dtype))
    np.testing.assert_allclose(got, [expected[p] for p in points], rtol=1e-6)


@pytest.mark.parametrize("backend", _kernels.BACKENDS)
def test_dispatch_documents_backend_kinks(backend):
    # What info() and the docs say of a kernel's kinks is what the
    # independent reference table says (and what the test above measures).
    declared = {
        name: _kernels.kink_values(name, backend) for name in IDS if _kernels.kink_values(name, backend)
    }
    assert declared == BACKEND_KINK_DERIVATIVES.get(backend, {})


@pytest.mark.parametrize("name", VECTOR)
def test_vector_ids_have_no_elementwise_derivative(name):
    with pytest.raises(ValueError, match="not elementwise"):
        keras_act.derivative(name)


@pytest.mark.parametrize("name", VECTOR)
def test_vector_gradients_match_finite_differences(name):
    x = np.random.default_rng(1).normal(size=(3, 6))
    fn = keras_act.get(name)
    w = np.random.default_rng(2).normal(size=reference(name, x).shape)
    grad = gradient(lambda t: keras.ops.multiply(fn(t), w), x)
    h = 1e-6
    numeric = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        numeric[idx] = (np.sum(reference(name, x + e) * w) - np.sum(reference(name, x - e) * w)) / (2 * h)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-7)


# --- dtypes, NaN, overflow ---------------------------------------------------

DTYPE_TOLERANCE = {"float16": 1e-2, "bfloat16": 4e-2, "float32": 2e-6, "float64": 1e-12}


def _input(name, dtype):
    if keras_act.record(name).elementwise:
        return np.linspace(-8.0, 8.0, 161).astype(dtype)
    return vector_input(np.random.default_rng(3))[2:].astype(dtype)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name, variant", with_variants(IDS))
def test_dtype_is_preserved(name, variant, dtype):
    # Every dtype the backend offers (float64 on JAX with JAX_ENABLE_X64);
    # off TensorFlow, Keras computes some ops of float64 in float32.
    x = keras.ops.convert_to_tensor(_input(name, "float64"), dtype=dtype)
    y = keras_act.get(name)(x)
    assert keras.backend.standardize_dtype(y.dtype) == dtype
    assert keras.backend.standardize_dtype(gradient(keras_act.get(name), x).dtype) == dtype
    tol = DTYPE_TOLERANCE[dtype]
    expected = reference(name, keras.ops.convert_to_numpy(x).astype("float64"))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(y).astype("float64"), expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if keras_act.record(n).derivative is not None])
def test_derivative_dtype_is_preserved(name):
    dtype = FLOAT_DTYPES[-1]  # float64 where the backend has it
    x = keras.ops.convert_to_tensor(np.linspace(-8.0, 8.0, 161) + 1.234e-4, dtype=dtype)
    d = keras_act.derivative(name)(x)
    assert keras.backend.standardize_dtype(d.dtype) == dtype
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(d), numeric_derivative(name, keras.ops.convert_to_numpy(x)), rtol=1e-6, atol=1e-6
    )


@pytest.mark.parametrize("name", IDS)
def test_integers_become_floatx(name):
    x = np.arange(-4, 4, dtype="int32").reshape(2, 4)
    y = keras_act.get(name)(x)
    assert keras.backend.standardize_dtype(y.dtype) == keras.config.floatx()
    np.testing.assert_allclose(keras.ops.convert_to_numpy(y), reference(name, x), **float32_tolerance(name))


# a * act(b) over two halves of the last axis.
GATED = {"glu_custom", "swiglu_custom", "geglu_custom", "reglu_custom"}


@pytest.mark.parametrize("name, variant", with_variants(IDS))
def test_nan_propagates(name, variant):
    x = _input(name, "float32").copy()
    x[..., 1] = np.nan
    y = call(name, x)
    if keras_act.record(name).elementwise:
        assert np.isnan(y[1])
        assert np.isfinite(np.delete(y, 1)).all()
    elif name in GATED:
        assert np.isnan(y[:, 1]).all()  # NaN in a[1] reaches output 1 only
        assert np.isfinite(np.delete(y, 1, axis=1)).all()
    else:
        assert np.isnan(y).all()  # every row holds a NaN: the whole row is undefined


FINITE_LIMITS = [("float32", 1e4), ("float16", 6e4)]


@pytest.mark.parametrize("dtype, limit", FINITE_LIMITS)
@pytest.mark.parametrize("name, variant", with_variants(IDS))
def test_finite_where_the_mathematics_is(name, variant, dtype, limit):
    values = np.concatenate([-np.geomspace(1.0, limit, 40), [0.0], np.geomspace(1.0, limit, 40)])
    if not keras_act.record(name).elementwise:
        values = values[: 80].reshape(10, 8)
    x = keras.ops.convert_to_tensor(values, dtype=dtype)
    y = keras.ops.convert_to_numpy(keras_act.get(name)(x))
    # An export form runs forward only: an exported graph holds no gradient.
    grad = gradient(keras_act.get(name), x) if variant in GRADIENT_VARIANTS else y
    # Finite wherever the true value fits the dtype (all of them, except
    # exponential_custom's past log(max), relu_squared_custom's and the
    # gated products' past sqrt(max)); +-inf, never NaN, where it does not.
    # A gradient is finite wherever the output fits (relu_squared's 2x
    # still fits where x^2 no longer does).
    expected = beyond_range_is_inf(reference(name, values), dtype)
    fits = np.isfinite(expected)
    outputs = {"output": y, "gradient": grad}
    if keras_act.record(name).derivative is not None:
        outputs["derivative"] = keras.ops.convert_to_numpy(keras_act.derivative(name)(x))
    for what, out in outputs.items():
        where = fits if out.shape == fits.shape else np.full(out.shape, fits.all())
        assert not np.isnan(out).any(), f"{name}'s {what} is NaN in {dtype}"
        assert np.isfinite(out[where]).all(), f"{name}'s {what} overflowed in {dtype}"
        if what == "output":
            assert np.all(out[~fits] == expected[~fits]), f"{name}'s {what} is not +-inf beyond {dtype}'s range"


@pytest.mark.skipif(
    keras.backend.backend() == "torch", reason="XLA: tf.function(jit_compile=True) or jax.jit; PyTorch has no XLA compiler"
)
@pytest.mark.parametrize("name, variant", with_variants(IDS))
def test_jit_compiled_matches_reference(name, variant):
    fn = keras_act.get(name)
    x = _input(name, "float32")
    compiled = jit_compile(fn)
    # XLA fuses differently from the eager kernels: compare both with float64.
    y = keras.ops.convert_to_numpy(compiled(keras.ops.convert_to_tensor(x)))
    np.testing.assert_allclose(y, reference(name, x), rtol=2e-6, atol=5e-7)


# --- the records tell the truth ------------------------------------------------


def _dense_grid():
    return np.linspace(-60.0, 60.0, 240001)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_record_monotonic(name):
    y = reference(name, _dense_grid())
    non_decreasing = bool(np.all(np.diff(y) >= -1e-12))
    assert keras_act.info(name)["monotonic"] == non_decreasing


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_record_output_range(name):
    lo, hi = keras_act.info(name)["output_range"]
    y = reference(name, np.concatenate([_dense_grid(), LARGE]))
    assert y.min() >= lo - 1e-9 and y.max() <= hi + 1e-9
    # The range is tight: finite bounds are reached (or approached), infinite ones are not bounds.
    assert (y.min() - lo < 1e-3) if math.isfinite(lo) else (y.min() <= -100)
    assert (hi - y.max() < 1e-3) if math.isfinite(hi) else (y.max() >= 100)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_record_zero_centered(name):
    z = np.linspace(-12.0, 12.0, 480001)
    pdf = np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    mean = np.trapezoid(reference(name, z) * pdf, z)
    assert keras_act.info(name)["zero_centered"] == (abs(mean) < 0.05), f"mean output {mean:.4f}"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_record_saturates(name):
    d_neg, d_pos = np.abs(numeric_derivative(name, np.array([-50.0, 50.0]), h=1e-4))
    expected = {(False, False): "none", (True, False): "negative", (False, True): "positive", (True, True): "both"}
    assert keras_act.info(name)["saturates"] == expected[(d_neg < 1e-3, d_pos < 1e-3)]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_record_smooth(name):
    # C1: no jump of the derivative at any kink.
    jumps = [
        abs(numeric_derivative(name, k + 1e-4, h=1e-6) - numeric_derivative(name, k - 1e-4, h=1e-6))
        for k in KINKS.get(name, ())
    ]
    assert keras_act.info(name)["smooth"] == (max(jumps, default=0.0) < 1e-3)


@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if keras_act.record(n).flat_outputs])
def test_record_flat_outputs_have_zero_derivative(name):
    x = _dense_grid()
    y = reference(name, x)
    flat = np.isin(y, keras_act.record(name).flat_outputs)
    assert flat.sum() > 1000
    d = keras.ops.convert_to_numpy(keras_act.derivative(name)(x[flat]))
    # Isolated points aside (hard_swish(0) = 0), a flat output means f' = 0.
    assert np.count_nonzero(d) <= 1


# --- properties (hypothesis) -----------------------------------------------------

# One shape: the functions are elementwise, so only the values matter, and on
# JAX every new shape compiles every op again (a drawn length cost 5 minutes).
floats32 = hnp.arrays(
    np.float32,
    64,
    elements=st.floats(-1e4, 1e4, width=32, allow_nan=False),
)


@pytest.mark.parametrize("name", ELEMENTWISE)
@given(x=floats32)
def test_outputs_stay_in_range(name, x):
    lo, hi = keras_act.info(name)["output_range"]
    y = call(name, x)
    slack = 1e-6 * np.maximum(1.0, np.abs(y))
    assert np.all(y >= lo - slack) and np.all(y <= hi + slack)


@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if keras_act.info(n)["monotonic"]])
@given(x=floats32)
def test_monotonic_ids_preserve_order(name, x):
    x = np.sort(x)
    y = call(name, x).astype("float64")
    y = y[np.isfinite(y)]  # exponential_custom reaches inf; order is checked where it is finite
    # TensorFlow's eager CPU Relu and Relu6 kernels return a negative
    # subnormal for some negative subnormal inputs (relu6(-1.4e-45) =
    # -1.4e-45, keras.activations.relu6 too), and its Elu kernel flushes some
    # subnormal outputs to 0 but not others (6.2e-39 before a 0): a slack of
    # the subnormal range allows it.
    slack = 4 * np.finfo(np.float32).eps * np.abs(y[1:]) + np.finfo(np.float32).smallest_normal
    assert np.all(np.diff(y) >= -slack)


# A few row shapes, drawn among: on JAX every new shape compiles every op
# again (27 s for softmax's 60 drawn shapes).
ROW_SHAPES = st.sampled_from([(1, 2), (1, 16), (3, 5), (5, 16)])


@pytest.mark.parametrize("name", ["softmax_custom", "softmin_custom"])
@given(x=hnp.arrays(np.float32, ROW_SHAPES, elements=st.floats(-1e4, 1e4, width=32)))
def test_softmax_rows_sum_to_one(name, x):
    y = call(name, x)
    assert np.all(y >= 0) and np.all(y <= 1)
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=1e-5)


@given(x=hnp.arrays(np.float32, ROW_SHAPES, elements=st.floats(-1e4, 1e4, width=32)))
def test_log_softmax_is_log_of_a_distribution(x):
    y = call("log_softmax_custom", x)
    assert np.all(y <= 0)
    np.testing.assert_allclose(np.exp(y.astype("float64")).sum(axis=-1), 1.0, rtol=1e-5)
