"""The keras-act command, mostly in-process through main(argv)."""

import json
import os
import pathlib
import re
import struct
import subprocess
import sys
import zipfile

import keras
import pytest

import keras_act
from keras_act import cli
from keras_act.registry import unknown_id_message


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_error_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("keras-act: error: ")
    return lines[0]


def _png_size(path):
    data = pathlib.Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_list_shows_every_id_with_its_properties(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    for name in keras_act.list_activations():
        assert name in rows, name
    assert "he_normal" in rows["relu_custom"] and "negative" in rows["relu_custom"]
    assert "lecun_normal" in rows["selu_custom"]
    assert "[0, 1]" in rows["sigmoid_custom"] and "both" in rows["sigmoid_custom"]
    assert "(= silu_custom)" in rows["swish_custom"]
    layers = getattr(keras_act, "layers", None)
    if layers is None:
        try:
            from keras_act import layers
        except ImportError:
            layers = None
    if layers is not None:
        for name in layers.__all__:
            assert f"layers.{name}" in rows, name


def test_info_prints_formula_derivative_and_reference(capsys):
    code, out, _ = run(capsys, "info", "elu_custom")
    rec = keras_act.record("elu_custom")
    assert code == 0
    assert rec.formula in out and rec.derivative_formula in out and rec.reference in out
    assert re.search(r"initializer\s+he_normal", out)
    assert re.search(r"flat outputs\s+none", out)
    code, out, _ = run(capsys, "info", "swish_custom")
    assert code == 0 and "silu_custom (alias swish_custom)" in out


def test_typo_gets_the_same_suggestion_as_keras_act_get(capsys):
    code, out, err = run(capsys, "info", "relu_custm")
    assert code == 1 and out == ""
    line = _one_error_line(err)
    with pytest.raises(ValueError) as raised:
        keras_act.get("relu_custm")
    assert str(raised.value) in line
    assert unknown_id_message("relu_custm") in line
    assert "Did you mean 'relu_custom'" in line


def test_plot_writes_a_png(capsys, tmp_path):
    both = tmp_path / "both.png"
    code, out, _ = run(capsys, "plot", "sigmoid_custom", "relu_custom", "--derivative", "--out", str(both))
    assert code == 0 and str(both) in out
    single = tmp_path / "single.png"
    assert run(capsys, "plot", "tanh_custom", "--out", str(single))[0] == 0
    (w_both, h_both), (w_single, h_single) = _png_size(both), _png_size(single)
    assert w_both > 1.5 * w_single and h_both == h_single  # two panels with --derivative


@pytest.mark.parametrize(
    "argv, code, match",
    [
        (["plot", "relu_custom", "--out", "curves.jpg"], 2, "must name a .png"),
        (["plot", "relu_custom"], 2, "--out"),
        (["plot", "relu_custom", "--out", "/no/such/dir/x.png"], 1, "does not exist"),
        (["plot", "softmax_custom", "--out", "x.png"], 1, "not elementwise"),
        (["compare", "--activations", "relu_custom,sigmoid_custm"], 1, "Did you mean 'sigmoid_custom'"),
        (["compare", "--activations", "relu_custom", "--epochs", "0"], 2, "positive integer"),
        (["compare", "--activations", "relu_custom", "--dataset", "mnist"], 2, "invalid choice"),
        (["compare", "--activations", ","], 2, "comma-separated"),
        (["inspect", "/no/such/model.keras"], 1, "no such file"),
        (["frobnicate"], 2, "invalid choice"),
        ([], 2, "required"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(capsys, tmp_path, monkeypatch, argv, code, match):
    monkeypatch.chdir(tmp_path)
    got, out, err = run(capsys, *argv)
    assert got == code
    assert match in _one_error_line(err)
    assert "Traceback" not in err


def test_help_exits_zero(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "compare" in out and "inspect" in out


def test_compare_trains_and_reports(capsys, tmp_path):
    code, out, err = run(
        capsys, "compare", "--activations", "relu_custom,sigmoid_custom", "--depth", "2", "--width", "16",
        "--epochs", "2", "--out", str(tmp_path / "curves"),
    )
    assert code == 0, err
    assert "2/2 epochs" in err  # the progress bar
    rows = [line for line in out.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == ["relu_custom", "sigmoid_custom"]
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        accuracy, loss, seconds = float(cells[2]), float(cells[3]), float(cells[4])
        dead, ratio = float(cells[5].rstrip("%")), float(cells[6])
        assert 0.1 <= accuracy <= 1 and loss > 0 and seconds > 0 and 0 <= dead <= 100 and ratio > 0
    assert "he_normal" in rows[0] and "glorot_uniform" in rows[1]  # the matched initializers
    assert _png_size(tmp_path / "curves" / "compare.png")[0] > 0


def test_compare_function_matches_its_table():
    results = cli.compare(["elu_custom"], depth=1, width=8, epochs=1)
    (r,) = results
    assert r["initializer"] == "he_normal" and r["dead_fraction"] == 0.0  # elu units cannot die
    assert len(r["loss"]) == len(r["test_accuracy_curve"]) == 1
    assert r["test_accuracy"] == pytest.approx(r["test_accuracy_curve"][-1], abs=1e-6)
    assert f"{r['test_accuracy']:.4f}" in cli.format_compare(results)


def _saved_model(path):
    layers = [keras.Input((4,)), keras.layers.Dense(3, activation="relu_custom", name="d1")]
    try:
        from keras_act.layers import PReLU

        layers.append(PReLU(name="p"))
    except ImportError:
        pass
    layers += [keras.layers.Dense(3, activation="tanh", name="d2"), keras.layers.Dense(2, name="d3")]
    try:
        from keras_act.layers import ELU

        layers.append(keras.layers.Dense(2, activation=ELU(alpha=0.5), name="d4"))
    except ImportError:
        pass
    keras.Sequential(layers).save(path)
    return path


# Keras's model.save on TF 2.21 with numpy 2 warns from inside Keras
# (keras/src/backend/tensorflow/core.py, np.array(x)); nothing of keras_act's.
KERAS_SAVE_WARNING = "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"


@pytest.mark.filterwarnings(KERAS_SAVE_WARNING)
def test_inspect_lists_activations_and_loads(capsys, tmp_path):
    path = _saved_model(tmp_path / "m.keras")
    code, out, _ = run(capsys, "inspect", str(path))
    assert code == 0
    assert re.search(r"d1\s+Dense\s+relu_custom\s+keras_act", out)
    assert re.search(r"d2\s+Dense\s+tanh\s+keras", out)
    assert "d3" not in out  # linear: no activation
    assert "keras_act ids: relu_custom\n" in out
    if "p" in {row.split()[0] for row in out.splitlines() if row.strip()}:
        assert re.search(r"p\s+PReLU\s+\(no record\)\s+keras_act layer", out)
        assert re.search(r"d4\s+Dense\s+ELU\s+keras_act layer", out)
        assert "keras_act layers: ELU, PReLU" in out
    assert "loads: yes" in out


@pytest.mark.filterwarnings(KERAS_SAVE_WARNING)
def test_inspect_reports_a_model_that_does_not_load(capsys, tmp_path):
    good = _saved_model(tmp_path / "m.keras")
    bad = tmp_path / "bad.keras"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "config.json":
                config = json.loads(data)
                config["config"]["layers"][1]["config"]["activation"]["config"] = "keras_act>no_such_custom"
                data = json.dumps(config).encode()
            dst.writestr(item, data)
    code, out, _ = run(capsys, "inspect", str(bad))
    assert code == 1
    assert "no_such_custom" in out and "loads: no:" in out
    not_a_model = tmp_path / "notes.keras"
    not_a_model.write_text("hello")
    code, _, err = run(capsys, "inspect", str(not_a_model))
    assert code == 1 and "not a .keras model" in _one_error_line(err)


def _python_m(*argv):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    command = [sys.executable, "-m", "keras_act", *argv]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow
def test_python_m_keras_act_entry_point():
    done = _python_m("info", "relu_custom")
    assert done.returncode == 0, done.stderr
    assert keras_act.record("relu_custom").formula in done.stdout


@pytest.mark.slow
def test_python_m_keras_act_error_is_one_line_without_traceback():
    done = _python_m("info", "selu_custm")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    # TensorFlow's native start-up banner (printed by C++ before any Python
    # runs) may precede it; keras-act itself writes exactly one line.
    ours = [line for line in done.stderr.splitlines() if line.startswith("keras-act")]
    assert ours == [f"keras-act: error: {unknown_id_message('selu_custm')}"]
    assert done.stdout == ""
