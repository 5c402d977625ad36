"""The benchmark's code on tiny sizes, so that it cannot rot.

No timing is asserted (CI machines are noisy); the structure is, and every
ratio must be finite and positive. The tables the benchmark keeps beside the
records must cover them exactly, and its naive compositions must compute the
same function as keras_act (else the "naive" column compares apples to pears).
"""

import math
import os

import keras
import numpy as np
import pytest

import keras_act
from keras_act._record import RECORDS

from benchmarks import cases, elementwise, layer_cases, report, run, timing

ROWS = {"mish_custom", "layers.PReLU"}


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
    assert {"cpu", "cores", "tensorflow", "keras"} <= set(results["machine"])
    rows = results["elementwise"]
    assert {r["row"] for r in rows} == ROWS
    for name in ROWS:
        got = {(r["mode"], r["pass"]) for r in rows if r["row"] == name}
        assert got == {(m, p) for m in elementwise.MODES for p in elementwise.PASSES}
    for r in rows:
        assert r["ratios"], r["row"]
        for ratio in r["ratios"].values():
            assert _finite_positive(ratio["median"]) and all(_finite_positive(p) for p in ratio["pairs"])
        assert all(g["verdict"] in {report.PASS, report.NOISE, report.MISS} for g in r["goals"])
    assert {(r["row"], r["arch"]) for r in results["training"]} >= {("mish_custom", "mlp"), ("mish_custom", "cnn")}
    for r in results["training"]:
        assert all(_finite_positive(v["median"]) for v in r["ratios"].values())
    assert {r["row"] for r in results["memory"]} == ROWS
    for r in results["memory"]:
        assert _finite_positive(r["ratio"])
    text = (tmp_path / "RESULTS.md").read_text()
    assert "| mish_custom |" in text and "Peak memory" in text
    assert (tmp_path / "results.json").exists()
