"""keras_act.compat.tfa: models written by TensorFlow 2.15 + TensorFlow Addons 0.23 load in Keras 3.

The fixtures in saved_models/tfa/ were written by the real TF 2.15 / TFA 0.23
(saved_models/tfa/make_tfa_fixtures.py, run in its own virtual environment);
each NAME.npz holds the inputs and the outputs TF 2.15 gave. Nothing here
needs TensorFlow 2.15.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
import pytest

import keras
import keras_act
from keras_act.compat import tfa
from tests.references import REFERENCES

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "saved_models" / "tfa"

# fixture -> gelu_approximate (tfa_gelu_function used tfa.activations.gelu,
# saved by Keras 2.15 as 'gelu'; the others use Keras's exact 'gelu' if any).
MODELS = {
    "tfa_activations_sequential": False,
    "tfa_layers_functional": False,
    "tfa_gelu_function": True,
    "tfa_savedmodel": True,  # a Dense with tfa.activations.gelu
}
FORMATS = (".h5", ".keras")
# TF 2.15 and Keras 3.15 on TF 2.21 run the same float32 kernels; matmul
# blocking and the composed activations differ in the last bits.
ATOL, RTOL = 2e-6, 2e-6


def data(name):
    d = np.load(FIXTURES / f"{name}.npz")
    return d["x"], d["y"]


def predict(model, x):
    return keras.ops.convert_to_numpy(model(x, training=False))


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(MODELS))
def test_fixture_loads_and_computes_what_tf215_computed(name, fmt):
    path = FIXTURES / f"{name}{fmt}"
    before = digest(path)
    model = tfa.load_model(path, gelu_approximate=MODELS[name])
    x, y = data(name)
    np.testing.assert_allclose(predict(model, x), y, atol=ATOL, rtol=RTOL)
    assert digest(path) == before  # the input file is never modified


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_the_flag_tfa_gelu_reads_as_the_exact_form(fmt):
    # Why gelu_approximate exists: the file says 'gelu' either way.
    x, y = data("tfa_gelu_function")
    exact = predict(tfa.load_model(FIXTURES / f"tfa_gelu_function{fmt}"), x)
    assert np.abs(exact - y).max() > 1e-4
    tanh = predict(tfa.load_model(FIXTURES / f"tfa_gelu_function{fmt}", gelu_approximate=True), x)
    np.testing.assert_allclose(tanh, y, atol=ATOL, rtol=RTOL)


def test_keras_builtin_gelu_stays_exact_by_default():
    # tfa_layers_functional has Activation("gelu") of plain tf.keras (exact):
    # the default reproduces it, the flag would not.
    x, y = data("tfa_layers_functional")
    flagged = predict(tfa.load_model(FIXTURES / "tfa_layers_functional.keras", gelu_approximate=True), x)
    assert np.abs(flagged - y).max() > 1e-6


def _mapped_names(rows):
    return {old for _, old, _ in rows}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """Every fixture, both formats, migrated once: {(name, fmt): (path, rows)}."""
    out = tmp_path_factory.mktemp("migrated")
    result = {}
    for name, flag in MODELS.items():
        for fmt in FORMATS:
            dst = out / f"{name}{fmt.replace('.', '_')}.keras"
            result[name, fmt] = dst, tfa.migrate(FIXTURES / f"{name}{fmt}", dst, gelu_approximate=flag)
    return result


def test_migrated_files_name_only_keras_act_and_keras(migrated):
    for (name, fmt), (path, rows) in migrated.items():
        assert rows, (name, fmt)
        with zipfile.ZipFile(path) as z:
            text = z.read("config.json").decode()
        assert "Addons>" not in text, (name, fmt)
        assert "keras.src.engine" not in text, (name, fmt)
        assert "ThresholdedReLU" not in text, (name, fmt)
        leaky = [layer["config"] for layer in json.loads(text)["config"]["layers"] if layer["class_name"] == "LeakyReLU"]
        assert all("alpha" not in c and "negative_slope" in c for c in leaky), (name, fmt)


def test_fixtures_exercise_every_mapping(migrated):
    seen = set().union(*(_mapped_names(rows) for _, rows in migrated.values()))
    # Keras 2.15 saved tfa.activations.gelu and mish under built-in names, so
    # no file names Addons>gelu or Addons>mish: test_function_names_keras_215_never_wrote covers them.
    expected = {m.old for m in tfa.MAPPINGS} - {"Addons>gelu", "Addons>mish"}
    assert expected <= seen, expected - seen
    assert {"LeakyReLU(alpha=...)", "ThresholdedReLU", "gelu"} <= seen
    assert any(old.endswith("engine.functional.Functional") for old in seen)


@pytest.mark.slow
def test_migrated_files_reload_in_a_fresh_process_with_keras_act_alone(migrated):
    jobs = [(str(path), str(FIXTURES / f"{name}.npz")) for (name, _), (path, _) in migrated.items()]
    code = textwrap.dedent(
        """
        import json, sys
        import numpy as np
        import keras
        import keras_act  # the only import a user of the migrated files needs
        out = {}
        for path, npz in json.loads(sys.argv[1]):
            d = np.load(npz)
            model = keras.saving.load_model(path)
            y = keras.ops.convert_to_numpy(model(d["x"], training=False))
            out[path] = float(np.abs(y - d["y"]).max())
        assert "keras_act.compat.tfa" not in sys.modules
        print(json.dumps(out))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, json.dumps(jobs)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    diffs = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(diffs) == len(jobs)
    assert max(diffs.values()) <= ATOL + RTOL * 4, diffs


def test_migrated_model_trains_with_its_keras2_compile_config(migrated):
    path, _ = migrated["tfa_activations_sequential", ".keras"]
    model = keras.saving.load_model(path)
    assert model.optimizer is not None and model.loss == "mse"
    x, _ = data("tfa_activations_sequential")
    target = np.zeros((len(x), model.output_shape[-1]), "float32")
    history = model.fit(x, target, epochs=2, batch_size=8, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))


def _with_config(src, dst, edit):
    """Copy the .keras archive `src` to `dst` with config.json edited by `edit(text)`."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.namelist():
            data_ = zin.read(item)
            zout.writestr(item, edit(data_.decode()).encode() if item == "config.json" else data_)
    return dst


def test_function_names_keras_215_never_wrote(tmp_path):
    # Addons>mish and Addons>gelu as a newer or hand-edited file would name them.
    seq = _with_config(
        FIXTURES / "tfa_activations_sequential.keras",
        tmp_path / "mish.keras",
        lambda t: t.replace(
            '"activation": "mish"',
            '"activation": {"module": "builtins", "class_name": "function", "config": "Addons>mish", "registered_name": "function"}',
        ),
    )
    gelu = _with_config(
        FIXTURES / "tfa_gelu_function.keras",
        tmp_path / "gelu.keras",
        lambda t: t.replace('"activation": "gelu"', '"activation": "Addons>gelu"'),
    )
    for path, name in [(seq, "tfa_activations_sequential"), (gelu, "tfa_gelu_function")]:
        x, y = data(name)
        np.testing.assert_allclose(predict(tfa.load_model(path), x), y, atol=ATOL, rtol=RTOL)


def test_custom_objects_for_keras_load_model():
    # What a dict can do: every Addons> name (and Keras 2's Functional).
    # What it cannot: Keras 2 compile configs (compile=False here), Keras's
    # own removed classes in a .keras file, the 'gelu' choice.
    x, y = data("tfa_layers_functional")
    model = keras.saving.load_model(
        FIXTURES / "tfa_layers_functional.h5", custom_objects=tfa.custom_objects(), compile=False
    )
    # Nor can it unwrap Keras 2's single input: Keras 3 wants a list of one here.
    np.testing.assert_allclose(predict(model, [x]), y, atol=ATOL, rtol=RTOL)
    kinds = {type(layer).__name__: type(layer) for layer in model.layers}
    for name in ("Maxout", "Sparsemax", "GELU", "Snake", "Threshold"):
        assert kinds[name] is getattr(keras_act.layers, name)
    x, y = data("tfa_activations_sequential")
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):  # Keras 3 reads LeakyReLU's alpha itself
        model = keras.saving.load_model(
            FIXTURES / "tfa_activations_sequential.keras", custom_objects=tfa.custom_objects(), compile=False
        )
    np.testing.assert_allclose(predict(model, x), y, atol=ATOL, rtol=RTOL)


def test_snake_keeps_its_learned_frequency():
    model = tfa.load_model(FIXTURES / "tfa_layers_functional.h5")
    (snake,) = [layer for layer in model.layers if isinstance(layer, keras_act.layers.Snake)]
    assert snake.trainable_frequency
    learned = float(keras.ops.convert_to_numpy(snake.frequency_weight))
    assert learned != 2.0 and 1.5 < learned < 2.5  # started at Constant(2.0), moved by 3 epochs of Adam


def test_mapping_targets_exist_and_cover_tfa():
    tfa_activations = {"gelu", "hardshrink", "lisht", "mish", "rrelu", "snake", "softshrink", "sparsemax", "tanhshrink"}
    tfa_layers = {"GELU", "Maxout", "Snake", "Sparsemax"}
    olds = {m.old for m in tfa.MAPPINGS}
    assert olds == {f"Addons>{n}" for n in tfa_activations | tfa_layers}
    for m in tfa.MAPPINGS:
        if m.kind == "activation":
            assert m.new in keras_act.list_activations()
        else:
            assert m.new in keras_act.layers.__all__
    for name in tfa_activations:
        assert callable(getattr(tfa, name))


# --- TFA's functions with TFA's signatures ---------------------------------------

X = np.array([-3.0, -1.5, -1.0, -0.6, -0.5, -0.2, 0.0, 0.3, 0.5, 0.7, 1.0, 2.0, 4.0])


def _np(v):
    return keras.ops.convert_to_numpy(v)


def test_tfa_shrinks_take_asymmetric_bands():
    # TFA: hardshrink(x) = x if x < lower or x > upper else 0;
    # softshrink(x) = x - upper if x > upper, x - lower if x < lower, else 0.
    lower, upper = -1.0, 0.5
    np.testing.assert_allclose(_np(tfa.hardshrink(X, lower, upper)), np.where((X < lower) | (X > upper), X, 0.0))
    expected_soft = np.where(X > upper, X - upper, np.where(X < lower, X - lower, 0.0))
    np.testing.assert_allclose(_np(tfa.softshrink(X, lower=lower, upper=upper)), expected_soft, atol=1e-15)
    np.testing.assert_allclose(_np(tfa.hardshrink(X)), REFERENCES["hard_shrink_custom"][0](X))
    with pytest.raises(ValueError, match="lower"):
        tfa.hardshrink(X, lower=1.0, upper=0.0)


def test_tfa_gelu_rrelu_sparsemax_signatures():
    gelu_exact, _ = REFERENCES["gelu_custom"]
    gelu_tanh, _ = REFERENCES["gelu_tanh_custom"]
    np.testing.assert_allclose(_np(tfa.gelu(X)), gelu_tanh(X), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(_np(tfa.gelu(X, approximate=False)), gelu_exact(X), rtol=1e-12, atol=1e-14)
    # TensorFlow Addons' own rrelu test (lower=0.1, upper=0.2, inference).
    np.testing.assert_allclose(_np(tfa.rrelu(np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), 0.1, 0.2)), [-0.3, -0.15, 0, 1, 2])
    np.testing.assert_allclose(_np(tfa.sparsemax(np.array([[1.0, 0.9, 0.8]]))), [[13 / 30, 10 / 30, 7 / 30]], rtol=1e-12)


def test_tfa_named_functions_save_under_their_own_names(tmp_path):
    # Unregistered, Keras would write "gelu" and reload its exact gelu.
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation=tfa.gelu)])
    assert model.layers[0].get_config()["activation"]["config"] == "keras_act>tfa_gelu"
    model.save(tmp_path / "m.keras")
    x = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    np.testing.assert_array_equal(predict(keras.saving.load_model(tmp_path / "m.keras"), x), predict(model, x))


# --- bad input ----------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="No such model file"):
        tfa.load_model(tmp_path / "nope.h5")


@pytest.mark.parametrize(
    "content, match",
    [
        (b"not a model at all", "neither a .keras archive nor an HDF5"),
        ("zip", "without config.json"),
    ],
)
def test_not_a_model(tmp_path, content, match):
    path = tmp_path / "bad.keras"
    if content == "zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("readme.txt", "hello")
    else:
        path.write_bytes(content)
    with pytest.raises(tfa.MigrationError, match=match):
        tfa.load_model(path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_truncated_file_is_a_migration_error(tmp_path, fmt):
    path = tmp_path / f"cut{fmt}"
    path.write_bytes((FIXTURES / f"tfa_layers_functional{fmt}").read_bytes()[:30000])
    with pytest.raises(tfa.MigrationError, match="damaged or truncated|neither a .keras archive"):
        tfa.load_model(path)


def test_savedmodel_directory_points_to_tfsmlayer():
    with pytest.raises(tfa.MigrationError, match="TFSMLayer"):
        tfa.load_model(FIXTURES / "tfa_savedmodel_savedmodel")


def test_unmapped_tfa_layer_is_named(tmp_path):
    path = _with_config(
        FIXTURES / "tfa_activations_sequential.keras",
        tmp_path / "wn.keras",
        lambda t: t.replace('"registered_name": "Addons>Maxout"', '"registered_name": "Addons>WeightNormalization"'),
    )
    with pytest.raises(tfa.MigrationError, match=r"no mapping for 'Addons>WeightNormalization' \(layer 'maxout'\)"):
        tfa.load_model(path)


def test_tfa_optimizer_needs_compile_false(tmp_path):
    import h5py

    path = tmp_path / "adamw.h5"
    shutil.copyfile(FIXTURES / "tfa_activations_sequential.h5", path)
    with h5py.File(path, "r+") as f:
        training = json.loads(f.attrs["training_config"])
        training["optimizer_config"] = {"class_name": "Addons>AdamW", "config": {"weight_decay": 1e-4}}
        f.attrs["training_config"] = json.dumps(training)
    with pytest.raises(tfa.MigrationError, match=r"'Addons>AdamW'.*training configuration.*compile=False"):
        tfa.load_model(path)
    x, y = data("tfa_activations_sequential")
    np.testing.assert_allclose(predict(tfa.load_model(path, compile=False), x), y, atol=ATOL, rtol=RTOL)


def test_gelu_approximate_must_be_a_bool():
    with pytest.raises(ValueError, match="gelu_approximate must be True or False"):
        tfa.load_model(FIXTURES / "tfa_gelu_function.h5", gelu_approximate="yes")


def test_migrate_never_overwrites(tmp_path):
    src = tmp_path / "old.keras"
    shutil.copyfile(FIXTURES / "tfa_gelu_function.keras", src)
    before = digest(src)
    with pytest.raises(tfa.MigrationError, match="is the input file"):
        tfa.migrate(src, src)
    taken = tmp_path / "taken.keras"
    taken.write_bytes(b"mine")
    with pytest.raises(tfa.MigrationError, match="already exists"):
        tfa.migrate(src, taken)
    with pytest.raises(tfa.MigrationError, match="must end in .keras"):
        tfa.migrate(src, tmp_path / "new.h5")
    assert digest(src) == before and taken.read_bytes() == b"mine"


# --- SavedModel: Keras 3's own route ----------------------------------------------------


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="keras.layers.TFSMLayer needs the TensorFlow backend")
def test_savedmodel_serves_through_tfsmlayer():
    layer = keras.layers.TFSMLayer(str(FIXTURES / "tfa_savedmodel_savedmodel"), call_endpoint="serving_default")
    x, y = data("tfa_savedmodel")
    out = layer(x)
    (out,) = out.values() if isinstance(out, dict) else (out,)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(out), y, atol=ATOL, rtol=RTOL)


# --- docs -------------------------------------------------------------------------------


def test_migration_guide_mapping_table_is_generated_from_the_mapping():
    # The table moved from the README to the migration guide, where the site's build fills it in.
    from keras_act import _docs

    guide = (ROOT / "docs" / "guides" / "migrating-from-tfa.md").read_text(encoding="utf-8")
    assert "<!-- keras_act: tfa-table -->" in guide, "the migration guide lost its generated table"
    table = _docs.fill_markers(guide)
    for m in (*tfa.MAPPINGS, *tfa.KERAS2_REWRITES):
        assert f"| `{m.old}` | {m.kind} |" in table


# --- keras-act migrate, end to end on the real fixtures ------------------------------------


def _cli(capsys, *argv):
    from keras_act import cli

    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_migrate_prints_what_it_mapped(capsys, tmp_path):
    new = tmp_path / "gelu.keras"
    code, out, err = _cli(capsys, "migrate", FIXTURES / "tfa_gelu_function.h5", new, "--gelu-approximate")
    assert code == 0, err
    assert "gelu" in out and "keras_act>gelu_tanh_custom" in out and f"wrote {new}" in out
    x, y = data("tfa_gelu_function")
    np.testing.assert_allclose(predict(keras.saving.load_model(new), x), y, atol=ATOL, rtol=RTOL)


def _one_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("keras-act: error: "), err
    return lines[0]


def test_cli_migrate_bad_input_is_one_line(capsys, tmp_path):
    not_a_model = tmp_path / "notes.h5"
    not_a_model.write_text("just text")
    code, _, err = _cli(capsys, "migrate", not_a_model, tmp_path / "a.keras")
    assert code == 1 and "neither a .keras archive nor an HDF5" in _one_line(err)
    unmapped = _with_config(
        FIXTURES / "tfa_activations_sequential.keras",
        tmp_path / "wn.keras",
        lambda t: t.replace('"registered_name": "Addons>Maxout"', '"registered_name": "Addons>WeightNormalization"'),
    )
    code, _, err = _cli(capsys, "migrate", unmapped, tmp_path / "b.keras")
    assert code == 1 and "no mapping for 'Addons>WeightNormalization'" in _one_line(err)
    assert not (tmp_path / "a.keras").exists() and not (tmp_path / "b.keras").exists()
