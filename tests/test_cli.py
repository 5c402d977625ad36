"""The keras-act command, mostly in-process through main(argv)."""

import json
import os
import pathlib
import re
import struct
import subprocess
import sys

import keras
import pytest

import keras_act
from keras_act import _docs, cli
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
        (["compare", "--activations", "relu_custom,glu_custom"], 1, "'glu_custom' is not elementwise"),
        (["compare", "--activations", "softmax_custom"], 1, "'softmax_custom' is not elementwise"),
        (["migrate", "/no/such/old.h5", "new.keras"], 1, "no such file"),
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
    assert code == 0 and "compare" in out and "inspect" in out and "migrate" in out


def test_compare_refuses_an_unwritable_out_before_training(capsys, tmp_path, monkeypatch):
    trained = []
    monkeypatch.setattr(keras_act, "compare", lambda *a, **k: trained.append(a))
    monkeypatch.setattr(keras_act.experiments, "compare", lambda *a, **k: trained.append(a))
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    code, out, err = run(capsys, "compare", "--activations", "relu_custom", "--out", str(blocker / "curves"))
    assert code == 1 and out == ""
    assert "cannot write to --out" in _one_error_line(err)
    code, _, err = run(capsys, "compare", "--activations", "relu_custom", "--out", str(blocker))
    assert code == 2 and "must be a directory" in _one_error_line(err)
    assert trained == []


def test_compare_refuses_a_non_elementwise_id_before_training(capsys, monkeypatch):
    # Decided from the records, not from a list: every non-elementwise id is refused.
    trained = []
    monkeypatch.setattr(keras_act, "compare", lambda *a, **k: trained.append(a))
    non_elementwise = [name for name in keras_act.list_activations() if not keras_act.info(name)["elementwise"]]
    assert {"glu_custom", "softmax_custom"} <= set(non_elementwise)
    for name in non_elementwise:
        code, _, err = run(capsys, "compare", "--activations", f"relu_custom,{name}")
        assert code == 1 and f"'{name}' is not elementwise" in _one_error_line(err)
    assert trained == []


def _old_model(tmp_path):
    old = tmp_path / "old.keras"
    keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="relu")]).save(old)
    return old


@pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")
def test_migrate_refuses_to_overwrite_before_doing_anything(capsys, tmp_path, monkeypatch):
    old = _old_model(tmp_path)
    before = old.read_bytes()
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "migrate", str(old), str(old))
    assert code == 2 and "NEW must differ from OLD" in _one_error_line(err)
    code, _, err = run(capsys, "migrate", str(old), "old.keras")  # the same file by another spelling
    assert code == 2 and "NEW must differ from OLD" in _one_error_line(err)
    existing = tmp_path / "existing.keras"
    existing.write_bytes(b"keep me")
    code, _, err = run(capsys, "migrate", str(old), str(existing))
    assert code == 1 and "already exists" in _one_error_line(err) and "--force" in err
    code, _, err = run(capsys, "migrate", str(old), str(tmp_path / "new.h5"))
    assert code == 2 and "must end in .keras" in _one_error_line(err)
    assert old.read_bytes() == before and existing.read_bytes() == b"keep me"


@pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")
def test_migrate_prints_the_rows_and_wrote(capsys, tmp_path, monkeypatch):
    # keras_act.compat.tfa.migrate is stubbed: its own tests cover the conversion.
    tfa = pytest.importorskip("keras_act.compat.tfa")
    calls = []

    def fake_migrate(src, dst, gelu_approximate=False):
        calls.append((src, gelu_approximate))
        pathlib.Path(dst).write_bytes(b"migrated")
        return [("layer d1 activation", "Addons>mish", "keras_act>mish_custom")]

    monkeypatch.setattr(tfa, "migrate", fake_migrate)
    old = _old_model(tmp_path)
    new = tmp_path / "new.keras"
    new.write_bytes(b"old contents")
    code, out, err = run(capsys, "migrate", str(old), str(new), "--gelu-approximate", "--force")
    assert code == 0, err
    assert re.search(r"layer d1 activation\s+Addons>mish\s+keras_act>mish_custom", out)
    assert out.rstrip().endswith(f"wrote {new}")
    assert calls == [(str(old), True)] and new.read_bytes() == b"migrated"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.keras", "old.keras"]  # no temporary left

    def failing_migrate(src, dst, gelu_approximate=False):
        pathlib.Path(dst).write_bytes(b"half")
        raise tfa.MigrationError("Addons>Frobnicate has no keras_act equivalent.")

    monkeypatch.setattr(tfa, "migrate", failing_migrate)
    code, out, err = run(capsys, "migrate", str(old), str(tmp_path / "other.keras"))
    assert code == 1 and out == ""
    assert _one_error_line(err) == "keras-act: error: Addons>Frobnicate has no keras_act equivalent."
    assert not (tmp_path / "other.keras").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.keras", "old.keras"]


@pytest.mark.once  # the command line parses and prints; compare trains on every backend in test_experiments
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


def test_list_covers_every_record_and_layer(capsys):
    # `list` and `info` read the records and the layers' source files
    # (keras_act._layer_catalog) themselves: nothing generated to go stale.
    meta = cli.metadata()
    assert sorted([*meta["records"], *meta["aliases"]]) == keras_act.list_activations()
    assert sorted(meta["layers"]) == sorted(keras_act.layers.__all__)
    code, out, _ = run(capsys, "list")
    assert code == 0
    for name in [*keras_act.list_activations(), *(f"layers.{n}" for n in keras_act.layers.__all__)]:
        assert re.search(rf"^{re.escape(name)}\b", out, re.M), name


def test_layer_catalog_reads_what_the_classes_say():
    from keras_act import _layer_catalog

    for name, entry in _layer_catalog.layers().items():
        cls = getattr(keras_act.layers, name)
        assert entry.summary == cls.__doc__.strip().splitlines()[0], name
        assert entry.activation_id == getattr(cls, "activation_id", None), name
        assert cls.__module__ == f"keras_act.layers.{entry.module}", name


def test_info_says_which_kernel_runs_on_each_backend(capsys):
    code, out, _ = run(capsys, "info", "gelu_custom")
    assert code == 0
    kernels = keras_act.info("gelu_custom")["kernels"]
    for label, key in [("runs on tensorflow", "tensorflow"), ("runs on torch", "torch"), ("exported to onnx", "export:onnx")]:
        assert re.search(rf"^{label}\s+{re.escape(kernels[key])}$", out, re.M), (label, out)


# The launcher as the installed `keras-act` script runs it: a fresh process
# that has not imported keras_act, without TF_CPP_MIN_LOG_LEVEL.
LAUNCH = """
import sys
sys.argv = ["keras-act", *sys.argv[1:]]
import keras_act_cli
code = keras_act_cli.main()
heavy = sorted(m for m in ("keras", "tensorflow", "jax", "torch") if m in sys.modules)
print("imported:", ",".join(heavy) or "none", file=sys.stdout)
sys.exit(code)
"""


def _launch(*argv, timeout=300, env=None):
    env = {k: v for k, v in (env or os.environ).items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    root = str(pathlib.Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-c", LAUNCH, *argv], capture_output=True, text=True, env=env, timeout=timeout
    )


@pytest.mark.parametrize("argv", [["--help"], ["list"], ["info", "selu_custom"], ["info", "PReLU"], ["info", "selu_custm"]])
def test_help_list_and_info_import_neither_keras_nor_tensorflow(argv):
    done = _launch(*argv)
    assert done.stdout.rstrip().endswith("imported: none"), done.stdout[-300:] + done.stderr
    if argv[-1] == "selu_custm":
        assert done.returncode == 1
        assert done.stderr == f"keras-act: error: {unknown_id_message('selu_custm')}\n"
    else:
        assert done.returncode == 0 and done.stderr == ""


@pytest.mark.slow
def test_keras_imported_after_the_command_line_still_gets_every_id():
    # `info` ran without Keras; importing Keras afterwards registers keras_act.
    script = (
        "import sys\n"
        "sys.argv = ['keras-act', 'info', 'relu_custom']\n"
        "import keras_act_cli\n"
        "assert keras_act_cli.main() == 0\n"
        "import keras, keras_act\n"
        "print('resolves:', keras.activations.get('relu_custom') is keras_act.get('relu_custom'))\n"
    )
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    root = str(pathlib.Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.rstrip().endswith("resolves: True")


@pytest.mark.slow
def test_an_error_after_tensorflow_is_imported_is_still_one_line():
    # compare imports Keras (and TensorFlow, whose C++ code logs to stderr) before it
    # refuses glu_custom: stderr must hold keras-act's line and nothing else.
    done = _launch("compare", "--activations", "relu_custom,glu_custom")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("keras-act: error: compare trains Dense layers with elementwise activations")
    # TensorFlow is imported with its backend only (KERAS_BACKEND=jax or torch).
    tensorflow = os.environ.get("KERAS_BACKEND", "tensorflow") == "tensorflow"
    imported = done.stdout.rsplit("imported: ", 1)[-1].split()[0].split(",")
    assert "keras" in imported and ("tensorflow" in imported) == tensorflow, imported


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


@pytest.mark.once  # the command line parses and prints; compare trains on every backend in test_experiments
def test_compare_accepts_layer_names_beside_ids(capsys):
    # issue 12: `--activations relu_custom,PELU,PAU`.
    code, out, _ = run(capsys, "compare", "--activations", "relu_custom,PELU,PAU", "--depth", "1", "--width", "8",
                       "--epochs", "1", "--quiet")
    assert code == 0
    assert "| `PELU`" in out and "| `PAU`" in out and "| `relu_custom`" in out
    code, _, err = run(capsys, "compare", "--activations", "relu_custom,SwiGLU")
    assert code == 1 and "'SwiGLU' is not elementwise" in _one_error_line(err)


@pytest.mark.slow
@pytest.mark.once
def test_verbose_keeps_tensorflows_messages_and_quiet_hides_them():
    # The same failing command: quiet, stderr is keras-act's one line; with
    # --verbose (or KERAS_ACT_VERBOSE=1) TensorFlow's own start-up lines too.
    argv = ("compare", "--activations", "relu_custom,glu_custom")
    env = {**os.environ, "KERAS_BACKEND": "tensorflow"}
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    quiet = _launch(*argv, env=env)
    loud = _launch("--verbose", *argv, env=env)
    by_env = _launch(*argv, env={**env, "KERAS_ACT_VERBOSE": "1"})
    assert quiet.stderr.count("\n") == 1, quiet.stderr
    for done in (loud, by_env):
        assert done.returncode == 1
        assert "keras-act: error: compare trains Dense layers" in done.stderr
        assert done.stderr.count("\n") > 1, done.stderr


CRASH = """
import sys
sys.argv = ["keras-act", "list"]
from keras_act import cli
def crash(args, out, err):
    import ctypes
    ctypes.string_at(0)  # a segmentation fault, as a native library's bug would
cli.COMMANDS["list"] = crash
cli.main()
"""


@pytest.mark.once
def test_a_segfault_still_reaches_the_terminal():
    done = subprocess.run([sys.executable, "-c", CRASH], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "Fatal Python error: Segmentation fault" in done.stderr, done.stderr
    assert "in crash" in done.stderr  # the Python stack where it happened


def test_swap_names_the_file_and_what_is_wrong(capsys, tmp_path):
    # IN is read with the checks inspect makes (keras_act.inspection.load_checked).
    truncated = tmp_path / "truncated.keras"
    truncated.write_bytes((pathlib.Path(__file__).resolve().parents[1] / "saved_models" / "tfa" / "tfa_gelu_function.keras").read_bytes()[:300])
    code, out, err = run(capsys, "swap", str(truncated), str(tmp_path / "out.keras"), "--map", "relu=relu_custom")
    line = _one_error_line(err)
    assert code == 1 and out == "" and str(truncated) in line and "is neither a .keras archive" in line, line
    tfa_era = pathlib.Path(__file__).resolve().parents[1] / "saved_models" / "tfa" / "tfa_gelu_function.keras"
    code, out, err = run(capsys, "swap", str(tfa_era), str(tmp_path / "out.keras"), "--map", "relu=relu_custom")
    line = _one_error_line(err)
    assert code == 1 and str(tfa_era) in line and "keras-act migrate" in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["truncated.keras"]  # nothing written
