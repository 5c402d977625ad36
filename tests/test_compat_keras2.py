"""The Keras 2 -> Keras 3 file migration (keras_act/compat/_keras2.py) and its checks.

Each damaged-file case of issue 20 is its own test here, with the first line
of its error asserted as a user reads it; tests/test_hostile_files.py runs a
seeded sample of every kind of damage through every reader. Cases keras_act
refuses from its own checks do not depend on the backend (`once`).
"""

import json
import os
import pickle
import shutil
import signal
import zipfile
from pathlib import Path

import numpy as np
import pytest

import keras
from keras_act import cli
from keras_act.compat import _config, _errors, _files, _keras2, tfa
from keras_act.inspection import inspect_model, read_config
from tests.hostile import variants as hostile

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "saved_models" / "tfa"
once = pytest.mark.once


def _first_line(error):
    return str(error).splitlines()[0]


def _h5(tmp_path, name="tfa_gelu_function", attrs=None, edit=None):
    import h5py

    path = tmp_path / f"{name}.h5"
    shutil.copyfile(FIXTURES / f"{name}.h5", path)
    with h5py.File(path, "r+") as f:
        for key, value in (attrs or {}).items():
            if value is None:
                del f.attrs[key]
            else:
                f.attrs[key] = value
        if edit is not None:
            edit(f)
    return path


def _model_config(tmp_path, name, fmt, edit):
    """The fixture with its model config edited by `edit(config)` (in place)."""
    src = FIXTURES / f"{name}{fmt}"
    if fmt == ".h5":
        import h5py

        with h5py.File(src, "r") as f:
            config = json.loads(f.attrs["model_config"])
        edit(config)
        return _h5(tmp_path, name, {"model_config": json.dumps(config)})
    path = tmp_path / f"{name}.keras"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.namelist():
            data = zin.read(item)
            if item == "config.json":
                config = json.loads(data)
                edit(config)
                data = json.dumps(config).encode()
            zout.writestr(item, data)
    return path


def _layer(config, name):
    (layer,) = [node for node in config["config"]["layers"] if node["config"]["name"] == name]
    return layer


def _refused(path, **kwargs):
    with pytest.raises(tfa.MigrationError) as info:
        tfa.load_model(path, **kwargs)
    line = _first_line(info.value)
    assert line.startswith(str(path)), line
    return info.value, line[len(str(path)) :]


# --- The error itself: public home, chaining ---------------------------------------


@once
def test_migration_error_keeps_its_public_home():
    # Moved out of tfa.py with the migration, but the same class under the same name.
    assert tfa.MigrationError is _errors.MigrationError
    assert tfa.MigrationError.__module__ == "keras_act.compat.tfa" and issubclass(tfa.MigrationError, ValueError)
    error = pickle.loads(pickle.dumps(tfa.MigrationError("m.h5: damaged")))
    assert type(error) is tfa.MigrationError and str(error) == "m.h5: damaged"
    missing = _errors.MissingFileError("No such model file: x")
    assert isinstance(missing, tfa.MigrationError) and isinstance(missing, FileNotFoundError)


@once
def test_missing_file_is_both_errors(tmp_path):
    for reader in (tfa.load_model, inspect_model):
        with pytest.raises(FileNotFoundError, match="(?i)no such (model )?file") as info:
            reader(tmp_path / "gone.keras")
        assert isinstance(info.value, tfa.MigrationError)


# --- .h5 attributes that are not JSON text (issue: bare JSONDecodeError, TypeError) ---


@once
@pytest.mark.parametrize("attr", ["model_config", "training_config"])
@pytest.mark.parametrize(
    "value, words, cause",
    [
        ("{'class_name': 'Sequential'", "attribute is not valid JSON (Expecting property name", json.JSONDecodeError),
        (b"\xff\xfe junk", "attribute is not UTF-8 text", None),
        (np.int64(7), "attribute is int64 data, not the JSON text Keras writes there. Received: {attr}=7.", None),
    ],
    ids=["not-json", "not-utf8", "int64"],
)
def test_h5_config_attribute_that_is_not_json_text(tmp_path, attr, value, words, cause):
    path = _h5(tmp_path, attrs={attr: value})
    error, rest = _refused(path)
    assert rest.startswith(f": the {attr} ") and words.format(attr=attr) in rest, rest
    if cause is not None:
        assert isinstance(error.__cause__, cause)


@once
def test_h5_training_config_that_is_a_list(tmp_path):
    path = _h5(tmp_path, attrs={"training_config": '["mse"]'})
    _, rest = _refused(path)
    assert rest.startswith(": the training_config is a JSON list, not the object Keras writes there"), rest
    assert "Received: training_config=['mse']. Pass compile=False" in rest
    assert not tfa.load_model(path, compile=False).compiled  # the way out


# --- Nesting (issue: RecursionError at depth 900 already) --------------------------------


@once
@pytest.mark.parametrize("fmt", [".h5", ".keras"])
@pytest.mark.parametrize("depth", [900, 5000])
def test_deep_nesting_is_refused_before_it_is_parsed(tmp_path, fmt, depth):
    def edit(config):
        _layer(config, "dense_25")["config"]["kernel_initializer"]["config"]["seed"] = "@deep@"

    path = _model_config(tmp_path, "tfa_gelu_function", fmt, edit)
    text = "[" * depth + "]" * depth
    # json.dumps cannot write it (it recurses): splice the text in.
    if fmt == ".h5":
        import h5py

        with h5py.File(path, "r+") as f:
            f.attrs["model_config"] = f.attrs["model_config"].replace('"@deep@"', text)
        where = "the model_config attribute"
    else:
        members = {n: zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist()}
        members["config.json"] = members["config.json"].replace(b'"@deep@"', text.encode())
        with zipfile.ZipFile(path, "w") as z:
            for n, d in members.items():
                z.writestr(n, d)
        where = "config.json"
    error, rest = _refused(path)
    assert rest.startswith(f": {where} is nested deeper than {_files.MAX_DEPTH} levels"), rest
    assert f"Received: a config nested {depth + 7} levels deep." in rest
    assert error.__cause__ is None  # refused by the count, not by a RecursionError


@once
def test_depth_limit_counts_containers_not_brackets_in_strings():
    deep = "[" * _files.MAX_DEPTH + "]" * _files.MAX_DEPTH
    assert _files.parse_json(deep, "f", "x") is not None
    assert _files.parse_json(json.dumps({"name": "[" * 5000}), "f", "x") == {"name": "[" * 5000}
    with pytest.raises(tfa.MigrationError, match=rf"x is nested deeper than {_files.MAX_DEPTH} levels \(at byte {_files.MAX_DEPTH}\)"):
        _files.parse_json("[" + deep + "]", "f", "x")


# --- Wrong types (issue: unhashable type, could not convert, NoneType has no attribute) ---


@once
@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("class_name", ["Dense"], "layer 'dense_25' expected `class_name` to be a class name (a string). Received: class_name=['Dense']."),
        ("class_name", {"x": 1}, "layer 'dense_25' expected `class_name` to be a class name (a string). Received: class_name={'x': 1}."),
        ("registered_name", ["x"], "layer 'dense_25' (Dense) expected `registered_name` to be a class name (a string). Received: registered_name=['x']."),
        ("config", None, "layers[1] (Dense) has no config object. Received: config=None."),
    ],
)
def test_layer_node_of_the_wrong_type_names_the_layer(tmp_path, key, value, expected):
    def edit(config):
        config["config"]["layers"][1][key] = value

    _, rest = _refused(_model_config(tmp_path, "tfa_gelu_function", ".keras", edit))
    assert rest.startswith(f": {expected} Correct it in the file's config"), rest


@once
@pytest.mark.parametrize("fmt", [".h5", ".keras"])
@pytest.mark.parametrize("theta", [None, "abc", float("nan"), float("-inf")])
def test_thresholded_relu_theta_must_be_a_finite_number(tmp_path, fmt, theta):
    def edit(config):
        _layer(config, "thresholded_re_lu")["config"]["theta"] = theta

    _, rest = _refused(_model_config(tmp_path, "tfa_layers_functional", fmt, edit))
    assert rest.startswith(
        f": layer 'thresholded_re_lu' (ThresholdedReLU) expected `theta` to be a finite number. Received: theta={theta!r}."
    ), rest


@once
@pytest.mark.parametrize(
    "units, shown",
    [(1e308, "1e+308"), (float("nan"), "nan"), (-1, "-1"), ("12", "'12'"), (2**40, "1099511627776")],
)
def test_dense_units_out_of_range_names_the_layer_before_keras_builds_it(tmp_path, units, shown):
    def edit(config):
        _layer(config, "dense_28")["config"]["units"] = units

    # No allocation of 2**40 * 8 floats is attempted: the check comes first.
    _, rest = _refused(_model_config(tmp_path, "tfa_savedmodel", ".h5", edit))
    assert rest.startswith(
        f": layer 'dense_28' (Dense) expected `units` to be an integer between 1 and {_config.MAX_DIMENSION}. "
        f"Received: units={shown}."
    ), rest


# --- Missing pieces (issue: KeyError 'class_name', 'layers', 'model_weights', a weights group) ---


@once
def test_missing_class_name_and_layers(tmp_path):
    _, rest = _refused(_model_config(tmp_path, "tfa_savedmodel", ".h5", lambda c: c.pop("class_name")))
    assert rest.startswith(": the model 'tfa_savedmodel' has no class_name, so nothing says what to build."), rest
    _, rest = _refused(_model_config(tmp_path, "tfa_savedmodel", ".keras", lambda c: c["config"].pop("layers")))
    assert rest.startswith(": the model 'tfa_savedmodel' (Sequential) has no layers list. Received: layers=None."), rest


@once
def test_missing_weights_are_named(tmp_path):
    _, rest = _refused(_h5(tmp_path, edit=lambda f: f.__delitem__("model_weights")))
    assert rest.startswith(": the HDF5 file has no model_weights group"), rest
    _, rest = _refused(_h5(tmp_path, edit=lambda f: f.__delitem__("model_weights/dense_26")))
    assert rest.startswith(": the weights of layer 'dense_26' are missing (model_weights lists 'dense_26'"), rest


@once
def test_garbage_inner_weights_file_is_named(tmp_path):
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(FIXTURES / "tfa_gelu_function.keras") as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.namelist():
            zout.writestr(item, b"\x89HDF\r\n\x1a\n" + b"\x00" * 500 if item == "model.weights.h5" else zin.read(item))
    error, rest = _refused(path)
    assert rest.startswith(": archive member 'model.weights.h5' is damaged or truncated (Unable to"), rest
    assert isinstance(error.__cause__, OSError)  # h5py's, chained


@once
@pytest.mark.parametrize("flag, expected", [("encrypted", "is encrypted"), ("compression", "uses compression method 99")])
def test_zip_members_python_cannot_read(tmp_path, flag, expected):
    members = [(info.filename, data) for info, data in hostile._zip_members(FIXTURES / "tfa_gelu_function.keras")]
    member = "config.json" if flag == "encrypted" else "model.weights.h5"
    offsets, value = ((6, 8), 1) if flag == "encrypted" else ((8, 10), 99)
    path = tmp_path / "m.keras"
    path.write_bytes(hostile._patch_zip(hostile._zip_bytes(members), member, *offsets, "<H", value))
    _, rest = _refused(path)
    assert rest.startswith(f": archive member '{member}' {expected}"), rest


# --- Files that are not regular files (issue: a FIFO blocks forever) ------------------------


@pytest.fixture
def alarm():
    def hung(signum, frame):
        raise TimeoutError("blocked: the FIFO was opened for reading")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@once
@pytest.mark.parametrize("suffix", [".h5", ".keras"])
def test_a_fifo_is_refused_without_being_opened(tmp_path, alarm, suffix, capsys):
    fifo = tmp_path / f"model{suffix}"
    os.mkfifo(fifo)
    expected = f"{fifo} is a FIFO (named pipe), not a regular file: keras_act reads model files only and did not open it."
    for reader in (tfa.load_model, lambda p: tfa.migrate(p, tmp_path / "new.keras"), inspect_model, read_config):
        if reader in (inspect_model, read_config) and suffix == ".h5":
            continue
        with pytest.raises(tfa.MigrationError) as info:
            reader(fifo)
        assert _first_line(info.value).startswith(expected)
    for argv in (["migrate", str(fifo), str(tmp_path / "new.keras")], ["inspect", str(fifo)]):
        assert cli.main(argv) == 1
        _, err = capsys.readouterr()
        assert err.strip() == f"keras-act: error: {_first_line(info.value)}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [fifo.name]


@once
def test_a_device_is_refused_without_being_read(tmp_path, alarm):
    link = tmp_path / "model.keras"
    link.symlink_to("/dev/zero")  # reading it never ends
    for reader in (tfa.load_model, inspect_model):
        with pytest.raises(tfa.MigrationError, match=r"is a character device, not a regular file"):
            reader(link)


# --- Non-finite numbers (issue: NaN alpha and an all-NaN kernel loaded silently) -------------


@once
@pytest.mark.parametrize("fmt", [".h5", ".keras"])
@pytest.mark.parametrize("alpha", [float("nan"), float("inf")])
def test_non_finite_alpha_is_refused_like_keras_act_refuses_it(tmp_path, fmt, alpha):
    def edit(config):
        _layer(config, "leaky_re_lu")["config"]["alpha"] = alpha

    _, rest = _refused(_model_config(tmp_path, "tfa_activations_sequential", fmt, edit))
    assert rest.startswith(f": layer 'leaky_re_lu' (LeakyReLU) expected `alpha` to be a finite number. Received: alpha={alpha!r}."), rest
    # The same words keras_act's own layer uses for the same value.
    with pytest.raises(ValueError, match=r"expected `negative_slope` to be a finite number"):
        import keras_act

        keras_act.layers.LeakyReLU(negative_slope=alpha)


def _nan_kernel(f):
    f["model_weights/dense_26/dense_26/kernel:0"][...] = np.nan


def test_nan_weights_load_and_warn_naming_the_layer(tmp_path):
    path = _h5(tmp_path, edit=_nan_kernel)
    with pytest.warns(tfa.NonFiniteWeightsWarning) as caught:
        model = tfa.load_model(path, gelu_approximate=True)
    (message,) = [str(w.message) for w in caught if w.category is tfa.NonFiniteWeightsWarning]
    assert message.startswith(f"{path}: layer 'dense_26' (Dense) holds non-finite weights (kernel: 256 NaN);"), message
    x = np.load(FIXTURES / "tfa_gelu_function.npz")["x"]
    assert np.all(np.isnan(keras.ops.convert_to_numpy(model(x))))  # loaded as saved: data, not a config error


def test_keras_act_migrate_reports_nan_weights(tmp_path, capsys):
    path = _h5(tmp_path, edit=_nan_kernel)
    new = tmp_path / "new.keras"
    assert cli.main(["migrate", str(path), str(new), "--gelu-approximate"]) == 0
    out, err = capsys.readouterr()
    assert out.rstrip().endswith(f"wrote {new}")
    (line,) = err.strip().splitlines()
    assert line.startswith(f"keras-act: warning: {path}: layer 'dense_26' (Dense) holds non-finite weights (kernel: 256 NaN)")
    # inspect reports them too, on the migrated file.
    found = inspect_model(new)
    assert found.loads and found.non_finite == ("'dense_26' (Dense)",)
    assert "non-finite weights (NaN or inf) in: 'dense_26' (Dense)" in str(found)


# --- The training configuration (issue: an invalid loss failed only at the first fit) -----


@once
@pytest.mark.parametrize("fmt", [".h5", ".keras"])
def test_unknown_loss_is_refused_at_load_and_compile_false_loads(tmp_path, fmt):
    if fmt == ".h5":
        import h5py

        path = _h5(tmp_path, "tfa_savedmodel")
        with h5py.File(path, "r+") as f:
            training = json.loads(f.attrs["training_config"])
            training["loss"] = "mean_squared_eror"
            f.attrs["training_config"] = json.dumps(training)
        key = "training_config"
    else:
        path = _model_config(tmp_path, "tfa_savedmodel", ".keras", lambda c: c["compile_config"].update(loss="mean_squared_eror"))
        key = "compile_config"
    _, rest = _refused(path)
    assert rest == (
        f": the {key}'s `loss` names 'mean_squared_eror', which is not a Keras 3 loss (Could not interpret loss "
        "identifier: mean_squared_eror). Pass compile=False to load the model without its training configuration, "
        "then call model.compile."
    )
    with pytest.raises(tfa.MigrationError, match="mean_squared_eror"):
        tfa.migrate(path, tmp_path / "new.keras")
    assert not (tmp_path / "new.keras").exists()


@pytest.mark.parametrize("fmt", [".h5", ".keras"])
def test_unknown_metric_is_refused_and_compile_false_loads(tmp_path, fmt):
    def edit(config):
        config["compile_config"]["metrics"] = ["mae", "acuracy"]

    if fmt == ".keras":
        path = _model_config(tmp_path, "tfa_gelu_function", ".keras", edit)
    else:
        import h5py

        path = _h5(tmp_path)
        with h5py.File(path, "r+") as f:
            training = json.loads(f.attrs["training_config"])
            training["metrics"] = ["mae", "acuracy"]
            f.attrs["training_config"] = json.dumps(training)
    _, rest = _refused(path)
    assert "`metrics` names 'acuracy', which is not a Keras 3 metric" in rest
    model = tfa.load_model(path, compile=False, gelu_approximate=True)
    assert not model.compiled and model.output_shape == (None, 3)


# --- What Keras's loader raises underneath, translated ---------------------------------------


@once
def test_a_keras_act_layer_refusing_its_config_is_named(tmp_path):
    def edit(config):
        _layer(config, "gelu")["config"]["approximate"] = "yes"

    error, rest = _refused(_model_config(tmp_path, "tfa_layers_functional", ".keras", edit))
    assert rest == (
        ": Keras could not build layer 'gelu' (GELU): GELU expected `approximate` to be True or False. "
        "Received: approximate='yes'."
    )
    assert error.__cause__ is not None and "could not be deserialized" in str(error.__cause__)


@once
def test_a_snake_initializer_keras_3_lacks_is_named(tmp_path):
    def edit(config):
        _layer(config, "snake")["config"]["frequency_initializer"] = "no_such_initializer"

    error, rest = _refused(_model_config(tmp_path, "tfa_layers_functional", ".h5", edit))
    assert rest == (
        ": layer 'snake' (Addons>Snake) does not convert to keras_act's Snake: expected `frequency_initializer` to be "
        "an initializer Keras 3 has. Received: frequency_initializer='no_such_initializer'. Correct it in the file's "
        "config, or re-save the model from its source."
    )
    assert isinstance(error.__cause__, ValueError)


@once
def test_an_unknown_class_names_the_layer(tmp_path):
    def edit(config):
        config["config"]["layers"][1]["class_name"] = "Dence"

    _, rest = _refused(_model_config(tmp_path, "tfa_gelu_function", ".keras", edit))
    assert rest.startswith(": layer 'dense_25' is of class 'Dence', which neither Keras nor keras_act has."), rest


@once
def test_explain_reads_the_shapes_of_keras_errors():
    # The last line of Keras's deserialization message carries the cause.
    wrapped = TypeError(
        "<class 'keras.src.models.sequential.Sequential'> could not be deserialized properly. Please ensure ...\n\n"
        "config={'module': 'keras', 'class_name': 'Sequential', 'config': {'name': 'seq', 'layers': [{'module': "
        "'keras.layers', 'class_name': 'Dense', 'config': {'name': 'dense_3', 'units': 'x'}}]}}.\n\n"
        "Exception encountered: Received an invalid value for `units`, expected a positive integer. Received: units=x"
    )
    assert _errors.explain(wrapped) == (
        "Keras could not build layer 'dense_3' (Dense): Received an invalid value for `units`, expected a positive "
        "integer. Received: units=x"
    )
    assert _errors.explain(KeyError("Unable to synchronously open object (object 'dense_5' doesn't exist)")).startswith(
        "the file has no 'dense_5' where Keras reads the weights"
    )
    oom = type("ResourceExhaustedError", (Exception,), {})("OOM when allocating tensor with shape[6,1099511627776]")
    assert _errors.explain(oom).startswith("building the model ran out of memory")
    assert _errors.explain(RuntimeError("x" * 1000)).startswith("Keras could not load the model: RuntimeError: xxx")
    assert len(_errors.explain(RuntimeError("x" * 1000))) < 300


# --- The module on its own: another library's names ---------------------------------------


@once
def test_renames_map_another_librarys_names(tmp_path):
    # _keras2 knows no TensorFlow Addons: a Renames says what a library's names become.
    def edit(config):
        _layer(config, "dense_25")["config"]["activation"] = "Toy>wiggle"

    path = _model_config(tmp_path, "tfa_gelu_function", ".keras", edit)
    import keras_act

    renames = _keras2.Renames(
        functions={"Toy>wiggle": "tanh_custom"},
        layers={},
        config_changes={},
        objects=tfa.custom_objects,
        check_mapped=lambda *args: None,
    )
    model, rows = _keras2.load(path, renames, False, {})
    assert ("layer 'dense_25' activation", "Toy>wiggle", "keras_act>tanh_custom") in rows
    assert model.get_layer("dense_25").activation is keras_act.activations.tanh_custom


def test_migrate_leaves_nothing_when_saving_fails(tmp_path, monkeypatch):
    def broken_save(self, filepath, *args, **kwargs):
        Path(filepath).write_bytes(b"half a model")
        raise OSError("No space left on device")

    monkeypatch.setattr(keras.Model, "save", broken_save)
    with pytest.raises(tfa.MigrationError) as info:
        tfa.migrate(FIXTURES / "tfa_savedmodel.h5", tmp_path / "new.keras")
    assert _first_line(info.value).startswith(
        f"{FIXTURES / 'tfa_savedmodel.h5'}: the model loaded but could not be saved to {tmp_path / 'new.keras'} "
        "(OSError: No space left on device)"
    )
    assert list(tmp_path.iterdir()) == []


@once
def test_migrate_into_a_missing_directory(tmp_path):
    with pytest.raises(tfa.MigrationError, match="The directory of the migrated model does not exist"):
        tfa.migrate(FIXTURES / "tfa_savedmodel.h5", tmp_path / "no" / "new.keras")


@once
def test_checks_pass_every_committed_fixture():
    # What the checks refuse, no real file holds: every committed model passes them.
    paths = sorted((ROOT / "saved_models").glob("*/*.keras")) + sorted(FIXTURES.glob("*.h5"))
    assert len(paths) >= 12
    for path in paths:
        if path.suffix == ".keras":
            with zipfile.ZipFile(path) as archive:
                _files.check_archive(archive, path)
                _files.check_weights_member(archive, path, open_h5=True)
                config = _files.parse_json(archive.read("config.json"), path, "config.json")
            _config.check_training(config.pop("compile_config", None), path, "compile_config")
        else:
            import h5py

            with h5py.File(path, "r") as f:
                config = _files.parse_json(_files.h5_text(f.attrs, "model_config", path), path, "model_config")
                _files.check_h5_weights(f, path)
                _config.check_training(_files.parse_json(f.attrs["training_config"], path, "t"), path, "training_config")
        _config.check_model(config, path)
