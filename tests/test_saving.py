"""Trained models with keras_act layers and ids save and reload in every format.

Fresh processes are few and shared: one child (which imports keras_act and
nothing else of ours before loading) reloads the .keras and .h5 files, checks
that training continues from the restored optimizer state, and loads every
committed fixture; another, where keras_act cannot be imported at all, serves
the SavedModel.
"""

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
import pytest

import keras
import keras_act
from keras_act import layers
from tests.layers._cases import CASES, make

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "saved_models" / "fixtures"

pytestmark = pytest.mark.slow

TENSORFLOW = keras.backend.backend() == "tensorflow"
# SavedModel and LiteRT are TensorFlow formats: Keras exports them only from
# the TensorFlow backend (`model.export` on JAX makes a SavedModel through
# jax2tf, not tested here), and serving them needs TensorFlow.
tensorflow_only = pytest.mark.skipif(not TENSORFLOW, reason="SavedModel / LiteRT export needs the TensorFlow backend")


def _keeps_shape(name):
    return tuple(keras_act.get(name)(np.ones((1, 4), "float32")).shape) == (1, 4)


def branch_names():
    """all_in_one_model's branches in output order: every layer, then every id.

    glu_custom and its variants (swiglu, geglu, reglu) halve their axis,
    which Dense's symbolic output shape does not know (nor for Keras's own
    "glu"): the GLU, SwiGLU, GeGLU and ReGLU layers cover them.
    """
    return sorted(CASES) + [i for i in keras_act.list_activations() if _keeps_shape(i)]


def all_in_one_model():
    """Every layer and every string id on its own branch, one output."""
    inputs = keras.Input((8,), name="x")
    branches = []
    for name in branch_names():
        if name in CASES:
            _, shape, _ = CASES[name]
            hidden = keras.layers.Reshape(shape)(keras.layers.Dense(int(np.prod(shape)))(inputs))
            branches.append(keras.layers.Flatten()(make(name)(hidden)))
        else:
            branches.append(keras.layers.Dense(4, activation=name)(inputs))
    return keras.Model(inputs, keras.layers.Concatenate()(branches), name="all_in_one")


def branch_errors(model, got, expected):
    """Max absolute difference of each branch (layer or id) of all_in_one_model."""
    widths = [t.shape[-1] for t in model.layers[-1].input]  # the Concatenate's inputs
    names = branch_names()
    assert len(widths) == len(names)
    edges = np.cumsum([0, *widths])
    return {n: float(np.abs(got[:, a:b] - expected[:, a:b]).max()) for n, a, b in zip(names, edges, edges[1:])}


def continuation_model():
    """Deterministic in training (no RReLU), so a resumed fit can be compared exactly."""
    return keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(12),
            layers.PReLU(),
            keras.layers.Dense(12),
            layers.Maxout(4),
            layers.Swish(beta=1.5, trainable_beta=True),
            keras.layers.Dense(3, activation="softmax_custom"),
        ]
    )


def run_child(code, *args, cwd):
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    work = tmp_path_factory.mktemp("saving")
    rng = np.random.RandomState(0)
    x = rng.normal(size=(32, 8)).astype("float32")
    keras.utils.set_random_seed(7)

    model = all_in_one_model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, rng.normal(size=(32, model.output.shape[-1])).astype("float32"), epochs=2, batch_size=16, verbose=0)
    model.save(work / "all.keras")
    model.save(work / "all.h5")
    if TENSORFLOW:
        model.export(str(work / "all_savedmodel"), verbose=False)

    cont = continuation_model()
    cont.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    cy = rng.randint(0, 3, size=32)
    cont.fit(x, cy, epochs=2, batch_size=8, shuffle=False, verbose=0)
    iterations = int(keras.ops.convert_to_numpy(cont.optimizer.iterations))
    cont.save(work / "cont.keras")
    before_resume = cont.predict(x, verbose=0)
    cont.fit(x, cy, epochs=1, batch_size=8, shuffle=False, verbose=0)
    np.savez(
        work / "data.npz",
        x=x,
        pred=model.predict(x, verbose=0),
        cy=cy,
        cont_pred=before_resume,
        cont_resumed=cont.predict(x, verbose=0),
        iterations=iterations,
    )
    return work, model, x


FRESH_LOAD = """
import glob, json, os, sys
import numpy as np
import keras
import keras_act  # the only import a user of the saved files needs

work, fixtures = sys.argv[1], sys.argv[2]
d = np.load(os.path.join(work, "data.npz"))
report = {}

model = keras.saving.load_model(os.path.join(work, "all.keras"))  # safe_mode=True, the default
report["keras"] = float(np.abs(model.predict(d["x"], verbose=0) - d["pred"]).max())
# compile=False: Keras 3.15's legacy loader cannot rebuild a loss given
# as a string ("Could not deserialize 'keras.metrics.mse'"), with or
# without keras_act; the architecture and weights are what .h5 keeps.
h5 = keras.saving.load_model(os.path.join(work, "all.h5"), compile=False)
report["h5"] = float(np.abs(h5.predict(d["x"], verbose=0) - d["pred"]).max())

cont = keras.saving.load_model(os.path.join(work, "cont.keras"))
report["iterations"] = int(keras.ops.convert_to_numpy(cont.optimizer.iterations))
report["cont"] = float(np.abs(cont.predict(d["x"], verbose=0) - d["cont_pred"]).max())
cont.fit(d["x"], d["cy"], epochs=1, batch_size=8, shuffle=False, verbose=0)
report["resumed"] = float(np.abs(cont.predict(d["x"], verbose=0) - d["cont_resumed"]).max())
# The same step from a fresh optimizer lands elsewhere: the comparison can fail.
fresh = keras.saving.load_model(os.path.join(work, "cont.keras"), compile=False)
fresh.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
fresh.fit(d["x"], d["cy"], epochs=1, batch_size=8, shuffle=False, verbose=0)
report["fresh_optimizer"] = float(np.abs(fresh.predict(d["x"], verbose=0) - d["cont_resumed"]).max())

# The subclassed fixture needs its own class, as any subclassed model does.
sys.path.insert(0, fixtures)
import fixture_models  # noqa: F401

report["fixtures"] = {}
for path in sorted(glob.glob(os.path.join(fixtures, "*.keras"))):
    name = os.path.basename(path)[: -len(".keras")]
    f = np.load(os.path.join(fixtures, name + ".npz"))
    loaded = keras.saving.load_model(path)
    y = keras.ops.convert_to_numpy(loaded(f["x"], training=False))
    report["fixtures"][name] = [list(y.shape) == list(f["y"].shape), float(np.abs(y - f["y"]).max())]
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def fresh_load(saved):
    work, _, _ = saved
    return run_child(FRESH_LOAD, work, FIXTURES, cwd=work)


def test_keras_format_reloads_in_a_fresh_process_with_safe_mode(fresh_load):
    assert fresh_load["keras"] < 1e-6


def test_legacy_h5_reloads(fresh_load):
    assert fresh_load["h5"] < 1e-6


def test_training_continues_from_the_restored_optimizer_state(saved, fresh_load):
    work, _, _ = saved
    assert fresh_load["iterations"] == int(np.load(work / "data.npz")["iterations"]) == 8
    assert fresh_load["cont"] < 1e-6
    assert fresh_load["resumed"] < 1e-5
    assert fresh_load["fresh_optimizer"] > 1e-4


def test_every_fixture_loads_and_gives_its_saved_outputs(fresh_load):
    assert sorted(fresh_load["fixtures"]) == sorted(p.stem for p in FIXTURES.glob("*.keras"))
    assert len(fresh_load["fixtures"]) >= 3
    for name, (same_shape, error) in fresh_load["fixtures"].items():
        assert same_shape, name
        assert error < 1e-5, (name, error)


def _config(path):
    with zipfile.ZipFile(path) as archive:
        return archive.read("config.json").decode()


def test_fixtures_cover_every_layer_ids_and_three_model_kinds():
    configs = {p.stem: _config(p) for p in FIXTURES.glob("*.keras")}
    text = "".join(configs.values())
    # Every layer keras_act had when the fixtures were written (26) is in
    # one; a layer added since is saved and reloaded by all_in_one_model on
    # every run, and a fixture for it is welcome but not required.
    in_fixtures = {name for name in layers.__all__ if f'"keras_act>{name}"' in text}
    assert len(in_fixtures) >= 26, sorted(set(layers.__all__) - in_fixtures)
    used_ids = {i for i in keras_act.list_activations() if f'"keras_act>{i}"' in text}
    assert len(used_ids) >= 8, used_ids
    kinds = {json.loads(c)["class_name"] for c in configs.values()}
    assert {"Sequential", "Functional", "MaxoutClassifier"} <= kinds


SERVE = """
import json, os, sys
sys.modules["keras_act"] = None  # serving must not need keras_act: importing it would fail here
import numpy as np
import tensorflow as tf

work = sys.argv[1]
d = np.load(os.path.join(work, "data.npz"))
served = tf.saved_model.load(os.path.join(work, "all_savedmodel"))
out = served.serve(tf.constant(d["x"])).numpy()
print(json.dumps({"error": float(np.abs(out - d["pred"]).max()), "shape": list(out.shape),
                  "loaded": sorted(m for m in sys.modules if m.startswith("keras_act") and sys.modules[m])}))
"""


@tensorflow_only
def test_saved_model_serves_in_a_process_without_keras_act(saved):
    work, model, x = saved
    report = run_child(SERVE, work, cwd=work)
    assert report["loaded"] == []
    assert report["shape"] == [len(x), model.output.shape[-1]]
    assert report["error"] < 1e-5


@tensorflow_only
def test_litert_export_uses_builtin_ops_only_and_matches_keras(saved):
    import tensorflow as tf
    from ai_edge_litert.interpreter import Interpreter

    work, model, x = saved
    path = str(work / "all.tflite")
    # Restricting the converter to built-ins makes any Flex op a conversion error.
    model.export(path, format="litert", verbose=False, target_spec={"supported_ops": [tf.lite.OpsSet.TFLITE_BUILTINS]})
    interpreter = Interpreter(model_path=path)
    op_names = {op["op_name"] for op in interpreter._get_ops_details()}
    assert not {n for n in op_names if n.startswith("Flex") or n == "CUSTOM"}, op_names
    runner = interpreter.get_signature_runner()
    (input_name,) = runner.get_input_details()
    outputs = runner(**{input_name: x[:4]})
    (got,) = outputs.values()
    np.testing.assert_allclose(got, model.predict(x[:4], verbose=0), rtol=1e-4, atol=2e-5)


# onnxruntime's float32 kernels (Gemm, Exp, Tanh, Log, ...) are not
# TensorFlow's, so outputs differ by a few ulp: measured 4.8e-7 at most here
# (lisht_custom, log_softmax_custom; outputs up to 7.6, where 1 ulp is
# 4.8e-7), 1.9e-6 with inputs 4x larger. 1e-5 leaves room for other CPUs'
# kernels and still catches any op converted to the wrong function.
ONNX_ATOL = 1e-5


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="ONNX export of a Keras model goes through tf2onnx here")
# Keras 3.15's numpy 2 patch of tf2onnx probes `np.object`, which warns.
@pytest.mark.filterwarnings("ignore:In the future `np.object`:FutureWarning")
def test_onnx_export_runs_in_onnxruntime_and_matches_keras(saved):
    onnx = pytest.importorskip("onnx", reason="needs the onnx extra: pip install keras_act[onnx]")
    pytest.importorskip("tf2onnx", reason="needs the onnx extra: pip install keras_act[onnx]")
    ort = pytest.importorskip("onnxruntime", reason="needs the onnx extra: pip install keras_act[onnx]")

    work, model, x = saved
    path = str(work / "all.onnx")
    model.export(path, format="onnx", verbose=False)
    # tf2onnx writes a TensorFlow op it cannot convert (Expm1, Erfc) as an
    # unknown node, and onnxruntime then refuses the whole file.
    unknown = {n.op_type for n in onnx.load(path).graph.node if not onnx.defs.has(n.op_type, n.domain)}
    assert not unknown, unknown
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    (got,) = session.run(None, {session.get_inputs()[0].name: x})
    errors = branch_errors(model, got, np.load(work / "data.npz")["pred"])
    worst = sorted(errors.items(), key=lambda item: -item[1])[:5]
    assert worst[0][1] < ONNX_ATOL, worst


def _rewrite(src, dst, old, new):
    with zipfile.ZipFile(src) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    files["config.json"] = files["config.json"].decode().replace(old, new).encode()
    with zipfile.ZipFile(dst, "w") as archive:
        for n, data in files.items():
            archive.writestr(n, data)


@pytest.mark.parametrize(
    "old, new, match",
    [
        ('LeakyReLU"', 'NoSuchLayer"', r"Could not locate class 'NoSuchLayer'"),
        ('"keras_act>selu_custom"', '"keras_act>nosuch_custom"', r"Could not locate function 'keras_act>nosuch_custom'"),
    ],
)
def test_unknown_layer_or_id_fails_naming_it(tmp_path, old, new, match):
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, activation="selu_custom"), layers.LeakyReLU(0.2)]
    )
    model.save(tmp_path / "good.keras")
    assert old in _config(tmp_path / "good.keras")
    _rewrite(tmp_path / "good.keras", tmp_path / "bad.keras", old, new)
    with pytest.raises(Exception, match=match):
        keras.saving.load_model(tmp_path / "bad.keras")
