"""keras_act.inspection.inspect_model and `keras-act inspect` on hostile and broken files."""

import json
import time
import zipfile

import keras
import pytest

import keras_act
from keras_act import cli
from keras_act.inspection import MAX_CONFIG_BYTES, inspect_model, read_config, root_cause

pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)


def _model(path):
    keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(3, activation="tanh_custom", name="d1"),
            keras_act.layers.PReLU(name="p"),
            keras.layers.Dense(2, activation="tanh", name="d2"),
        ]
    ).save(path)
    return path


def _tampered(good, bad, edit):
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "config.json":
                config = json.loads(data)
                edit(config)
                data = json.dumps(config).encode()
            dst.writestr(item, data)
    return bad


def _rename_activation(config):
    activation = config["config"]["layers"][1]["config"]["activation"]
    activation["config"] = activation["registered_name"] = "keras_act>tanhh_custom"


def _rename_layer(config):
    layer = config["config"]["layers"][2]
    layer["class_name"], layer["registered_name"] = "PReLUU", "keras_act>PReLUU"


def test_a_model_that_loads(tmp_path):
    found = inspect_model(_model(tmp_path / "m.keras"))
    assert found.loads and found.error is None and found.unknown == ()
    assert found.keras_act_ids == ("tanh_custom",) and found.keras_act_layers == ("PReLU",)
    assert [(u.layer, u.activation, u.source) for u in found.uses] == [
        ("d1", "tanh_custom", "keras_act"),
        ("p", "(no record)", "keras_act layer"),
        ("d2", "tanh", "keras"),
    ]


def test_an_unknown_id_is_the_root_cause_in_one_short_line(tmp_path):
    bad = _tampered(_model(tmp_path / "m.keras"), tmp_path / "bad.keras", _rename_activation)
    found = inspect_model(bad)
    assert not found.loads
    assert found.error.startswith("Could not locate function 'keras_act>tanhh_custom'. Did you mean 'tanh_custom'")
    assert len(found.error) < 200 and "\n" not in found.error and "\x1b" not in found.error
    assert found.unknown == ("tanhh_custom",)
    (d1,) = [u for u in found.uses if u.layer == "d1"]
    assert not d1.known and "UNKNOWN" in found.table().splitlines()[2]


def test_an_unknown_layer_class_gets_a_did_you_mean(tmp_path):
    bad = _tampered(_model(tmp_path / "m.keras"), tmp_path / "bad.keras", _rename_layer)
    found = inspect_model(bad)
    assert found.error.startswith("Could not locate class 'PReLUU'. Did you mean 'PReLU'")  # the closest first
    assert found.error.endswith("?") and "\n" not in found.error
    assert found.unknown == ("PReLUU",) and found.keras_act_layers == ()


def test_root_cause_strips_ansi_and_caps_the_length():
    try:
        try:
            raise RuntimeError("\x1b[1mdeep\x1b[0m problem " + "x" * 5000)
        except RuntimeError as inner:
            raise TypeError("wrapper " + "{config} " * 500) from inner
    except TypeError as e:
        line = root_cause(e)
    assert line.startswith("RuntimeError: deep problem xxx") and len(line) <= 330 and "\x1b" not in line


def test_cli_prints_the_root_cause(capsys, tmp_path):
    bad = _tampered(_model(tmp_path / "m.keras"), tmp_path / "bad.keras", _rename_activation)
    assert cli.main(["inspect", str(bad)]) == 1
    out, _ = capsys.readouterr()
    assert "loads: no: Could not locate function 'keras_act>tanhh_custom'. Did you mean 'tanh_custom'" in out
    assert max(len(line) for line in out.splitlines()) < 200
    assert "unknown to this keras_act: tanhh_custom" in out


def test_a_huge_declared_config_is_refused_before_it_is_read(tmp_path, capsys):
    # 17 MiB of spaces deflate to a 17 KB archive: a zip bomb in miniature.
    bomb = tmp_path / "bomb.keras"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", b" " * (MAX_CONFIG_BYTES + 1))
    assert bomb.stat().st_size < 100_000
    start = time.perf_counter()
    with pytest.raises(ValueError, match="larger than 16 MiB"):
        read_config(bomb)
    assert time.perf_counter() - start < 0.5
    code = cli.main(["inspect", str(bomb)])
    _, err = capsys.readouterr()
    assert code == 1 and len(err.strip().splitlines()) == 1 and "larger than 16 MiB" in err


def test_read_config_honours_its_cap(tmp_path):
    small = tmp_path / "b.keras"
    with zipfile.ZipFile(small, "w") as archive:
        archive.writestr("config.json", b"{}" + b" " * 100)
    assert read_config(small) == {}
    with pytest.raises(ValueError, match="larger than 0 MiB"):
        read_config(small, max_bytes=50)
