"""pelu, srelu, pau and the GLU variants against numpy references written
from the papers; their gradients against finite differences; bad arguments."""

import math

import numpy as np
import pytest

import keras
import keras_act
from keras_act.activations import pau, pelu, srelu
from keras_act.activations import _pau_fit
from tests.conftest import gradient


def as_np(x):
    return keras.ops.convert_to_numpy(x)


# --- references (Trottier et al. 2017, Jin et al. 2016, Molina et al. 2019) ---


def pelu_np(x, a, b):
    return np.where(x >= 0, (a / b) * x, a * np.expm1(np.minimum(x, 0.0) / b))


def srelu_np(x, t_left, a_left, t_right, a_right):
    # The paper's three pieces; a right threshold below the left one is
    # taken as the left one (documented by keras_act).
    t_l, a_l, a_r = t_left, a_left, a_right
    t_r = np.maximum(t_l, t_right)
    return np.where(x >= t_r, t_r + a_r * (x - t_r), np.where(x <= t_l, t_l + a_l * (x - t_l), x))


def pau_np(x, numerator, denominator):
    p = sum(a * x**j for j, a in enumerate(numerator))
    q = 1.0 + np.abs(sum(b * x ** (k + 1) for k, b in enumerate(denominator)))
    return p / q


X = np.concatenate([np.linspace(-8.0, 8.0, 1601), [0.0, 1e-3, -1e-3]])


@pytest.mark.parametrize("a, b", [(1.0, 1.0), (2.0, 0.5), (0.3, 3.0)])
def test_pelu_against_the_paper(a, b):
    np.testing.assert_allclose(as_np(pelu(X, a, b)), pelu_np(X, a, b), rtol=1e-12, atol=1e-14)


def test_pelu_with_a_and_b_one_is_elu():
    np.testing.assert_allclose(as_np(pelu(X, 1.0, 1.0)), as_np(keras_act.get("elu_custom")(X)), rtol=1e-15)


def test_pelu_broadcasts_per_channel_tensors():
    x = np.random.RandomState(0).normal(scale=3.0, size=(4, 3))
    a, b = np.array([0.5, 1.0, 2.0]), np.array([2.0, 1.0, 0.25])
    np.testing.assert_allclose(as_np(pelu(x, a, b)), pelu_np(x, a, b), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
    "params",
    [(0.0, 0.2, 1.0, 1.0), (-1.0, 0.1, 2.0, 0.5), (-0.5, 0.0, 0.5, 2.0), (1.0, 0.3, -1.0, 0.7)],  # last: crossed
)
def test_srelu_against_the_paper(params):
    np.testing.assert_allclose(as_np(srelu(X, *params)), srelu_np(X, *params), rtol=1e-12, atol=1e-14)


def test_srelu_is_continuous_at_its_thresholds():
    t_l, a_l, t_r, a_r = -1.0, 0.3, 2.0, 1.7
    for t in (t_l, t_r):
        y = as_np(srelu(np.array([t - 1e-9, t, t + 1e-9]), t_l, a_l, t_r, a_r))
        np.testing.assert_allclose(y, t, atol=1e-8)


@pytest.mark.parametrize("initial", _pau_fit.INITIAL_FUNCTIONS)
def test_pau_against_numpy(initial):
    numerator, denominator, _ = _pau_fit.FITS[initial]
    np.testing.assert_allclose(as_np(pau(X, numerator, denominator)), pau_np(X, numerator, denominator), rtol=1e-12, atol=1e-14)
    # Tensors of coefficients (the layer's weights) give the same.
    got = pau(X, np.array(numerator), np.array(denominator))
    np.testing.assert_allclose(as_np(got), pau_np(X, numerator, denominator), rtol=1e-12, atol=1e-14)


def test_pau_denominator_is_safe_where_an_unsafe_one_has_a_pole():
    # 1 + B(x) = 1 - x has a pole at x = 1; the safe 1 + |B(x)| = 1 + |x| none.
    x = np.linspace(-3.0, 3.0, 601)
    y = as_np(pau(x, [0.0, 1.0], [-1.0]))
    np.testing.assert_allclose(y, x / (1.0 + np.abs(x)), rtol=1e-12)
    assert np.all(np.isfinite(y))


def test_pau_half_precision_is_computed_in_float32():
    numerator, denominator, _ = _pau_fit.FITS["leaky_relu"]
    x = np.linspace(-20.0, 20.0, 81)  # x^5 overflows float16 beyond 9.2
    y = keras.ops.convert_to_numpy(pau(keras.ops.cast(x, "float16"), numerator, denominator))
    assert keras.backend.standardize_dtype(y.dtype) == "float16"
    np.testing.assert_allclose(y.astype("float64"), pau_np(x.astype("float16").astype("float64"), numerator, denominator), rtol=2e-3, atol=2e-3)


def _numeric_gradient(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize(
    "fn, reference",
    [
        (lambda t: pelu(t, 1.5, 0.7), lambda x: pelu_np(x, 1.5, 0.7)),
        (lambda t: srelu(t, -1.0, 0.2, 1.5, 2.0), lambda x: srelu_np(x, -1.0, 0.2, 1.5, 2.0)),
        (lambda t: pau(t, *_pau_fit.FITS["leaky_relu"][:2]), lambda x: pau_np(x, *_pau_fit.FITS["leaky_relu"][:2])),
        (keras_act.get("relu_squared_custom"), lambda x: np.maximum(x, 0.0) ** 2),
    ],
    ids=["pelu", "srelu", "pau", "relu_squared"],
)
def test_gradients_match_finite_differences(fn, reference):
    x = np.linspace(-5.0, 5.0, 1001) + 1.234e-4  # off every kink
    x = x[(np.abs(x + 1.0) > 1e-3) & (np.abs(x - 1.5) > 1e-3)]
    np.testing.assert_allclose(gradient(fn, x), _numeric_gradient(reference, x), rtol=1e-6, atol=1e-6)


def test_relu_squared_kink_has_slope_zero():
    np.testing.assert_array_equal(gradient(keras_act.get("relu_squared_custom"), np.array([-1.0, 0.0, 1.0])), [0.0, 0.0, 2.0])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: pelu(np.ones(3), 0.0, 1.0), r"pelu expected `a` to be a finite number > 0 or a tensor\. Received: a=0\.0\."),
        (lambda: pelu(np.ones(3), 1.0, -2.0), r"pelu expected `b` to be a finite number > 0 or a tensor\. Received: b=-2\.0\."),
        (lambda: srelu(np.ones(3), math.nan, 0.1, 1.0, 1.0), r"srelu expected `t_left` to be a finite number or a tensor\. Received: t_left=nan\."),
        (lambda: pau(np.ones(3), [], [1.0]), r"pau expected `numerator` to be a list of at least 1 finite numbers"),
        (lambda: pau(np.ones(3), [1.0], [math.inf]), r"pau expected `denominator` .* Received: denominator=\[inf\]\."),
        (lambda: pau(np.ones(3), np.ones((2, 2)), [1.0]), r"pau expected `numerator` to be a 1-D tensor"),
    ],
)
def test_invalid_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --- the GLU variants ------------------------------------------------------------

GATED = ["swiglu_custom", "geglu_custom", "reglu_custom"]


@pytest.mark.parametrize("name", GATED)
def test_odd_axis_is_refused(name):
    with pytest.raises(ValueError, match=rf"{name} expected an even size along `axis` \(it splits it in two halves\)\. Received: x\.shape=\(2, 5\), axis=-1\."):
        keras_act.get(name)(np.ones((2, 5)))


@pytest.mark.parametrize("name", GATED)
def test_porting_from_first_half_gating_swaps_the_dense_halves(name):
    # Code that computes act(a) * b (gate first) from Dense(2d) equals
    # keras_act's a * act(b) after swapping the kernel's and bias's halves.
    act = {"swiglu_custom": "silu_custom", "geglu_custom": "gelu_custom", "reglu_custom": "relu_custom"}[name]
    rng = np.random.RandomState(0)
    x, kernel, bias, d = rng.normal(size=(5, 3)), rng.normal(size=(3, 8)), rng.normal(size=8), 4
    h = x @ kernel + bias
    first_half_gated = as_np(keras_act.get(act)(h[:, :d])) * h[:, d:]
    swapped_kernel = np.concatenate([kernel[:, d:], kernel[:, :d]], axis=1)
    swapped_bias = np.concatenate([bias[d:], bias[:d]])
    ours = as_np(keras_act.get(name)(x @ swapped_kernel + swapped_bias))
    np.testing.assert_allclose(ours, first_half_gated, rtol=1e-12, atol=1e-14)


def test_swiglu_half_precision_gradient_is_the_analytic_one():
    # float16 takes swiglu's own gradient (no inf * 0 where upstream * a * b
    # overflows); it agrees with float32's autodiff where nothing overflows.
    x = np.random.RandomState(4).normal(scale=3.0, size=(8, 6)).astype("float32")
    fn = keras_act.get("swiglu_custom")
    g16 = gradient(fn, keras.ops.cast(x, "float16")).astype("float32")
    np.testing.assert_allclose(g16, gradient(fn, x), rtol=1e-2, atol=1e-2)
    big = np.array([[6e4, -6e4, 6e4, -6e4]], "float16")  # a * silu(b) is +-inf, its gradient is not
    g = gradient(fn, keras.ops.convert_to_tensor(big))
    assert not np.isnan(g).any() and np.isfinite(g).all()


def _numeric_parameter_gradient(f, p, h=1e-6):
    # d sum(f(p)) / dp, one entry of p at a time.
    grad = np.zeros_like(p)
    for i in np.ndindex(*p.shape):
        e = np.zeros_like(p)
        e[i] = h
        grad[i] = (np.sum(f(p + e)) - np.sum(f(p - e))) / (2 * h)
    return grad


X2 = np.random.RandomState(5).normal(scale=2.0, size=(16, 3)) + 1.234e-4
PELU_P = {"a": np.array([0.5, 1.0, 2.0]), "b": np.array([2.0, 1.0, 0.4])}
SRELU_P = {"t_left": np.array([-1.0, 0.0, -0.3]), "a_left": np.array([0.1, 0.5, 0.0]),
           "t_right": np.array([1.0, 2.0, 0.7]), "a_right": np.array([1.5, 0.3, 1.0])}
PAU_P = {"numerator": np.array(_pau_fit.FITS["leaky_relu"][0]), "denominator": np.array(_pau_fit.FITS["leaky_relu"][1])}


@pytest.mark.parametrize(
    "fn, reference, params",
    [(pelu, pelu_np, PELU_P), (srelu, srelu_np, SRELU_P), (pau, pau_np, PAU_P)],
    ids=["pelu", "srelu", "pau"],
)
def test_parameter_gradients_match_finite_differences(fn, reference, params):
    # What the layers learn from: the gradient with respect to each parameter.
    for name, value in params.items():
        def with_param(p, name=name):
            return fn(X2, **{**params, name: p})

        def with_param_np(p, name=name):
            return reference(X2, **{**params, name: p})

        got = gradient(with_param, value)
        assert np.all(np.isfinite(got)) and np.any(got != 0), name
        np.testing.assert_allclose(got, _numeric_parameter_gradient(with_param_np, value), rtol=1e-6, atol=1e-6, err_msg=name)


# --- one backward per function: the input's and every parameter's gradient -------

from keras_act.activations import prelu, snake_custom, swish  # noqa: E402
from keras_act.activations.polynomial import star_relu  # noqa: E402
from tests.conftest import FLOAT_DTYPES, jit_compile  # noqa: E402


def star_relu_np(x, scale, bias):
    return scale * np.maximum(x, 0.0) ** 2 + bias


def prelu_np(x, alpha):
    return np.where(x > 0, x, alpha * x)


def swish_np(x, beta):
    return x / (1.0 + np.exp(-beta * x))


def snake_np(x, frequency):
    return x + np.sin(frequency * x) ** 2 / frequency


def snake(x, frequency):
    return snake_custom(x, frequency=frequency)


# name -> (function, numpy reference, tensor parameters broadcast to X2's (16, 3))
LEARNED = {
    "pelu": (pelu, pelu_np, PELU_P),
    "srelu": (srelu, srelu_np, SRELU_P),
    "pau": (pau, pau_np, PAU_P),
    "star_relu": (star_relu, star_relu_np, {"scale": np.array(0.8), "bias": np.array(-0.4)}),
    "prelu": (prelu, prelu_np, {"alpha": np.array([0.1, 0.3, -0.5])}),
    "swish": (swish, swish_np, {"beta": np.array(1.7)}),
    "snake": (snake, snake_np, {"frequency": np.array(2.3)}),
}


def test_parameter_gradients_of_every_learned_function_match_finite_differences():
    # What the layers learn from, for the functions the test above does not
    # cover: StarReLU's scale and bias, PReLU's alpha, Swish's beta, Snake's
    # frequency, and the input's gradient of all of them.
    for name, (fn, reference, params) in LEARNED.items():
        np.testing.assert_allclose(
            gradient(lambda t: fn(t, **params), X2),
            _numeric_gradient(lambda x: reference(x, **params), X2),
            rtol=1e-6, atol=1e-6, err_msg=name,
        )
        for key, value in params.items():
            got = gradient(lambda p: fn(X2, **{**params, key: p}), value)
            assert got.shape == value.shape, (name, key)
            want = _numeric_parameter_gradient(lambda p: reference(X2, **{**params, key: p}), value)
            np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6, err_msg=f"{name}: {key}")


# Parameters broadcast along several axes of a (2, 3, 4, 5) input: the
# gradient is upstream * partial summed over exactly those axes.
X4 = np.random.RandomState(6).normal(scale=2.0, size=(2, 3, 4, 5)) + 1.234e-4
BROADCAST = {
    "pelu": {"a": np.linspace(0.5, 2.0, 5), "b": np.linspace(0.4, 2.5, 12).reshape(3, 4, 1)},
    "srelu": {"t_left": np.linspace(-1.5, 0.0, 4).reshape(4, 1), "a_left": np.linspace(0.0, 0.5, 15).reshape(3, 1, 5),
              "t_right": np.array([1.0]), "a_right": np.linspace(0.5, 2.0, 30).reshape(2, 3, 1, 5)},
    "star_relu": {"scale": np.linspace(0.5, 1.5, 5), "bias": np.linspace(-1.0, 1.0, 4).reshape(4, 1)},
    "prelu": {"alpha": np.linspace(-0.5, 0.5, 3).reshape(3, 1, 1)},
    "swish": {"beta": np.linspace(0.5, 2.0, 5)},
    "snake": {"frequency": np.linspace(0.5, 3.0, 4).reshape(4, 1)},
}


@pytest.mark.parametrize("name", sorted(BROADCAST))
def test_gradients_of_broadcast_parameters_are_summed_over_the_broadcast_axes(name):
    fn, reference, _ = LEARNED[name]
    params = BROADCAST[name]
    for key, value in params.items():
        got = gradient(lambda p: fn(X4, **{**params, key: p}), value)
        assert got.shape == value.shape, key
        want = _numeric_parameter_gradient(lambda p: reference(X4, **{**params, key: p}), value)
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6, err_msg=key)


@pytest.mark.parametrize("name", sorted(BROADCAST))
def test_a_parameter_that_broadcasts_x_up_gives_x_its_summed_gradient(name):
    # x of shape (5,) and one parameter of shape (4, 5): y has (4, 5), and
    # x's gradient is summed over the axis the parameter added.
    fn, reference, params = LEARNED[name]
    x = X4[0, 0, 0]
    key = sorted(BROADCAST[name])[0]
    wide = {**{k: np.asarray(v).reshape(-1)[:1].reshape(()) if np.ndim(v) else v for k, v in params.items()},
            key: np.linspace(0.5, 2.0, 20).reshape(4, 5) * (1.0 if key not in ("t_left", "alpha", "bias") else -0.3)}
    got = gradient(lambda t: fn(t, **wide), x)
    assert got.shape == x.shape
    want = (reference(x + 1e-6, **wide) - reference(x - 1e-6, **wide)).sum(axis=0) / 2e-6
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_forward_with_tensor_parameters_is_the_composition_bit_for_bit():
    # The custom gradient changes the backward only: the forward runs the
    # same ops, in the same order, as the plain keras.ops composition.
    ops = keras.ops
    x = keras.ops.convert_to_tensor(np.random.RandomState(7).normal(scale=3.0, size=(64, 3)).astype("float32"))

    def t(v):
        return keras.ops.convert_to_tensor(np.asarray(v, "float32"))

    a, b = t(PELU_P["a"]), t(PELU_P["b"])
    np.testing.assert_array_equal(as_np(pelu(x, a, b)), as_np(a * ops.elu(x / b)))
    t_l, a_l, t_r, a_r = (t(v) for v in SRELU_P.values())
    r = ops.maximum(t_l, t_r)
    composed = ops.minimum(ops.maximum(x, t_l), r) + a_l * ops.minimum(x - t_l, 0.0) + a_r * ops.maximum(x - r, 0.0)
    np.testing.assert_array_equal(as_np(srelu(x, t_l, a_l, t_r, a_r)), as_np(composed))
    numerator, denominator = t(PAU_P["numerator"]), t(PAU_P["denominator"])
    np.testing.assert_array_equal(as_np(pau(x, numerator, denominator)), as_np(pau(x, list(PAU_P["numerator"].astype("float32")), list(PAU_P["denominator"].astype("float32")))))
    s, c = t(0.8), t(-0.4)
    np.testing.assert_array_equal(as_np(star_relu(x, s, c)), as_np(s * (ops.relu(x) * ops.relu(x)) + c))
    alpha = t([0.1, 0.3, -0.5])
    np.testing.assert_array_equal(as_np(prelu(x, alpha)), as_np(ops.relu(x) - alpha * ops.relu(-x)))
    beta = t(1.7)
    np.testing.assert_array_equal(as_np(swish(x, beta)), as_np(x * ops.sigmoid(beta * x)))
    f = t(2.3)
    np.testing.assert_array_equal(as_np(snake(x, f)), as_np(x + ops.sin(f * x) * ops.sin(f * x) / f))


# A grid of numbers that float16 and bfloat16 hold exactly, 1/16 away from
# every threshold and kink of the parameters below (multiples of 1/8).
XH = np.tile(((np.arange(-40, 40) + 0.5) / 8.0).reshape(-1, 1), (1, 3))
HALF_PARAMS = {
    "pelu": {"a": np.array([0.5, 1.0, 2.0]), "b": np.array([2.0, 1.0, 0.5])},
    "srelu": {"t_left": np.array([-1.0, 0.0, -0.5]), "a_left": np.array([0.125, 0.5, 0.0]),
              "t_right": np.array([1.0, 2.0, 0.5]), "a_right": np.array([1.5, 0.25, 1.0])},
    "pau": PAU_P,
    "star_relu": {"scale": np.array(0.75), "bias": np.array(-0.5)},
    "prelu": {"alpha": np.array([0.125, 0.25, -0.5])},
    "swish": {"beta": np.array(1.5)},
    "snake": {"frequency": np.array(2.0)},
}
# Relative error of one computed partial derivative (several roundings).
HALF_TOL = {"float64": 1e-7, "float32": 2e-5, "float16": 1e-2, "bfloat16": 6e-2}


def _partials(f, p, h=1e-6):
    # d f(p) / dp entry by entry, one array of x's shape per entry of p.
    out = np.zeros(p.shape + XH.shape)
    for i in np.ndindex(*p.shape):
        e = np.zeros_like(p)
        e[i] = h
        out[i] = (f(p + e) - f(p - e)) / (2 * h)
    return out


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", sorted(LEARNED))
def test_gradients_in_every_dtype_match_finite_differences(name, dtype):
    # x in `dtype`, the parameters float32 tensors (the layers' variables);
    # the function computes in x's dtype (float32 for pau, swish and snake
    # with half inputs), so the reference takes the parameters as rounded
    # there. The error of a parameter's gradient is bounded by the
    # tolerance times the sum of the magnitudes it adds up.
    fn, reference, params = LEARNED[name][0], LEARNED[name][1], HALF_PARAMS[name]
    compute = dtype if name in ("pelu", "srelu", "star_relu", "prelu") else ("float32" if dtype in ("float16", "bfloat16") else dtype)
    param_dtype = "float64" if dtype == "float64" else "float32"

    def rounded(v):
        return np.asarray(keras.ops.convert_to_numpy(keras.ops.cast(keras.ops.cast(np.asarray(v, param_dtype), compute), "float64")))

    ref_params = {k: rounded(v) for k, v in params.items()}
    x = keras.ops.convert_to_tensor(XH, dtype)
    tensors = {k: keras.ops.convert_to_tensor(np.asarray(v, param_dtype)) for k, v in params.items()}
    tol = HALF_TOL[dtype]
    dx = gradient(lambda t: fn(t, **tensors), x)
    assert keras.backend.standardize_dtype(dx.dtype) == dtype
    np.testing.assert_allclose(dx.astype("float64"), _numeric_gradient(lambda v: reference(v, **ref_params), XH),
                               rtol=tol, atol=tol)
    for key, value in tensors.items():
        got = gradient(lambda p: fn(x, **{**tensors, key: p}), value)
        assert keras.backend.standardize_dtype(got.dtype) == param_dtype and got.shape == params[key].shape, key
        partials = _partials(lambda p: reference(XH, **{**ref_params, key: p}), ref_params[key])
        want = partials.sum(axis=tuple(range(-XH.ndim, 0)))
        bound = tol * np.abs(partials).sum(axis=tuple(range(-XH.ndim, 0))) + 1e-6
        assert np.all(np.abs(got.astype("float64") - want) <= bound), (key, got, want, bound)


@pytest.mark.parametrize("name", sorted(LEARNED))
def test_compiled_gradients_equal_eager_ones(name):
    fn, _, params = LEARNED[name]
    x = keras.ops.convert_to_tensor(X2.astype("float32"))
    tensors = [keras.ops.convert_to_tensor(np.asarray(v, "float32")) for v in params.values()]
    keys = list(params)
    eager = gradient(lambda t: fn(t, **dict(zip(keys, tensors))), x)
    compiled = jit_compile(lambda x, *p: _grad_all(fn, keys, x, p))
    got = compiled(x, *tensors)
    want = _grad_all(fn, keys, x, tensors)
    np.testing.assert_allclose(as_np(got[0]), eager, rtol=1e-6, atol=1e-6)
    for g, w in zip(got, want):
        np.testing.assert_allclose(as_np(g), as_np(w), rtol=1e-5, atol=1e-5)


def _grad_all(fn, keys, x, params):
    # d sum(fn) / d (x, *params) by the backend's autodiff, traceable.
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch([x, *params])
            total = keras.ops.sum(fn(x, **dict(zip(keys, params))))
        return tape.gradient(total, [x, *params])
    import jax

    return jax.grad(lambda x, *p: keras.ops.sum(fn(x, **dict(zip(keys, p)))), argnums=tuple(range(len(params) + 1)))(x, *params)


# The derivative at kinks: x at a threshold, and SReLU's t_right at its
# t_left, where the minimums and maximums split a tie in halves (what
# autodiff of the same expression gives on JAX and PyTorch), on every backend.
SRELU_KINKS = [
    # (parameters, dy/dx at KINK_X, d sum(y) / d (t_left, a_left, t_right, a_right))
    ((-1.0, 0.2, 1.5, 2.0), [0.6, 1.0, 1.5, 2.0, 0.2, 1.0], [1.2, -1.0, -1.5, 0.5]),
    ((0.5, 0.2, 0.5, 2.0), [0.2, 0.2, 2.0, 2.0, 0.2, 1.35], [0.55, -4.5, -0.5, 2.5]),
    ((1.5, 0.2, 0.0, 2.0), [0.2, 0.2, 1.35, 2.0, 0.2, 0.2], [1.85, -8.5, 0.0, 0.5]),
]
KINK_X = np.array([-1.0, 0.0, 1.5, 2.0, -2.0, 0.5])


@pytest.mark.parametrize("params, dx, dparams", SRELU_KINKS)
def test_srelu_kink_derivatives_split_ties_in_halves(params, dx, dparams):
    tensors = [np.array(v) for v in params]
    np.testing.assert_allclose(gradient(lambda t: srelu(t, *tensors), KINK_X), dx, rtol=1e-12)
    for i, want in enumerate(dparams):
        def with_param(p, i=i):
            return srelu(KINK_X, *tensors[:i], p, *tensors[i + 1:])

        np.testing.assert_allclose(gradient(with_param, tensors[i]), want, rtol=1e-12, atol=1e-15)


def test_kink_derivatives_of_the_other_learned_functions():
    x = np.array([-1.0, 0.0, 1.0])
    # pelu at 0: the slope a / b from both sides (elu'(0) = 1).
    np.testing.assert_allclose(gradient(lambda t: pelu(t, np.array(1.5), np.array(0.5)), x), [3.0 * np.exp(-2.0), 3.0, 3.0], rtol=1e-12)
    # prelu at 0: 0 (relu'(0) = 0, as keras.layers.PReLU), and alpha's gradient min(x, 0).
    np.testing.assert_array_equal(gradient(lambda t: prelu(t, np.array(0.25)), x), [0.25, 0.0, 1.0])
    np.testing.assert_array_equal(gradient(lambda p: prelu(x, p), np.array(0.25)), -1.0)
    # star_relu at 0: slope 0; scale's gradient relu(x)^2, bias's 1 per element.
    np.testing.assert_array_equal(gradient(lambda t: star_relu(t, np.array(0.5), np.array(0.1)), x), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(gradient(lambda p: star_relu(x, p, np.array(0.1)), np.array(0.5)), 1.0)
    np.testing.assert_array_equal(gradient(lambda p: star_relu(x, np.array(0.5), p), np.array(0.1)), 3.0)
    # pau where B(x) = 0 (x = 0 here): |B|'s derivative is 0, as abs'(0) in autodiff.
    numerator, denominator = np.array([0.0, 1.0, 0.5]), np.array([0.0, 1.0])
    np.testing.assert_allclose(gradient(lambda t: pau(t, numerator, denominator), np.array([0.0])), [1.0])
    np.testing.assert_array_equal(gradient(lambda p: pau(np.array([0.0]), numerator, p), denominator), [0.0, 0.0])


def test_snake_gradient_is_finite_where_frequency_times_x_overflows():
    # f x = inf in float32: the output is x, its slope 1 and the frequency's gradient 0.
    x = np.array([3e38, -3e38, 1.0], "float32")
    f = np.array(10.0, "float32")
    np.testing.assert_array_equal(gradient(lambda t: snake(t, f), x)[:2], [1.0, 1.0])
    got = gradient(lambda p: snake(x[:2], p), f)
    np.testing.assert_array_equal(got, 0.0)
