"""Training-step time: keras_act against the Keras built-in, in model.fit's own mode.

Models are compiled with Keras's default `jit_compile="auto"`, the mode
model.fit and model.predict run in: graph mode without XLA on a CPU-only
TensorFlow, jax.jit on JAX, eager on torch. Each row records what it picked.

Two kinds of rows:

- `bench_training`: every case on a small MLP (and, on request, a small CNN),
  against the Keras built-in (or the closest one) and against relu.
- `bench_models`: real model shapes the issue names (a transformer encoder
  block, its SwiGLU variant, a CNN, PReLU in that CNN), `train_on_batch` and
  `predict_on_batch` each against the same model with Keras's built-in, and
  an A/A control per model (the reference model against an identical copy).
"""

import numpy as np
import keras
from keras import ops

import keras_act.layers
from keras_act._record import RECORDS

from benchmarks import timing


class AsLayer:
    """An activation given as a layer factory: the layer follows each Dense/Conv."""

    def __init__(self, factory):
        self.factory = factory


def _hidden(layer_cls, activation, *args, **kwargs):
    if isinstance(activation, AsLayer):
        return [layer_cls(*args, **kwargs), activation.factory()]
    return [layer_cls(*args, activation=activation, **kwargs)]


def mlp(activation, width=512, depth=4, features=256, classes=10):
    layers = [keras.Input((features,))]
    for _ in range(depth):
        layers += _hidden(keras.layers.Dense, activation, width)
    layers += [keras.layers.Dense(classes)]
    return keras.Sequential(layers)


def cnn(activation, size=32, filters=32, classes=10):
    conv = keras.layers.Conv2D
    return keras.Sequential(
        [keras.Input((size, size, 3))]
        + _hidden(conv, activation, filters, 3, padding="same")
        + _hidden(conv, activation, filters, 3, padding="same")
        + [keras.layers.MaxPooling2D()]
        + _hidden(conv, activation, 2 * filters, 3, padding="same")
        + [keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(classes)]
    )


def _halve_last(shape):
    return (*shape[:-1], shape[-1] // 2)


def transformer(activation, seq=64, d_model=128, heads=4, ff=512, classes=10, gated=False):
    """One post-norm transformer encoder block and a classifier head.

    MultiHeadAttention and a feed-forward block, each with a residual and
    LayerNormalization. The feed-forward block is Dense(ff, activation) ->
    Dense(d_model), or with `gated=True` Dense(2 ff) -> `activation` (a
    function halving the last axis, as SwiGLU) -> Dense(d_model).
    """
    inputs = keras.Input((seq, d_model))
    attention = keras.layers.MultiHeadAttention(heads, d_model // heads)(inputs, inputs)
    x = keras.layers.LayerNormalization()(inputs + attention)
    if gated:
        h = keras.layers.Dense(2 * ff)(x)
        h = keras.layers.Lambda(activation, output_shape=_halve_last)(h)
    else:
        h = keras.layers.Dense(ff, activation=activation)(x)
    h = keras.layers.Dense(d_model)(h)
    x = keras.layers.LayerNormalization()(x + h)
    outputs = keras.layers.Dense(classes)(keras.layers.GlobalAveragePooling1D()(x))
    return keras.Model(inputs, outputs)


def transformer_swiglu(activation, **kwargs):
    return transformer(activation, gated=True, **kwargs)


ARCHITECTURES = {"mlp": mlp, "cnn": cnn, "transformer": transformer, "transformer_swiglu": transformer_swiglu}


def _data(model, batch, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, *model.input_shape[1:])).astype("float32")
    y = rng.integers(0, 10, size=(batch,)).astype("int32")
    return x, y


def build(arch, activation, batch, **arch_kwargs):
    """A compiled model (default jit_compile) that has run one training step."""
    keras.utils.set_random_seed(0)
    model = ARCHITECTURES[arch](activation, **arch_kwargs)
    model.compile(
        optimizer=keras.optimizers.SGD(0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    x, y = _data(model, batch)
    model.train_on_batch(x, y)  # traces and compiles the train function model.fit uses
    return model, x, y


def step_thunk(model, x, y):
    # train_on_batch runs model.fit's own compiled train function.
    return lambda: model.train_on_batch(x, y)


def predict_thunk(model, x, y):
    # predict_on_batch runs model.predict's own compiled predict function.
    return lambda: model.predict_on_batch(x)


def bench_training(cases, pairs, batch=256, size=32, archs=("mlp",), arch_kwargs=None, cnn_batch=64,
                   log=None):
    """Rows: per case and architecture, ratios against builtin and relu."""
    arch_kwargs = {arch: dict(kw) for arch, kw in (arch_kwargs or {}).items()}
    arch_kwargs.setdefault("cnn", {}).setdefault("size", size)
    rows = []
    for arch in archs:
        b = cnn_batch if arch == "cnn" else batch
        kw = arch_kwargs.get(arch, {})
        relu_model = build(arch, "relu", b, **kw)
        references = {}  # one model per reference, shared by the rows that use it
        for case in cases:
            if case.training is None or not case.in_training:
                continue
            subject, reference = case.training
            model = build(arch, subject, b, **kw)
            candidates = {"keras_act": step_thunk(*model), "relu": step_thunk(*relu_model)}
            if reference is not None:
                key = case.builtin_label if case.kind == "function" else case.name
                if key not in references:
                    references[key] = build(arch, reference, b, **kw)
                ref_model = references[key]
                candidates["builtin"] = step_thunk(*ref_model)
            result = timing.compare(candidates, pairs=pairs, min_sample_s=0.05)
            rows.append({
                "row": case.name,
                "arch": arch,
                "reference": case.builtin_label if reference is not None else None,
                "reference_kind": case.reference_kind,
                "jit_compile": bool(model[0].jit_compile),
                "builtin_jit_compile": bool(ref_model[0].jit_compile) if reference is not None else None,
                "ms": {k: round(v * 1e3, 3) for k, v in result["seconds"].items()},
                "ratios": result["ratios"],
            })
            if log:
                log(f"training step {arch} {case.name}: {result['ratios'].get('builtin', {}).get('median', 0):.2f}")
    return rows


def _gate(a_b):
    a, b = ops.split(a_b, 2, axis=-1)
    return a * keras.activations.silu(b)


def _keras_prelu():
    # One slope per channel, as keras_act's PReLU, and its 0.25 start.
    return keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25), shared_axes=[1, 2])


def model_specs():
    """(row, architecture, keras_act activation, Keras's activation, what Keras's side is)."""
    return [
        ("transformer: gelu_custom", "transformer", "gelu_custom", "gelu",
         "keras.activations.gelu (exact, Keras's default)"),
        ("transformer SwiGLU: swiglu_custom", "transformer_swiglu", RECORDS["swiglu_custom"].fn, _gate,
         "split, then a * keras.activations.silu(b), written with keras.ops"),
        ("cnn: relu_custom", "cnn", "relu_custom", "relu", "keras.activations.relu"),
        ("cnn: hard_swish_custom", "cnn", "hard_swish_custom", "hard_silu", "keras.activations.hard_silu"),
        ("cnn: mish_custom", "cnn", "mish_custom", "mish", "keras.activations.mish"),
        ("cnn: layers.PReLU", "cnn", AsLayer(keras_act.layers.PReLU), AsLayer(_keras_prelu),
         "keras.layers.PReLU(shared_axes=[1, 2]), alpha 0.25"),
    ]


def bench_models(pairs, shapes, rows=None, log=None):
    """Rows for the real model shapes: train_on_batch and predict_on_batch, each
    keras_act against the same model with Keras's built-in, plus an A/A
    control per architecture (Keras's model against an identical copy).

    `shapes` maps an architecture family ("transformer", "cnn") to its
    keyword arguments and "batch"; `rows` narrows the rows by name.
    """
    out = []
    aa_done = set()
    for name, arch, subject, reference, label in model_specs():
        if rows is not None and name not in rows:
            continue
        family = "transformer" if arch.startswith("transformer") else arch
        kw = dict(shapes[family])
        batch = kw.pop("batch")
        ours = build(arch, subject, batch, **kw)
        theirs = build(arch, reference, batch, **kw)
        pairs_of = [(name, label, ours, theirs)]
        if family not in aa_done:
            # A/A: the reference model against a second, identical one.
            aa_done.add(family)
            pairs_of.append((f"A/A: {family}, Keras's model against an identical copy", label,
                             build(arch, reference, batch, **kw), theirs))
        for row_name, ref_label, a, b in pairs_of:
            for step, thunk in (("train", step_thunk), ("predict", predict_thunk)):
                result = timing.compare({"keras_act": thunk(*a), "builtin": thunk(*b)}, pairs=pairs,
                                        min_sample_s=0.05)
                out.append({
                    "row": row_name,
                    "model": arch,
                    "step": step,
                    "control": row_name.startswith("A/A"),
                    "batch": batch,
                    "shape": {k: v for k, v in kw.items()},
                    "reference": ref_label,
                    "jit_compile": bool(a[0].jit_compile),
                    "builtin_jit_compile": bool(b[0].jit_compile),
                    "ms": {k: round(v * 1e3, 3) for k, v in result["seconds"].items()},
                    "first_call_s": {k: round(v, 3) for k, v in result["first_call_s"].items()},
                    "ratios": result["ratios"],
                })
                if log:
                    log(f"model {row_name} {step}: {result['ratios']['builtin']['median']:.2f}")
        keras.backend.clear_session()
    return out
