""".keras files saved on one backend load on the others with equal outputs.

Six processes in all: one per backend (TensorFlow, JAX, torch) builds the
same seeded model (every keras_act layer of tests/layers/_cases.py and every
string id that keeps its input's shape, each on its own branch, as
tests/test_saving.py's shared model), scales its weights by seeded factors, saves it with its
predictions on fixed inputs; then one per backend loads all three files and
predicts again. Each backend's initializers draw different weights from the
same seed, so every file is compared with its own saved predictions.

Tolerance: float32 kernels differ by backend (XLA, Eigen, ATen), so
|loaded - saved| <= 1e-5 * max(1, |saved|) elementwise; a file loaded on the
backend that wrote it must give the same numbers exactly.
"""

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("tensorflow", "jax", "torch")
RTOL = 1e-5

pytestmark = [pytest.mark.slow, pytest.mark.once]

CHILD = """
import json, os, sys
import numpy as np
import keras
import keras_act

mode, work = sys.argv[1], sys.argv[2]
backend = keras.backend.backend()
if mode == "save":
    from tests.layers._cases import CASES, make

    def keeps_shape(name):
        # glu_custom and its variants halve their axis, which Dense's output
        # shape does not know: the GLU-family layers cover them.
        return tuple(keras_act.get(name)(np.ones((1, 4), "float32")).shape) == (1, 4)

    names = sorted(CASES) + [i for i in keras_act.list_activations() if keeps_shape(i)]
    keras.utils.set_random_seed(7)
    inputs = keras.Input((8,), name="x")
    branches = []
    for name in names:
        if name in CASES:
            shape = CASES[name][1]
            hidden = keras.layers.Reshape(shape)(keras.layers.Dense(int(np.prod(shape)))(inputs))
            branches.append(keras.layers.Flatten()(make(name)(hidden)))
        else:
            branches.append(keras.layers.Dense(4, activation=name)(inputs))
    model = keras.Model(inputs, keras.layers.Concatenate()(branches))
    rng = np.random.RandomState(0)
    x = rng.normal(size=(32, 8)).astype("float32")
    # Every weight scaled by its own seeded factor in [0.9, 1.1]: the
    # activations' weights leave their initial values (signs and constraints
    # kept) without a training step's cost.
    for w in model.weights:
        w.assign(keras.ops.convert_to_numpy(w) * rng.uniform(0.9, 1.1, size=w.shape).astype("float32"))
    pred = keras.ops.convert_to_numpy(model(x, training=False))
    model.save(os.path.join(work, backend + ".keras"))
    widths = [int(t.shape[-1]) for t in model.layers[-1].input]
    np.savez(os.path.join(work, backend + ".npz"), x=x, pred=pred, names=np.array(names), widths=np.array(widths))
    print(json.dumps({"backend": backend, "names": names}))
else:
    report = {}
    for saved_on in sys.argv[3:]:
        d = np.load(os.path.join(work, saved_on + ".npz"))
        model = keras.saving.load_model(os.path.join(work, saved_on + ".keras"))
        got = keras.ops.convert_to_numpy(model(d["x"], training=False))
        if got.shape != d["pred"].shape:
            report[saved_on] = {"shape": list(got.shape)}
            continue
        err = np.abs(got.astype("float64") - d["pred"])
        scaled = err / np.maximum(np.abs(d["pred"]), 1.0)
        edges = np.cumsum([0, *d["widths"]])
        per_branch = {str(n): float(scaled[:, a:b].max()) for n, a, b in zip(d["names"], edges, edges[1:])}
        report[saved_on] = {"shape": list(got.shape), "max_abs": float(err.max()), "max_scaled": float(scaled.max()),
                            "worst": max(per_branch, key=per_branch.get)}
    print(json.dumps({"backend": backend, "loaded": report}))
"""


def _installed(backend):
    return importlib.util.find_spec(backend) is not None


AVAILABLE = [b for b in BACKENDS if _installed(b)]


def _run_all(args_by_backend, work, timeout=600):
    """One child per backend, run side by side; their JSON reports by backend."""
    env = {k: v for k, v in os.environ.items() if k not in ("JAX_ENABLE_X64", "XLA_FLAGS")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    procs = {}
    try:
        for backend, args in args_by_backend.items():
            procs[backend] = subprocess.Popen(
                [sys.executable, "-c", textwrap.dedent(CHILD), *args], cwd=work, text=True,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**env, "KERAS_BACKEND": backend})
        reports = {}
        for backend, proc in procs.items():
            out, err = proc.communicate(timeout=timeout)
            assert proc.returncode == 0, f"{backend}:\n{err[-4000:]}"
            reports[backend] = json.loads(out.strip().splitlines()[-1])
        return reports
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    if len(AVAILABLE) < 2:
        pytest.skip(f"needs two backends installed; found {AVAILABLE}")
    work = tmp_path_factory.mktemp("cross_backend")
    saved = _run_all({b: ["save", str(work)] for b in AVAILABLE}, work)
    reports = _run_all({b: ["load", str(work), *AVAILABLE] for b in AVAILABLE}, work)
    return saved, {b: r["loaded"] for b, r in reports.items()}


def test_every_backend_saved_every_layer_and_every_id_that_keeps_its_shape(loaded):
    import keras_act
    from tests.layers._cases import CASES

    def keeps_shape(name):
        return tuple(keras_act.get(name)(np.ones((1, 4), "float32")).shape) == (1, 4)

    saved, _ = loaded
    expected = sorted(CASES) + [i for i in keras_act.list_activations() if keeps_shape(i)]
    assert len(expected) > len(CASES) + 30
    for backend, report in saved.items():
        assert report["names"] == expected, backend


@pytest.mark.parametrize("saved_on", BACKENDS)
@pytest.mark.parametrize("loaded_on", BACKENDS)
def test_file_saved_on_one_backend_loads_on_another_with_equal_outputs(loaded, saved_on, loaded_on):
    for backend in (saved_on, loaded_on):
        if backend not in AVAILABLE:
            pytest.skip(f"{backend} is not installed")
    _, reports = loaded
    report = reports[loaded_on][saved_on]
    assert "max_abs" in report, f"output shape {report['shape']}"
    if saved_on == loaded_on:
        assert report["max_abs"] == 0.0, report
    else:
        assert report["max_scaled"] <= RTOL, report
