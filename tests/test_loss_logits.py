"""keras_act's output activations give Keras's crossentropy losses what Keras's
own give them (issue 15).

On TensorFlow, `keras.losses` compute from logits when the probabilities come
from Keras's softmax or sigmoid (the output's `_keras_logits`): a confident
mistake keeps its loss and its gradient. Every keras_act id or layer a user
may put last before a crossentropy is held to the built-in it stands for, in
every mode the backend has, for extreme and ordinary logits; on TensorFlow the
extreme cases are also checked against a numpy crossentropy computed from the
logits, and on JAX and PyTorch (whose losses always clip) against the clipped
one.
"""

import keras
import numpy as np
import pytest

import keras_act
from tests.conftest import BACKEND

EPS = 1e-7  # keras.config.epsilon(): where Keras clips probabilities


def _softmin(x):
    return keras.activations.softmax(-x)


# (keras_act output activation, the Keras built-in it stands for)
PAIRS = {
    "softmax_custom": (keras_act.activations.softmax_custom, keras.activations.softmax),
    "softmin_custom": (keras_act.activations.softmin_custom, _softmin),
    "sigmoid_custom": (keras_act.activations.sigmoid_custom, keras.activations.sigmoid),
    "Softmax": (keras_act.layers.Softmax(), keras.layers.Softmax()),
    "Softmin": (keras_act.layers.Softmin(), lambda x: keras.layers.Softmax()(-x)),
}

LOSSES = {
    "categorical_crossentropy": keras.losses.categorical_crossentropy,
    "sparse_categorical_crossentropy": keras.losses.sparse_categorical_crossentropy,
    "binary_crossentropy": keras.losses.binary_crossentropy,
    "CategoricalCrossentropy": keras.losses.CategoricalCrossentropy(),
    "SparseCategoricalCrossentropy": keras.losses.SparseCategoricalCrossentropy(),
    "BinaryCrossentropy": keras.losses.BinaryCrossentropy(),
}

# Every kind of row at once: a confident mistake at +-30 and +-50, a row with
# one huge logit, ordinary rows. Each row's label is the wrong class.
LOGITS = np.array(
    [[30.0, 0.0, -30.0], [50.0, 0.0, -50.0], [-50.0, 50.0, 0.0], [1e4, 0.0, 1.0], [0.0, -1e4, 2.0]]
    + np.random.default_rng(0).normal(size=(4, 3)).tolist(),
    "float32",
)
LABELS = [2, 2, 0, 1, 1, 2, 0, 1, 2]

MODES = {
    "tensorflow": ["eager", "function", "xla"],
    "jax": ["eager", "jit"],
    "torch": ["eager"],
}[BACKEND]


def _targets(loss_name, n):
    labels = np.array(LABELS[:n])
    if loss_name.lower().startswith("binary"):
        return np.eye(3, dtype="float32")[labels]
    if loss_name.lower().replace("_", "").startswith("sparse"):
        return labels
    return np.eye(3, dtype="float32")[labels]


def loss_and_gradient(loss, activation, logits, targets, mode):
    """(loss, d sum(loss) / d logits) as numpy arrays, computed in `mode`: a
    loss per row for the loss functions, their mean for the loss classes."""
    logits = np.asarray(logits, "float32")

    def values(x):
        return loss(keras.ops.convert_to_tensor(targets), activation(x))

    def value(x):
        return keras.ops.sum(values(x))

    if BACKEND == "tensorflow":
        import tensorflow as tf

        def step(x):
            with tf.GradientTape() as tape:
                tape.watch(x)
                v = values(x)
                total = keras.ops.sum(v)
            return v, tape.gradient(total, x)

        if mode != "eager":
            step = tf.function(step, jit_compile=mode == "xla")
        v, g = step(tf.constant(logits))
    elif BACKEND == "jax":
        import jax

        def step(x):
            v = values(x)
            return keras.ops.sum(v), v

        step = jax.value_and_grad(step, has_aux=True)
        if mode == "jit":
            step = jax.jit(step)
        (_, v), g = step(keras.ops.convert_to_tensor(logits))
    else:
        t = keras.ops.convert_to_tensor(logits).detach().requires_grad_(True)
        v = values(t)
        keras.ops.sum(v).backward()
        g = t.grad
    return keras.ops.convert_to_numpy(v), keras.ops.convert_to_numpy(g)


def _numpy_crossentropy(logits, labels):
    """Sparse crossentropy of softmax(logits), from logits and from clipped
    probabilities (Keras's two paths), with its gradient, in float64."""
    z = np.asarray(logits, "float64")
    z = z - z.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    p = np.exp(log_p)
    n = len(z)
    onehot = np.eye(z.shape[-1])[labels]
    from_logits = -(onehot * log_p).sum(axis=-1).mean()
    grad_logits = (p - onehot) / n
    clipped = np.clip(p, EPS, 1 - EPS)
    from_probabilities = -(onehot * np.log(clipped)).sum(axis=-1).mean()
    return from_logits, grad_logits, from_probabilities


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("loss_name", LOSSES)
@pytest.mark.parametrize("pair", PAIRS)
def test_loss_and_gradient_equal_keras_builtin(pair, loss_name, mode):
    ours, builtin = PAIRS[pair]
    targets = _targets(loss_name, len(LOGITS))
    loss = LOSSES[loss_name]
    expected = loss_and_gradient(loss, builtin, LOGITS, targets, mode)
    got = loss_and_gradient(loss, ours, LOGITS, targets, mode)
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(got[1], expected[1], rtol=1e-5, atol=1e-7)
    # Not vacuous: on TensorFlow these rows lose far more than the clipped
    # -log(1e-7) = 16.1 of Keras's fallback.
    if BACKEND == "tensorflow" and loss_name == "sparse_categorical_crossentropy" and "softmax" in pair.lower():
        assert got[0][:3].min() > 59


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("activation", ["softmax_custom", "Softmax"])
def test_confident_mistake_against_numpy(activation, mode):
    # The case: logits [30, 0, -30], label 2. On TensorFlow the loss
    # is 60 with gradient [1, 0, -1] (from logits); Keras's losses on JAX
    # and PyTorch clip: 16.1 and no gradient, as with Keras's own softmax.
    ours = PAIRS[activation][0]
    logits, labels = LOGITS[:3], np.array(LABELS[:3])
    from_logits, grad, from_probabilities = _numpy_crossentropy(logits, labels)
    value, gradient = loss_and_gradient(keras.losses.SparseCategoricalCrossentropy(), ours, logits, labels, mode)
    if BACKEND == "tensorflow":
        np.testing.assert_allclose(value, from_logits, rtol=1e-6)
        np.testing.assert_allclose(gradient, grad, atol=1e-6)
        assert value > 50 and abs(gradient).max() > 0.3
    else:
        np.testing.assert_allclose(value, from_probabilities, rtol=1e-5)
        np.testing.assert_array_equal(gradient, np.zeros_like(gradient))


@pytest.mark.parametrize("mode", MODES)
def test_masked_softmax_loss_equals_keras(mode):
    # With a mask, Keras's Softmax multiplies its output by the mask, so no
    # logits reach the loss and it clips; keras_act's layer does the same.
    mask = np.array([[1, 1, 0], [1, 0, 1]], "bool")
    x = np.array([[30.0, 0.0, -30.0], [0.0, 40.0, -40.0]])
    targets = np.array([2, 2])
    ours, builtin = keras_act.layers.Softmax(), keras.layers.Softmax()
    loss = keras.losses.sparse_categorical_crossentropy
    got = loss_and_gradient(loss, lambda t: ours(t, mask=mask), x, targets, mode)
    expected = loss_and_gradient(loss, lambda t: builtin(t, mask=mask), x, targets, mode)
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-6)
    np.testing.assert_allclose(got[1], expected[1], atol=1e-7)
    # Row 0 masks its label's logit away: both clip at -log(1e-7).
    np.testing.assert_allclose(got[0][0], -np.log(EPS), rtol=1e-5)


@pytest.mark.parametrize("mode", MODES)
def test_nan_row_keeps_its_promise_beside_the_logits(mode):
    # keras_act's softmax makes a row holding NaN all NaN; with the logits
    # attached the loss of that row is NaN, as Keras's, and the other rows
    # keep Keras's values.
    x = np.array([[30.0, 0.0, -30.0], [1.0, np.nan, 0.0]], "float32")
    y = keras.ops.convert_to_numpy(keras_act.activations.softmax_custom(x))
    assert np.isnan(y[1]).all() and np.isfinite(y[0]).all()
    targets = np.array([2, 0])
    loss = keras.losses.sparse_categorical_crossentropy
    ours = loss_and_gradient(loss, keras_act.activations.softmax_custom, x, targets, mode)
    builtin = loss_and_gradient(loss, keras.activations.softmax, x, targets, mode)
    assert np.isnan(ours[0][1]) and np.isnan(builtin[0][1])
    np.testing.assert_allclose(ours[0][0], builtin[0][0], rtol=1e-6)
    np.testing.assert_allclose(ours[1][0], builtin[1][0], atol=1e-7)


@pytest.mark.parametrize("activation", ["sparsemax_custom", "log_softmax_custom"])
def test_ids_without_logits_path_read_as_probabilities(activation):
    # Keras's sparsemax and log_softmax carry no logits, so its crossentropy
    # reads their outputs as they are; keras_act's do the same (the softmax
    # crossentropy of sparsemax's input would be another loss). The same
    # values given as a plain tensor, which carries nothing, are the reference.
    x = np.array([[3.0, 1.0, -2.0], [0.5, 0.4, 0.3]], "float32")
    targets = np.array([2, 0])
    loss = keras.losses.sparse_categorical_crossentropy
    y = keras_act.get(activation)(x)
    plain = keras.ops.convert_to_tensor(keras.ops.convert_to_numpy(y))
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(loss(targets, y)), keras.ops.convert_to_numpy(loss(targets, plain))
    )


def _confidently_wrong_model(output):
    """Dense(3) whose every sample scores class 0 far above its true class 2,
    followed by `output` (an activation id or a layer)."""
    dense = keras.layers.Dense(3, activation=output if isinstance(output, str) else None)
    layers = [keras.Input((4,)), dense] + ([] if isinstance(output, str) else [output])
    model = keras.Sequential(layers)
    dense.set_weights([np.array([[8.0, 0.0, -8.0]] * 4, "float32"), np.zeros(3, "float32")])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy")
    return model


OUTPUTS = {
    "softmax_custom": ("softmax_custom", "softmax"),
    "Softmax": (keras_act.layers.Softmax, keras.layers.Softmax),
}


@pytest.mark.slow
@pytest.mark.parametrize("output", OUTPUTS)
def test_confidently_wrong_model_learns_as_with_keras_softmax(output):
    x = np.abs(np.random.default_rng(1).normal(size=(64, 4))).astype("float32") + 1.0
    y = np.full(64, 2)

    def losses(make):
        keras.utils.set_random_seed(0)
        model = _confidently_wrong_model(make if isinstance(make, str) else make())
        history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
        return np.array(history.history["loss"])

    ours, builtin = OUTPUTS[output]
    got, expected = losses(ours), losses(builtin)
    np.testing.assert_allclose(got, expected, rtol=1e-3)
    if BACKEND == "tensorflow":
        # From logits the loss starts far above the clipped 16.1 and falls.
        assert expected[0] > 16.2 and expected[-1] < expected[0] / 2


@pytest.mark.parametrize("output_dtype", [None, "float32"])
def test_mixed_precision_loss_equals_keras(output_dtype):
    # Under mixed_float16 the Dense computes in float16; with the usual
    # float32 output Activation the logits reach the loss on TensorFlow.
    from tests.conftest import variable_gradients

    keras.config.set_dtype_policy("mixed_float16")
    x = np.array([[3.0, 0.0, -3.0, 1.0], [1.0, 2.0, 0.0, -1.0]], "float32")
    targets = np.array([2, 2])

    def run(activation):
        keras.utils.set_random_seed(0)
        inputs = keras.Input((4,))
        kernel = np.array([[8.0, 0.0, -8.0]] * 4, "float32")
        hidden = keras.layers.Dense(3, kernel_initializer=lambda shape, dtype=None: kernel)(inputs)
        outputs = keras.layers.Activation(activation, dtype=output_dtype)(hidden)
        model = keras.Model(inputs, outputs)
        loss = lambda: keras.ops.sum(keras.losses.sparse_categorical_crossentropy(targets, model(x)))  # noqa: E731
        value = keras.ops.convert_to_numpy(loss())
        return value, variable_gradients(loss, model.trainable_variables)

    got, expected = run("softmax_custom"), run("softmax")
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-3)
    if BACKEND == "tensorflow" and output_dtype == "float32":
        assert got[0] > 40  # 16 + 32 from logits; clipped, at most 2 * 16.1
    for g, e in zip(got[1], expected[1]):
        np.testing.assert_allclose(g, e, rtol=1e-3, atol=1e-4)
