"""The benchmark's code on tiny sizes, so that it cannot rot.

No timing is asserted (CI machines are noisy); the structure is, and every
ratio must be finite and positive. The quick run uses the test run's Keras
backend, so each backend's code paths (TensorFlow's three modes, jax.jit with
jax.vjp, torch eager with autograd) are covered by that backend's test run. The tables the benchmark keeps beside the
records must cover them exactly, and its naive compositions must compute the
same function as keras_act (else the "naive" column compares apples to pears).
"""

import importlib.util
import math
import os

import keras
import numpy as np
import pytest

import keras_act
from keras_act._record import RECORDS

from benchmarks import cases, elementwise, layer_cases, report, run, timing

# A function with a torch.nn counterpart, a layer with a weight, a layer
# drawing random numbers in training (a seed generator inside jax.jit).
ROWS = {"mish_custom", "layers.PReLU", "layers.RReLU"}


def test_tables_cover_the_records_exactly():
    assert set(cases.NAIVE) == set(RECORDS)
    lacking = {name for name, rec in RECORDS.items() if rec.keras_builtin is None}
    assert set(cases.KIN) == lacking
    assert cases.PIECEWISE_LINEAR <= set(RECORDS)
    names = [c.name for c in cases.function_cases()]
    assert set(RECORDS) <= set(names) and len(names) == len(set(names))


def test_layer_table_covers_every_layer():
    import keras_act.layers

    table = layer_cases._layers_table()
    assert {name.split("(")[0] for name in table} == set(keras_act.layers.__all__)
    assert set(layer_cases.supports_jit()) == set(keras_act.layers.__all__)


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
    r = result["ratios"]["ref"]
    assert len(r["pairs"]) == 4 and r["q1"] <= r["median"] <= r["q3"]
    # The timed rounds alternate the order: a b, b a, a b, b a.
    assert calls[-8:] == ["a", "b", "b", "a", "a", "b", "b", "a"]


def test_verdicts():
    assert report.verdict({"median": 0.9, "q1": 0.8, "q3": 1.0}, 1.0) == report.PASS
    assert report.verdict({"median": 1.05, "q1": 0.97, "q3": 1.1}, 1.0) == report.NOISE
    assert report.verdict({"median": 1.5, "q1": 1.4, "q3": 1.6}, 1.0) == report.MISS


def _finite_positive(value):
    return isinstance(value, float) and math.isfinite(value) and value > 0


def test_quick_run_writes_results(tmp_path):
    results = run.run(quick=True, rows=ROWS, pairs=3, out_dir=str(tmp_path), log=lambda msg: None)
    assert set(results) >= {"machine", "config", "noise", "elementwise", "training", "memory", "layers_jit"}
    backend = keras.backend.backend()
    assert results["backend"] == results["machine"]["backend"] == backend
    assert {"cpu", "cores", "tensorflow", "jax", "torch", "keras"} <= set(results["machine"])
    rows = results["elementwise"]
    assert {r["row"] for r in rows} == ROWS
    assert results["config"]["modes"] == list(elementwise.MODES_BY_BACKEND[backend])
    for name in ROWS:
        got = {(r["mode"], r["pass"]) for r in rows if r["row"] == name}
        assert got == {(m, p) for m in elementwise.backend_modes() for p in elementwise.PASSES}
    for r in rows:
        assert r["ratios"], r["row"]
        for ratio in r["ratios"].values():
            assert _finite_positive(ratio["median"]) and all(_finite_positive(p) for p in ratio["pairs"])
        assert all(g["verdict"] in {report.PASS, report.NOISE, report.MISS} for g in r["goals"])
    assert {(r["row"], r["arch"]) for r in results["training"]} >= {("mish_custom", "mlp"), ("mish_custom", "cnn")}
    for r in results["training"]:
        assert all(_finite_positive(v["median"]) for v in r["ratios"].values())
    if backend == "tensorflow":
        assert {r["row"] for r in results["memory"]} == ROWS
        for r in results["memory"]:
            assert _finite_positive(r["ratio"])
    else:
        assert results["memory"] == [] and "BFC allocator" in results["memory_note"]
    # The torch column exists where an eager mode is timed and torch is installed.
    mish = [r for r in rows if r["row"] == "mish_custom" and r["mode"] == "eager"]
    if mish and importlib.util.find_spec("torch"):
        assert all("torch" in r["ratios"] for r in mish)
    text = (tmp_path / "RESULTS.md").read_text()
    title = report.BACKEND_TITLES[backend]
    assert f"## {title}" in text and "| mish_custom |" in text and "Peak memory" in text
    assert (tmp_path / report.RESULTS_FILES[backend]).exists()


def test_results_md_has_a_section_per_backend_results_file(tmp_path):
    # Two backends' results files (this backend's and a stand-in for another's)
    # render into one RESULTS.md, in RESULTS_FILES order, each with its modes.
    results = run.run(quick=True, rows={"relu_custom"}, pairs=1, out_dir=str(tmp_path), log=lambda msg: None,
                      skip={"training", "memory"})
    backend = keras.backend.backend()
    other = "jax" if backend != "jax" else "tensorflow"
    fake = dict(results, backend=other)
    fake["machine"] = dict(results["machine"], backend=other)
    fake["elementwise"] = [dict(r, mode=elementwise.MODES_BY_BACKEND[other][0]) for r in results["elementwise"]]
    report.write_json(fake, str(tmp_path / report.RESULTS_FILES[other]))
    report.rerender(str(tmp_path))
    text = (tmp_path / "RESULTS.md").read_text()
    first, second = [report.BACKEND_TITLES[b] for b in report.RESULTS_FILES if b in (backend, other)]
    assert text.index(f"## {first}") < text.index(f"## {second}")
    assert "jax.jit fwd" in text and "### Noise floor" in text
