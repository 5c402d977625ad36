"""The benchmark's code on tiny sizes, so that it cannot rot.

No timing is asserted (CI machines are noisy); the structure is, and every
ratio must be finite and positive. The quick run uses the test run's Keras
backend, so each backend's code paths (TensorFlow's three modes, jax.jit with
jax.vjp, torch eager with autograd and torch.compile) are covered by that
backend's test run, at two sizes, with the real-model rows (one per model
family) and, on TensorFlow, the ONNX and LiteRT export check. The tables the
benchmark keeps beside the records must cover them exactly, and its naive
compositions must compute the same function as keras_act (else the "naive"
column compares apples to pears).
"""

import ast
import importlib.util
import json
import math
import os

import keras
import numpy as np
import pytest

import keras_act
from keras_act._record import RECORDS

from benchmarks import cases, catalog, elementwise, export, layer_cases, report, run, timing, training

BACKEND = keras.backend.backend()
# A function with a Keras built-in (timed by torch.compile too) and a
# torch.nn counterpart; a layer with a weight.
ROWS = {"mish_custom", "layers.PReLU"}
# One real-model row (it brings its family's A/A control); the CNN's code
# path (a layer after each Conv2D) is the per-case training step's too.
MODELS = {"transformer SwiGLU: swiglu_custom"}
# What model.fit's default jit_compile="auto" picks here: XLA only under jax.jit.
DEFAULT_JIT = {"tensorflow": False, "jax": True, "torch": False}


def test_tables_hold_no_stale_entry_and_every_comparable_id_has_a_row():
    # The tables are optional (a new id needs no entry): none names an id
    # that is gone, KIN only ids Keras lacks, and every id with a built-in
    # or a kin has its row.
    assert set(cases.NAIVE) <= set(RECORDS)
    lacking = {name for name, rec in RECORDS.items() if rec.keras_builtin is None}
    assert set(cases.KIN) <= lacking
    assert cases.PIECEWISE_LINEAR <= set(RECORDS)
    comparable = {name for name, rec in RECORDS.items() if rec.keras_builtin is not None} | set(cases.KIN)
    names = [c.name for c in cases.function_cases()]
    assert comparable <= set(names) and len(names) == len(set(names))
    # Today every id has its hand formula and its kin.
    assert set(cases.NAIVE) == set(RECORDS) and set(cases.KIN) == lacking


def test_layer_table_covers_every_layer():
    import keras_act.layers

    table = layer_cases._layers_table()
    assert {name.split("(")[0] for name in table} <= set(keras_act.layers.__all__)
    layer_rows = {c.name.split("(")[0][len("layers."):] for c in layer_cases.layer_cases()}
    assert layer_rows == set(keras_act.layers.__all__)
    assert set(layer_cases.supports_jit()) == set(keras_act.layers.__all__)
    names = [c.name for c in catalog.all_cases()]
    assert len(names) == len(set(names)) == len(cases.function_cases()) + len(layer_cases.layer_cases())


def _imports(module):
    with open(module.__file__) as f:
        tree = ast.parse(f.read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_case_tables_import_one_way():
    # catalog -> layer_cases -> cases, never back (issue 19).
    assert not {"benchmarks.layer_cases", "benchmarks.catalog"} & _imports(cases)
    assert "benchmarks.catalog" not in _imports(layer_cases)
    assert "benchmarks.cases" in _imports(layer_cases)


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_naive_composition_is_the_same_function(name):
    x = np.linspace(-6.0, 6.0, 64, dtype="float32").reshape(4, 16)
    expected = keras.ops.convert_to_numpy(RECORDS[name].fn(x))
    got = keras.ops.convert_to_numpy(cases.NAIVE[name](keras.ops.convert_to_tensor(x)))
    np.testing.assert_allclose(got, expected, rtol=2e-5, atol=2e-5)


def test_timing_compare_alternates_and_summarizes():
    calls = []
    result = timing.compare({"keras_act": lambda: calls.append("a"), "ref": lambda: calls.append("b")},
                            pairs=4, warmup=1, min_sample_s=0.0)
    assert set(result["ratios"]) == {"ref"}
    assert set(result["first_call_s"]) == {"keras_act", "ref"}
    r = result["ratios"]["ref"]
    assert len(r["pairs"]) == 4 and r["q1"] <= r["median"] <= r["q3"]
    # The timed rounds alternate the order: a b, b a, a b, b a.
    assert calls[-8:] == ["a", "b", "b", "a", "a", "b", "b", "a"]


def test_verdicts():
    assert report.verdict({"median": 0.9, "q1": 0.8, "q3": 1.0}, 1.0) == report.PASS
    assert report.verdict({"median": 1.05, "q1": 0.97, "q3": 1.1}, 1.0) == report.NOISE
    assert report.verdict({"median": 1.5, "q1": 1.4, "q3": 1.6}, 1.0) == report.MISS
    # Against a built-in, consistently slower means a lower quartile above 1.05.
    assert report.verdict({"median": 1.08, "q1": 1.04, "q3": 1.1}, 1.0, 1.05) == report.NOISE
    assert report.verdict({"median": 1.08, "q1": 1.06, "q3": 1.1}, 1.0, 1.05) == report.MISS
    assert report.verdict({"median": float("nan"), "q1": 1.0, "q3": 1.0}, 1.0) == report.MISS


def _row(**kw):
    row = {"reference_kind": "builtin", "composed": True, "lean_gradient": True, "mode": "eager",
           "pass": "forward+backward", "piecewise_linear": False, "ratios": {"builtin": {}}}
    row.update(kw)
    return row


def test_goals_follow_issue_16():
    (goal,) = report.elementwise_goals(_row())
    assert goal[:3] == ("builtin", 0.80, 0.80)
    # A composed built-in whose id runs a native kernel: the plain goal.
    (goal,) = report.elementwise_goals(_row(lean_gradient=False))
    assert goal[:3] == ("builtin", 1.00, 1.05)
    (goal,) = report.elementwise_goals(_row(mode="compile"))
    assert goal[:3] == ("builtin", 1.00, 1.05)
    (goal,) = report.elementwise_goals(_row(reference_kind="kin", ratios={"kin": {}}))
    assert goal[:3] == ("kin", 1.20, 1.20)
    goals = report.elementwise_goals(_row(mode="xla", piecewise_linear=True, ratios={"builtin": {}, "copy": {}},
                                          **{"pass": "forward"}))
    assert [g[:2] for g in goals] == [("builtin", 1.00), ("copy", 1.15)]
    assert [g[:3] for g in report.model_goals({"step": "train"})] == [("builtin", 1.02, 1.05)]
    assert report.model_goals({"step": "predict", "control": True}) == []


def test_size_labels():
    assert report.size_label((256, 256)) == "64K"
    assert report.size_label((4096, 1024)) == "4M"
    assert report.size_label((8, 64)) == "512"


def test_lean_gradient_reads_the_dispatch_tables():
    by_name = {c.name: c for c in catalog.all_cases()}
    for name, case in by_name.items():
        assert elementwise.lean_gradient(case) == (
            elementwise.composed_on_backend(case) and elementwise.native_kernel(case) is None), name
    # relu has a native kernel on every backend; it is not composed anyway.
    assert elementwise.native_kernel(by_name["relu_custom"]) is not None


def test_export_entries_cover_shape_keeping_ids_and_layers():
    import keras_act.layers

    entries = export.entries()
    keeps = {n for n in RECORDS if export.keeps_shape(n)}
    assert {"glu_custom", "swiglu_custom"}.isdisjoint(keeps)
    assert set(entries) == keeps | set(keras_act.layers.__all__)
    for name in keeps:
        has_builtin = keras_act.record(name).keras_builtin is not None
        assert (entries[name][1] is not None) == has_builtin, name
    assert entries["PReLU"][2] == "keras.layers.PReLU" and entries["PAU"][1] is None


def test_export_markdown_verdicts():
    entry = {"onnx": True, "onnx_error": 1e-7, "litert_ops": 2, "litert_op_names": ["FULLY_CONNECTED", "GELU"],
             "litert_builtin": True, "keras_litert_ops": 2, "keras_litert_op_names": ["FULLY_CONNECTED", "GELU"]}
    exports = {"date": "2030-01-01", "machine": {"cpu": "Test CPU"}, "ids": {
        "gelu_custom": entry,
        "celu_custom": dict(entry, onnx=False, onnx_error=None, litert_ops=9, keras_litert_ops=5),
        "PAU": dict(entry, keras_litert_ops=None, keras_litert_op_names=None),
    }}
    text = "\n".join(report.export_markdown(exports, {"gelu_custom": "keras.activations.gelu"}))
    assert "ONNX: 2/3 exported and matching" in text and "Failing: celu_custom" in text
    assert "| gelu_custom | yes (1.0e-07) | 2 | 2 | pass |" in text
    assert "| celu_custom | **no** (failed) | 9 | 5 | **miss** |" in text
    assert "| PAU | yes (1.0e-07) | 2 |  | no built-in |" in text


def _finite_positive(value):
    return isinstance(value, float) and math.isfinite(value) and value > 0


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    results = run.run(quick=True, rows=ROWS, models=MODELS, out_dir=str(out), log=lambda msg: None)
    return results, out


def test_quick_run_times_every_mode_size_and_pass(quick):
    results, _ = quick
    assert set(results) >= {"machine", "config", "noise", "elementwise", "models", "training", "memory",
                            "layers_jit"}
    assert results["backend"] == results["machine"]["backend"] == BACKEND
    assert {"cpu", "cores", "tensorflow", "jax", "torch", "keras", "load_start", "load_end"} <= set(results["machine"])
    modes = elementwise.MODES_BY_BACKEND[BACKEND]
    assert results["config"]["modes"] == list(modes)
    shapes = [tuple(s) for s in run.QUICK["shapes"]]
    assert len(shapes) == 2 and [tuple(s) for s in results["config"]["shapes"]] == shapes
    assert {(r["mode"], tuple(r["shape"])) for r in results["noise"]} == {(m, s) for m in modes for s in shapes}
    rows = results["elementwise"]
    by_name = {c.name: c for c in catalog.all_cases()}
    for name in ROWS:
        got = {(r["mode"], r["pass"], tuple(r["shape"])) for r in rows if r["row"] == name}
        assert got == {(m, p, s) for m in elementwise.modes_for(by_name[name]) for p in elementwise.PASSES
                       for s in shapes}, name
    for r in rows:
        assert r["ratios"], r["row"]
        assert r["elements"] == math.prod(r["shape"])
        for ratio in r["ratios"].values():
            assert _finite_positive(ratio["median"]) and all(_finite_positive(p) for p in ratio["pairs"])
        assert all(g["verdict"] in {report.PASS, report.NOISE, report.MISS} for g in r["goals"])
    # torch.compile times the ids with a Keras built-in, against that built-in only.
    compiled = [r for r in rows if r["mode"] == "compile"]
    if BACKEND == "torch":
        assert {r["row"] for r in compiled} == {"mish_custom"}
        for r in compiled:
            assert set(r["ratios"]) == {"builtin"} and r["first_call_s"]["keras_act"] > 0
            assert set(r["graph_breaks"]) == {"keras_act", "builtin"}
            assert all(isinstance(n, int) for n in r["graph_breaks"].values())
    else:
        assert not compiled
    # The torch column exists where an eager mode is timed and torch is installed.
    mish = [r for r in rows if r["row"] == "mish_custom" and r["mode"] == "eager"]
    if mish and importlib.util.find_spec("torch"):
        assert all("torch" in r["ratios"] for r in mish)


def test_quick_run_times_the_real_models_in_fits_default_mode(quick):
    results, _ = quick
    models = results["models"]
    names = {r["row"] for r in models}
    assert names == MODELS | {r["row"] for r in models if r["control"]}
    assert {r["row"].split(":")[0] for r in models if r["control"]} == {"A/A"}
    assert len([r for r in models if r["control"]]) == 2  # the transformer's A/A, train and predict
    for r in models:
        assert r["step"] in ("train", "predict")
        assert r["jit_compile"] == r["builtin_jit_compile"] == DEFAULT_JIT[BACKEND]
        assert _finite_positive(r["ratios"]["builtin"]["median"])
        assert [g["target"] for g in r["goals"]] == ([] if r["control"] else [1.02])
    assert {(r["row"], r["step"]) for r in models} >= {(m, s) for m in MODELS for s in ("train", "predict")}
    assert {(r["row"], r["arch"]) for r in results["training"]} == {("mish_custom", "mlp"), ("layers.PReLU", "mlp")}
    for r in results["training"]:
        assert all(_finite_positive(v["median"]) for v in r["ratios"].values())


@pytest.mark.once
def test_real_models_compare_the_same_shapes():
    # keras_act's and Keras's models have the same layers and weights.
    for name, arch, ours, theirs, _ in training.model_specs():
        kw = {"transformer": {"seq": 4, "d_model": 8, "heads": 2, "ff": 8}, "cnn": {"size": 8}}[
            "transformer" if arch.startswith("transformer") else arch]
        a = training.ARCHITECTURES[arch](ours, **kw)
        b = training.ARCHITECTURES[arch](theirs, **kw)
        assert a.count_params() == b.count_params(), name
        assert a.output_shape == b.output_shape == (None, 10), name


def test_quick_run_writes_results_and_export(quick):
    results, out = quick
    if BACKEND == "tensorflow":
        assert {r["row"] for r in results["memory"]} == ROWS
        for r in results["memory"]:
            assert _finite_positive(r["ratio"])
    else:
        assert results["memory"] == [] and "BFC allocator" in results["memory_note"]
    text = (out / "RESULTS.md").read_text()
    title = report.BACKEND_TITLES[BACKEND]
    assert f"## {title}" in text and "| mish_custom |" in text and "Peak memory" in text
    assert "Real model shapes" in text and "| transformer SwiGLU: swiglu_custom | train |" in text
    assert "512 elements (8, 64)" in text and "1K elements (16, 64)" in text
    assert (out / report.RESULTS_FILES[BACKEND]).exists()
    if BACKEND != "tensorflow":
        assert not (out / report.EXPORT_FILE).exists()
        return
    exported = json.loads((out / report.EXPORT_FILE).read_text())
    assert set(exported) == {"date", "machine", "ids"}
    assert set(exported["ids"]) == {"mish_custom", "PReLU"}
    for key, e in exported["ids"].items():
        assert set(e) == {"onnx", "onnx_error", "litert_ops", "litert_op_names", "litert_builtin",
                          "keras_litert_ops", "keras_litert_op_names"}
        assert e["onnx"] and e["onnx_error"] < export.ONNX_ATOL, key
        assert e["litert_builtin"] and e["litert_ops"] == len(e["litert_op_names"]) >= 1, key
        assert e["keras_litert_ops"] == len(e["keras_litert_op_names"]) >= 1, key
    assert "## Export (TensorFlow): ONNX and LiteRT" in text and "ONNX: 2/2 exported and matching" in text


def test_results_md_has_a_section_per_backend_results_file(tmp_path):
    # Two backends' results files (this backend's and a stand-in for another's)
    # render into one RESULTS.md, in RESULTS_FILES order, each with its modes.
    # RReLU in training draws random numbers: a seed generator in every mode.
    results = run.run(quick=True, rows={"layers.RReLU"}, pairs=1, out_dir=str(tmp_path), log=lambda msg: None,
                      skip={"models", "training", "memory", "export"}, shapes=[(8, 64)])
    assert {tuple(r["shape"]) for r in results["elementwise"]} == {(8, 64)}
    other = "jax" if BACKEND != "jax" else "tensorflow"
    fake = dict(results, backend=other)
    fake["machine"] = dict(results["machine"], backend=other)
    fake["elementwise"] = [dict(r, mode=elementwise.MODES_BY_BACKEND[other][0]) for r in results["elementwise"]]
    report.write_json(fake, str(tmp_path / report.RESULTS_FILES[other]))
    report.rerender(str(tmp_path))
    text = (tmp_path / "RESULTS.md").read_text()
    first, second = [report.BACKEND_TITLES[b] for b in report.RESULTS_FILES if b in (BACKEND, other)]
    assert text.index(f"## {first}") < text.index(f"## {second}")
    assert "jax.jit fwd" in text and "### Noise floor" in text


def test_makefile_benchmark_runs_every_backend():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "Makefile")) as f:
        text = f.read()
    recipe = text.split("\nbenchmark:", 1)[1].split("\n\n", 1)[0]
    for backend in report.RESULTS_FILES:
        assert f"KERAS_BACKEND={backend}" in recipe and "-m benchmarks.run" in recipe
