"""Training-step time: keras_act against the Keras built-in and against relu.

Models are compiled with Keras's default `jit_compile="auto"`, so model.fit
picks XLA whenever every layer supports it; each row records what it picked.
"""

import numpy as np
import keras

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


ARCHITECTURES = {"mlp": mlp, "cnn": cnn}


def _data(arch, batch, size):
    rng = np.random.default_rng(0)
    if arch == "mlp":
        x = rng.standard_normal((batch, 256)).astype("float32")
    else:
        x = rng.standard_normal((batch, size, size, 3)).astype("float32")
    y = rng.integers(0, 10, size=(batch,)).astype("int32")
    return x, y


def build(arch, activation, batch, size, **arch_kwargs):
    """A compiled model (default jit_compile) that has run model.fit once."""
    keras.utils.set_random_seed(0)
    if arch == "cnn":
        arch_kwargs.setdefault("size", size)
    model = ARCHITECTURES[arch](activation, **arch_kwargs)
    model.compile(
        optimizer=keras.optimizers.SGD(0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    x, y = _data(arch, batch, size)
    model.train_on_batch(x, y)  # traces and compiles the train function model.fit uses
    return model, x, y


def step_thunk(model, x, y):
    # train_on_batch runs model.fit's own compiled train function.
    return lambda: model.train_on_batch(x, y)


def bench_training(cases, pairs, batch=256, size=32, archs=("mlp", "cnn"), arch_kwargs=None, cnn_batch=64,
                   log=None):
    """Rows: per case and architecture, ratios against builtin and relu."""
    arch_kwargs = arch_kwargs or {}
    rows = []
    for arch in archs:
        relu_model = build(arch, "relu", cnn_batch if arch == "cnn" else batch, size, **arch_kwargs.get(arch, {}))
        references = {}  # one model per reference, shared by the rows that use it
        for case in cases:
            if case.training is None or not case.in_training:
                continue
            subject, reference = case.training
            b = cnn_batch if arch == "cnn" else batch
            model = build(arch, subject, b, size, **arch_kwargs.get(arch, {}))
            candidates = {"keras_act": step_thunk(*model), "relu": step_thunk(*relu_model)}
            if reference is not None:
                key = case.builtin_label if case.kind == "function" else case.name
                if key not in references:
                    references[key] = build(arch, reference, b, size, **arch_kwargs.get(arch, {}))
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
