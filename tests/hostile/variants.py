"""A seeded generator of damaged and hostile variants of the committed model files.

Every variant starts from a committed fixture (saved_models/tfa/ and
saved_models/fixtures/) and damages it one way, as a cut download, a flipped
bit, a hand edit or a hostile sender would. `variant.make(directory)` writes
the damaged file (or FIFO, directory, link) into `directory`, which must be
empty, and returns its path; it writes nothing anywhere else and imports
neither Keras nor keras_act, so the same variants serve every backend and
the code of any commit (`run.py` counts outcomes before and after a fix).

Each variant says what a reader of model files must do with it (`expect`):

- "error": raise a `MigrationError` (a ValueError) whose first line names the
  file and contains every string of `names` (the object and what is wrong);
- "load": load;
- "warn": load and warn, the warning naming `names` (non-finite weights);
- "either": load, or raise as for "error" (random damage that may hit bytes
  that nothing reads);

and its `stage`: "check" where keras_act must refuse it from its own checks
before Keras builds anything (the outcome does not depend on the backend),
"convert" where keras_act refuses it while converting TensorFlow Addons'
names (load_model and migrate; inspect_model converts nothing), "keras"
where it gets as far as Keras's loader.

`judge()` is the one judge, shared by the tests and by `run.py`.
"""

import dataclasses
import io
import json
import os
import random
import shutil
import struct
import warnings
import zipfile
from pathlib import Path
from typing import Callable, Optional, Sequence, Tuple

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
TFA = ROOT / "saved_models" / "tfa"
KERAS3 = ROOT / "saved_models" / "fixtures"
TFA_NAMES = ("tfa_activations_sequential", "tfa_gelu_function", "tfa_layers_functional", "tfa_savedmodel")
# Keras 3 files of keras_act's own layers (inspect_model reads these).
KERAS3_FILES = ("sequential_rectifiers.keras", "functional_learnable.keras")
SEED = 20
# The longest first line that still reads as one message, not a dump.
MAX_FIRST_LINE = 400
DEEP = '"__deep__"'


@dataclasses.dataclass(frozen=True)
class Variant:
    """One damaged file: how to make it and what a reader must do with it."""

    kind: str
    detail: str
    source: str  # the fixture it starts from, relative to the repository
    make: Callable[[Path], Path] = dataclasses.field(compare=False, repr=False)
    names: Tuple[str, ...] = ()
    expect: str = "error"
    stage: str = "check"

    @property
    def id(self) -> str:
        return f"{self.kind}:{Path(self.source).name}:{self.detail}"

    @property
    def suffix(self) -> str:
        return Path(self.source).suffix


# --------------------------------------------------------------------------
# Building blocks


def _source(path):
    return str(Path(path).relative_to(ROOT))


def _write_bytes(name, data):
    def make(directory):
        path = Path(directory) / name
        path.write_bytes(data)
        return path

    return make


def _zip_members(path):
    with zipfile.ZipFile(path) as z:
        return [(info, z.read(info.filename)) for info in z.infolist()]


def _zip_bytes(members, compression=zipfile.ZIP_STORED):
    """A zip archive of `(name, bytes)` in order."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression=compression) as z:
        warnings.simplefilter("ignore", UserWarning)  # a duplicate name is the point of one variant
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def _patch_zip(data, member, local_offset, central_offset, fmt, value):
    """Set a field of `member`'s local and central headers (struct `fmt`)."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(member)
        local = info.header_offset
    struct.pack_into(fmt, out, local + local_offset, value)
    # Central directory entries start with PK\x01\x02; find this member's.
    name = member.encode()
    start = 0
    while True:
        at = out.find(b"PK\x01\x02", start)
        if at < 0:
            raise ValueError(f"no central entry for {member}")
        length = struct.unpack_from("<H", out, at + 28)[0]
        if bytes(out[at + 46 : at + 46 + length]) == name:
            struct.pack_into(fmt, out, at + central_offset, value)
            return bytes(out)
        start = at + 4


def _read_model_config(path):
    if path.suffix == ".h5":
        with h5py.File(path, "r") as f:
            return json.loads(f.attrs["model_config"])
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read("config.json"))


def _layers(path):
    return _read_model_config(path)["config"]["layers"]


def _class(layer):
    name = layer.get("registered_name") or layer["class_name"]
    return name.split(">", 1)[-1]


def _find(path, cls):
    """The first layer of class `cls` in `path`: (index, name)."""
    for i, layer in enumerate(_layers(path)):
        if _class(layer) == cls:
            return i, layer["config"]["name"]
    return None


def _with_config(path, edit, name=None):
    """make() writing `path` with its model config edited by `edit(config)`.

    `edit` changes the parsed config in place, or returns the JSON text to
    write (for what json.dumps cannot produce, such as 100000 levels).
    """
    name = name or path.name

    def make(directory):
        config = _read_model_config(path)
        text = edit(config)
        text = json.dumps(config) if text is None else text
        return _set_model_config(path, Path(directory) / name, text)

    return make


def _set_model_config(src, dst, text):
    if src.suffix == ".h5":
        shutil.copyfile(src, dst)
        with h5py.File(dst, "r+") as f:
            f.attrs["model_config"] = text
        return dst
    members = [(info.filename, text.encode() if info.filename == "config.json" else data) for info, data in _zip_members(src)]
    dst.write_bytes(_zip_bytes(members))
    return dst


def _with_training(path, edit):
    """make() with the Keras 2 training config (`.h5`) or compile config (`.keras`)
    passed to `edit(config, optimizer_key)`; `edit` may return a replacement."""

    def make(directory):
        dst = Path(directory) / path.name
        if path.suffix == ".h5":
            shutil.copyfile(path, dst)
            with h5py.File(dst, "r+") as f:
                training = json.loads(f.attrs["training_config"])
                new = edit(training, "optimizer_config")
                f.attrs["training_config"] = json.dumps(training if new is None else new)
            return dst
        config = _read_model_config(path)
        new = edit(config["compile_config"], "optimizer")
        if new is not None:
            config["compile_config"] = new
        return _set_model_config(path, dst, json.dumps(config))

    return make


def _with_h5_attr(path, attr, value):
    def make(directory):
        dst = Path(directory) / path.name
        shutil.copyfile(path, dst)
        with h5py.File(dst, "r+") as f:
            if value is None:
                del f.attrs[attr]
            else:
                f.attrs[attr] = value
        return dst

    return make


def _with_h5(path, edit):
    """make() with the `.h5` file (`path.suffix == .h5`) or the `.keras`
    archive's model.weights.h5 edited by `edit(h5py.File)`."""

    def make(directory):
        dst = Path(directory) / path.name
        if path.suffix == ".h5":
            shutil.copyfile(path, dst)
            with h5py.File(dst, "r+") as f:
                edit(f)
            return dst
        members = []
        for info, data in _zip_members(path):
            if info.filename == "model.weights.h5":
                buffer = io.BytesIO(data)
                with h5py.File(buffer, "r+") as f:
                    edit(f)
                data = buffer.getvalue()
            members.append((info.filename, data))
        dst.write_bytes(_zip_bytes(members))
        return dst

    return make


def _with_members(path, edit):
    """make() with the archive's member list edited by `edit(list of (name, bytes))`."""

    def make(directory):
        members = [(info.filename, data) for info, data in _zip_members(path)]
        result = edit(members)
        data = result if isinstance(result, bytes) else _zip_bytes(members)
        dst = Path(directory) / path.name
        dst.write_bytes(data)
        return dst

    return make


def _first_kernel_h5(f):
    """(dataset path, layer name) of the first kernel in a legacy `.h5` file."""
    weights = f["model_weights"]
    for layer in weights.attrs["layer_names"]:
        layer = layer.decode() if isinstance(layer, bytes) else str(layer)
        for weight in weights[layer].attrs["weight_names"]:
            weight = weight.decode() if isinstance(weight, bytes) else str(weight)
            if weight.endswith("kernel:0"):
                return f"model_weights/{layer}/{weight}", layer
    raise ValueError("no kernel")


def _first_dense_h5_group(path):
    with h5py.File(path, "r") as f:
        return _first_kernel_h5(f)[1]


# --------------------------------------------------------------------------
# The variants


def _whole_file(rng):
    """Truncations, byte flips, empty and foreign files."""
    out = []
    files = [TFA / f"{n}{s}" for n in TFA_NAMES for s in (".h5", ".keras")] + [KERAS3 / n for n in KERAS3_FILES]
    for path in files:
        data = path.read_bytes()
        for cut in sorted(rng.sample(range(1, len(data)), 3)):
            out.append(Variant("truncate", f"{cut}of{len(data)}", _source(path), _write_bytes(path.name, data[:cut])))
        for flips in (1, 4, 16):
            damaged = bytearray(data)
            for at in rng.sample(range(len(data)), flips):
                damaged[at] ^= rng.randrange(1, 256)
            out.append(
                Variant("byteflip", f"{flips}x", _source(path), _write_bytes(path.name, bytes(damaged)), expect="either", stage="keras")
            )
    h5, keras_file = TFA / "tfa_gelu_function.h5", TFA / "tfa_gelu_function.keras"
    out += [
        Variant("empty", "h5", _source(h5), _write_bytes(h5.name, b""), ("empty",)),
        Variant("empty", "keras", _source(keras_file), _write_bytes(keras_file.name, b""), ("empty",)),
        Variant("foreign", "random-bytes", _source(h5), _write_bytes(h5.name, bytes(rng.randrange(256) for _ in range(4096)))),
        Variant("foreign", "text", _source(keras_file), _write_bytes(keras_file.name, b"model: tfa_gelu_function\n")),
    ]
    empty_h5 = io.BytesIO()
    with h5py.File(empty_h5, "w") as f:
        f.create_dataset("x", data=np.zeros(3))
    out.append(Variant("foreign", "hdf5-without-model", _source(h5), _write_bytes(h5.name, empty_h5.getvalue()), ("model_config",)))
    return out


def _special():
    """What is not a regular file: never to be opened for reading."""
    h5, keras_file = TFA / "tfa_gelu_function.h5", TFA / "tfa_gelu_function.keras"

    def fifo(name):
        def make(directory):
            path = Path(directory) / name
            os.mkfifo(path)
            return path

        return make

    def folder(directory):
        path = Path(directory) / "model.h5"
        path.mkdir()
        return path

    def device(directory):
        path = Path(directory) / "model.keras"
        path.symlink_to("/dev/zero")
        return path

    def dangling(directory):
        path = Path(directory) / "model.h5"
        path.symlink_to(Path(directory) / "gone.h5")
        return path

    return [
        Variant("special", "fifo-h5", _source(h5), fifo("model.h5"), ("FIFO",)),
        Variant("special", "fifo-keras", _source(keras_file), fifo("model.keras"), ("FIFO",)),
        Variant("special", "directory", _source(h5), folder, ("directory",)),
        Variant("special", "device", _source(keras_file), device, ("device",)),
        Variant("special", "dangling-link", _source(h5), dangling, ("No such",)),
    ]


def _h5_attributes(rng):
    out = []
    for attr, values in (
        (
            "model_config",
            [
                ("not-json", "{'class_name': 'Sequential'", ("model_config", "JSON")),
                ("not-utf8", np.void(b"\xff\xfe{\"class_name\": 1}"), ("model_config",)),
                ("bytes-not-utf8", b"\xff\xfe junk", ("model_config", "UTF-8")),
                ("int64", np.int64(7), ("model_config",)),
                ("empty-string", "", ("model_config",)),
                ("json-list", "[]", ("model_config",)),
                ("json-null", "null", ("model_config",)),
                ("missing", None, ("model_config",)),
            ],
        ),
        (
            "training_config",
            [
                ("not-json", '{"loss": "mse", ', ("training_config", "JSON")),
                ("int64", np.int64(3), ("training_config",)),
                ("json-list", '["mse"]', ("training_config",)),
                ("bytes-not-utf8", b"\xff\xfe junk", ("training_config", "UTF-8")),
            ],
        ),
    ):
        for detail, value, names in values:
            path = TFA / f"{rng.choice(TFA_NAMES)}.h5"
            out.append(Variant(f"h5-{attr.replace('_', '-')}", detail, _source(path), _with_h5_attr(path, attr, value), names))
    return out


def _h5_weights(rng):
    out = []
    path = TFA / f"{rng.choice(TFA_NAMES)}.h5"
    layer = _first_dense_h5_group(path)

    def drop(key):
        def edit(f):
            del f[key]

        return edit

    def drop_kernel(f):
        del f[_first_kernel_h5(f)[0]]

    def wrong_shape(f):
        key, _ = _first_kernel_h5(f)
        del f[key]
        f.create_dataset(key, data=np.zeros((3, 3), "float32"))

    def fill(value, every):
        def edit(f):
            key, _ = _first_kernel_h5(f)
            data = f[key][()]
            if every:
                data[...] = value
            else:
                data.flat[0] = value
            f[key][...] = data

        return edit

    def drop_attr(f):
        del f["model_weights"].attrs["layer_names"]

    dense = f"'{layer}'"
    out += [
        Variant("h5-weights", "no-model_weights", _source(path), _with_h5(path, drop("model_weights")), ("model_weights",)),
        Variant("h5-weights", "no-layer-group", _source(path), _with_h5(path, drop(f"model_weights/{layer}")), (dense,)),
        Variant("h5-weights", "no-kernel", _source(path), _with_h5(path, drop_kernel), (dense, "kernel")),
        Variant("h5-weights", "no-layer_names", _source(path), _with_h5(path, drop_attr), ("layer_names",)),
        Variant("h5-weights", "wrong-shape", _source(path), _with_h5(path, wrong_shape), (dense,), stage="keras"),
        Variant("h5-weights", "all-nan-kernel", _source(path), _with_h5(path, fill(np.nan, True)), (dense,), "warn", "keras"),
        Variant("h5-weights", "one-inf", _source(path), _with_h5(path, fill(np.inf, False)), (dense,), "warn", "keras"),
    ]
    return out


def _zip_damage(rng):
    out = []
    path = TFA / f"{rng.choice(TFA_NAMES)}.keras"
    k3 = KERAS3 / KERAS3_FILES[0]

    def replace(member, data):
        def edit(members):
            members[:] = [(n, data if n == member else d) for n, d in members]

        return edit

    def remove(member):
        def edit(members):
            members[:] = [(n, d) for n, d in members if n != member]

        return edit

    def add(member, data):
        def edit(members):
            members.append((member, data))

        return edit

    def weights_edit(edit_h5):
        def edit(members):
            new = []
            for n, d in members:
                if n == "model.weights.h5":
                    buffer = io.BytesIO(d)
                    with h5py.File(buffer, "r+") as f:
                        edit_h5(f)
                    d = buffer.getvalue()
                new.append((n, d))
            members[:] = new

        return edit

    def nan_kernel(f):
        f["layers/dense/vars/0"][...] = np.nan

    def flag(member, offsets, fmt, value):
        def edit(members):
            return _patch_zip(_zip_bytes(members), member, *offsets, fmt, value)

        return edit

    weights_data = next(d for info, d in _zip_members(path) if info.filename == "model.weights.h5")
    first_dense = _find(path, "Dense")[1]
    out += [
        Variant("zip-config", "not-json", _source(path), _with_members(path, replace("config.json", b'{"class_name": ')), ("config.json", "JSON")),
        Variant("zip-config", "not-utf8", _source(path), _with_members(path, replace("config.json", b"\xff\xfe{}")), ("config.json", "UTF-8")),
        Variant("zip-config", "json-list", _source(path), _with_members(path, replace("config.json", b"[1, 2]")), ("config.json",)),
        Variant("zip-config", "empty", _source(path), _with_members(path, replace("config.json", b"")), ("config.json",)),
        Variant("zip-member", "no-config", _source(path), _with_members(path, remove("config.json")), ("config.json",)),
        Variant("zip-member", "no-weights", _source(path), _with_members(path, remove("model.weights.h5")), ("model.weights.h5",)),
        Variant("zip-member", "garbage-weights", _source(path), _with_members(path, replace("model.weights.h5", b"\x00garbage" * 100)), ("model.weights.h5",)),
        Variant("zip-member", "truncated-weights", _source(path), _with_members(path, replace("model.weights.h5", weights_data[: len(weights_data) // 2])), ("model.weights.h5",)),
        Variant("zip-member", "weights-missing-layer", _source(path), _with_members(path, weights_edit(lambda f: f.__delitem__("layers/dense"))), (f"'{first_dense}'",), stage="keras"),
        Variant("zip-member", "nan-kernel", _source(path), _with_members(path, weights_edit(nan_kernel)), (f"'{first_dense}'",), "warn", "keras"),
        # Keras reads no metadata.json: nor does keras_act.
        Variant("zip-member", "garbage-metadata", _source(path), _with_members(path, replace("metadata.json", b"\xff not json")), expect="load", stage="keras"),
        Variant("zip-member", "extra-member", _source(path), _with_members(path, add("notes.txt", b"trained on Tuesday")), expect="load", stage="keras"),
        Variant("zip-trick", "encrypted", _source(path), _with_members(path, flag("config.json", (6, 8), "<H", 1)), ("config.json", "encrypted")),
        Variant("zip-trick", "compression-99", _source(path), _with_members(path, flag("model.weights.h5", (8, 10), "<H", 99)), ("model.weights.h5", "compression")),
        Variant("zip-trick", "path-traversal", _source(path), _with_members(path, add("../evil.txt", b"x")), ("../evil.txt",)),
        Variant("zip-trick", "absolute-member", _source(k3), _with_members(k3, add("/tmp/evil.txt", b"x")), ("/tmp/evil.txt",)),
        Variant("zip-trick", "duplicate-config", _source(path), _with_members(path, add("config.json", b"{}")), ("config.json",)),
        Variant("zip-trick", "bomb-config", _source(path), _with_members(path, lambda m: _zip_bytes([("config.json", b" " * (17 * 2**20))], zipfile.ZIP_DEFLATED)), ("config.json", "larger")),
        Variant("zip-trick", "bomb-weights-declared", _source(k3), _with_members(k3, flag("model.weights.h5", (22, 24), "<I", 2**32 - 1)), ("model.weights.h5",)),
        Variant("zip-trick", "empty-zip", _source(path), _with_members(path, lambda m: _zip_bytes([])), ("config.json",)),
    ]
    return out


def _set(key, value):
    def edit(layer_config):
        layer_config[key] = value

    return edit


def _on_layer(index, edit):
    def whole(config):
        edit(config["config"]["layers"][index]["config"])

    return whole


def _config_edits(rng):
    """Hand edits of a model's config, each on an .h5 and a .keras file."""
    out = []

    def both(kind, detail, cls, edit, names, stage="check", sources=TFA_NAMES, formats=(".h5", ".keras")):
        """`edit(layer_config)` on the first layer of class `cls` (or the
        whole config when `cls` is None) of a seeded choice of source."""
        for fmt in formats:
            candidates = [TFA / f"{n}{fmt}" for n in sources]
            if cls is not None:
                candidates = [p for p in candidates if _find(p, cls)]
            path = rng.choice(candidates)
            if cls is None:
                whole, layer_names = edit, names
            else:
                index, name = _find(path, cls)
                whole, layer_names = _on_layer(index, edit), (f"'{name}'", cls, *names)
            out.append(Variant(kind, f"{detail}{fmt}", _source(path), _with_config(path, whole), tuple(layer_names), stage=stage))

    # Types where keras_act or Keras reads them.
    for value in ("12", None, 12.5, True, [12]):
        both("config-type", f"units={value!r}", "Dense", _set("units", value), ("units",))
    both("config-type", "theta=None", "ThresholdedReLU", _set("theta", None), ("theta",), sources=["tfa_layers_functional"])
    both("config-type", "theta='abc'", "ThresholdedReLU", _set("theta", "abc"), ("theta",), sources=["tfa_layers_functional"])
    both("config-type", "alpha='x'", "LeakyReLU", _set("alpha", "x"), ("alpha",), sources=["tfa_activations_sequential"])
    both("config-type", "num_units='x'", "Maxout", _set("num_units", "x"), ("num_units",))
    both("config-type", "activation=42", "Dense", _set("activation", 42), ("activation",))
    both("config-type", "activation=[relu]", "Dense", _set("activation", ["relu"]), ("activation",))
    both("config-type", "batch_input_shape='abc'", "InputLayer", _set("batch_input_shape", "abc"), ("batch_input_shape",))
    both("config-type", "frequency_initializer=nope", "Snake", _set("frequency_initializer", "no_such_initializer"), ("frequency_initializer",), "convert", sources=["tfa_layers_functional"])
    both("config-type", "approximate='yes'", "GELU", _set("approximate", "yes"), ("approximate",), "keras", sources=["tfa_layers_functional"])
    both("config-type", "axis='a'", "Sparsemax", _set("axis", "a"), ("axis",), sources=["tfa_layers_functional"])
    both("config-type", "activation=no_such", "Dense", _set("activation", "no_such_activation"), ("no_such_activation",), "keras")
    both("config-type", "dtype=float1024", "Dense", _set("dtype", "float1024"), ("float1024",), "keras")

    # Ranges and absurd sizes.
    for value in (-1, 0, 2**40, 1e308):
        both("config-range", f"units={value!r}", "Dense", _set("units", value), ("units",))
    both("config-range", "num_units=0", "Maxout", _set("num_units", 0), ("num_units",))
    both("config-range", "num_units=2**40", "Maxout", _set("num_units", 2**40), ("num_units",))
    both("config-range", "batch_input_shape=2**40", "InputLayer", _set("batch_input_shape", [None, 2**40]), ("batch_input_shape",))
    both("config-range", "num_units=5", "Maxout", _set("num_units", 5), ("num_units",), "keras", sources=["tfa_savedmodel"])
    both("config-range", "axis=5", "Sparsemax", _set("axis", 5), ("axis",), "keras", sources=["tfa_layers_functional"])

    # Non-finite numbers.
    for value in (float("nan"), float("inf")):
        both("config-nonfinite", f"alpha={value}", "LeakyReLU", _set("alpha", value), ("alpha",), sources=["tfa_activations_sequential"])
    both("config-nonfinite", "units=nan", "Dense", _set("units", float("nan")), ("units",))
    both("config-nonfinite", "theta=nan", "ThresholdedReLU", _set("theta", float("nan")), ("theta",), sources=["tfa_layers_functional"])
    both("config-nonfinite", "theta=-inf", "ThresholdedReLU", _set("theta", float("-inf")), ("theta",), sources=["tfa_layers_functional"])
    both("config-nonfinite", "elu-alpha=nan", "ELU", _set("alpha", float("nan")), ("alpha",), sources=["tfa_layers_functional"])

    def snake_frequency(value):
        def edit(c):
            c["frequency_initializer"] = {"module": "keras.initializers", "class_name": "Constant", "config": {"value": value}, "registered_name": None}

        return edit

    both("config-nonfinite", "frequency=inf", "Snake", snake_frequency(float("inf")), ("frequency",), sources=["tfa_layers_functional"])
    both("config-nonfinite", "frequency=nan", "Snake", snake_frequency(float("nan")), ("frequency",), sources=["tfa_layers_functional"], formats=(".h5",))

    # Structure.
    def top(key, value):
        def edit(config):
            if value is _DELETE:
                del config[key]
            else:
                config[key] = value

        return edit

    def inner(key, value):
        def edit(config):
            if value is _DELETE:
                del config["config"][key]
            else:
                config["config"][key] = value

        return edit

    def layer_node(key, value, index=1):
        def edit(config):
            config["config"]["layers"][index][key] = value

        return edit

    def layer_no_name(config):
        del config["config"]["layers"][1]["config"]["name"]

    both("config-structure", "class_name=[...]", None, top("class_name", ["Sequential"]), ("class_name",))
    both("config-structure", "no-class_name", None, top("class_name", _DELETE), ("class_name",))
    both("config-structure", "config=null", None, top("config", None), ("config",))
    both("config-structure", "no-layers", None, inner("layers", _DELETE), ("layers",))
    both("config-structure", "layers={}", None, inner("layers", {}), ("layers",))
    for fmt in (".h5", ".keras"):
        path = TFA / f"tfa_gelu_function{fmt}"
        index, name = _find(path, "Dense")
        out += [
            Variant("config-structure", f"class_name=list{fmt}", _source(path), _with_config(path, layer_node("class_name", ["Dense"], index)), (f"'{name}'", "class_name")),
            Variant("config-structure", f"class_name=dict{fmt}", _source(path), _with_config(path, layer_node("class_name", {"x": 1}, index)), (f"'{name}'", "class_name")),
            Variant("config-structure", f"registered_name=[...]{fmt}", _source(path), _with_config(path, layer_node("registered_name", ["x"], index)), (f"'{name}'", "registered_name")),
            Variant("config-structure", f"layer-config=null{fmt}", _source(path), _with_config(path, layer_node("config", None, index)), (f"layers[{index}]",)),
            Variant("config-structure", f"layer-config=list{fmt}", _source(path), _with_config(path, layer_node("config", [1], index)), (f"layers[{index}]",)),
            Variant("config-structure", f"layer-no-name{fmt}", _source(path), _with_config(path, _on_layer(index, lambda c: c.pop("name"))), (f"layers[{index}] (Dense)", "name")),
            Variant("config-structure", f"name=7{fmt}", _source(path), _with_config(path, _on_layer(index, _set("name", 7))), (f"layers[{index}] (Dense)", "name")),
            Variant("config-structure", f"unknown-class{fmt}", _source(path), _with_config(path, layer_node("class_name", "NoSuchLayer", index)), (f"'{name}'", "NoSuchLayer"), stage="keras"),
            Variant("config-structure", f"input_layers-unknown{fmt}", _source(path), _with_config(path, _unknown_input), ("input_layers", "'nope'")),
            Variant("config-structure", f"inbound-unknown{fmt}", _source(path), _with_config(path, _unknown_inbound), ("'dense_26'", "'nope'")),
        ]

    # Nesting.
    for depth in (900, 5000, 100000):
        for fmt in (".h5", ".keras"):
            path = TFA / f"tfa_gelu_function{fmt}"
            where = "model_config" if fmt == ".h5" else "config.json"
            out.append(Variant("config-depth", f"{depth}{fmt}", _source(path), _with_config(path, _deep(depth)), (where, "nested")))

    # The training configuration.
    def training(kind, detail, edit, names, formats=(".h5", ".keras"), expect="error"):
        for fmt in formats:
            path = TFA / f"{rng.choice(TFA_NAMES)}{fmt}"
            out.append(Variant(kind, f"{detail}{fmt}", _source(path), _with_training(path, edit), names, expect))

    def loss(value):
        def edit(t, _):
            t["loss"] = value

        return edit

    def metrics(value):
        def edit(t, _):
            t["metrics"] = value

        return edit

    def optimizer(edit_optimizer):
        def edit(t, key):
            edit_optimizer(t[key])

        return edit

    training("training", "loss=no_such_loss", loss("no_such_loss"), ("loss", "no_such_loss"))
    training("training", "loss=42", loss(42), ("loss",))
    training("training", "loss=NoSuchLoss{}", loss({"class_name": "NoSuchLoss", "config": {}}), ("loss", "NoSuchLoss"))
    training("training", "metrics=[no_such_metric]", metrics(["no_such_metric"]), ("metrics", "no_such_metric"))
    training("training", "metrics=[accuracy]", metrics(["accuracy"]), (), expect="load")
    training("training", "optimizer=NoSuchOptimizer", optimizer(lambda o: o.__setitem__("class_name", "NoSuchOptimizer")), ("optimizer", "NoSuchOptimizer"))
    training("training", "learning_rate=nan", optimizer(lambda o: o["config"].__setitem__("learning_rate", float("nan"))), ("optimizer", "learning_rate"))
    training("training", "compile_config=list", lambda t, _: ["mse"], ("compile_config",), formats=(".keras",))

    # Benign: what must keep loading.
    for fmt in (".h5", ".keras"):
        path = TFA / f"{rng.choice(TFA_NAMES)}{fmt}"
        out.append(Variant("benign", f"same-config{fmt}", _source(path), _with_config(path, lambda c: None), expect="load", stage="keras"))
    path = TFA / "tfa_savedmodel.keras"
    out.append(Variant("benign", "keras-named-h5", _source(path), _write_bytes("model.h5", path.read_bytes()), expect="load", stage="keras"))
    path = TFA / "tfa_savedmodel.h5"
    out.append(Variant("benign", "h5-named-keras", _source(path), _write_bytes("model.keras", path.read_bytes()), expect="load", stage="keras"))
    return out


_DELETE = object()


def _unknown_input(config):
    # Keras 2 wrote [["input_3", 0, 0]] (a list of one in .h5 and .keras alike).
    entry = config["config"]["input_layers"]
    (entry[0] if isinstance(entry[0], list) else entry)[0] = "nope"


def _unknown_inbound(config):
    for layer in config["config"]["layers"]:
        if layer["config"]["name"] == "dense_26":
            text = json.dumps(layer["inbound_nodes"]).replace('"dense_25"', '"nope"')
            layer["inbound_nodes"] = json.loads(text)


def _deep(depth):
    def edit(config):
        config["config"]["layers"][1]["config"]["kernel_initializer"]["config"]["seed"] = "__deep__"
        return json.dumps(config).replace(DEEP, "[" * depth + "]" * depth)

    return edit


def _keras3_edits():
    """keras_act's own layers in a Keras 3 file (their constructors check)."""
    path = KERAS3 / KERAS3_FILES[0]
    out = []
    for cls, key, value in (("Threshold", "threshold", float("nan")), ("ELU", "alpha", "x"), ("Maxout", "num_units", -3)):
        index, name = _find(path, cls)
        out.append(
            Variant("keras3-layer", f"{cls}.{key}={value!r}", _source(path), _with_config(path, _on_layer(index, _set(key, value))), (f"'{name}'", cls, key))
        )
    index, name = _find(path, "Dense")
    out.append(Variant("keras3-layer", "units=2**40", _source(path), _with_config(path, _on_layer(index, _set("units", 2**40))), (f"'{name}'", "Dense", "units")))

    def nan_kernel(f):
        f["layers/dense/vars/0"][...] = np.nan

    # Keras 3 stores weights by position: layers/dense is the first Dense.
    out.append(Variant("keras3-weights", "nan-kernel", _source(path), _with_h5(path, nan_kernel), (f"'{name}'", "Dense"), "warn", "keras"))
    return out


def all_variants(seed: int = SEED) -> list:
    """Every variant, in a fixed order for a given seed."""
    rng = random.Random(seed)
    out = _whole_file(rng) + _special() + _h5_attributes(rng) + _h5_weights(rng) + _zip_damage(rng) + _config_edits(rng) + _keras3_edits()
    ids = [v.id for v in out]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    return out


def sample(seed: int = SEED, per_kind: int = 2, variants: Optional[Sequence[Variant]] = None) -> list:
    """`per_kind` variants of each kind (seeded), and every variant a reader
    must load or warn about, which are few: the sampled set of `make test`."""
    variants = all_variants(seed) if variants is None else variants
    rng = random.Random(seed + 1)
    kinds = {}
    for v in variants:
        kinds.setdefault(v.kind, []).append(v)
    chosen = set()
    for members in kinds.values():
        for v in rng.sample(members, min(per_kind, len(members))):
            chosen.add(v.id)
    chosen |= {v.id for v in variants if v.expect in ("load", "warn")}
    return [v for v in variants if v.id in chosen]


# --------------------------------------------------------------------------
# The judge


def first_line(text: str) -> str:
    return str(text).strip().splitlines()[0] if str(text).strip() else ""


def judge_error(variant: Variant, path, error: BaseException, with_path: bool = True) -> Tuple[str, str]:
    """('clear' | 'unclear', why) for an exception a reader raised on `path`."""
    line = first_line(error)
    if not (isinstance(error, ValueError) and any(c.__name__ == "MigrationError" for c in type(error).__mro__)):
        return "unclear", f"{type(error).__name__}: {line[:200]}"
    return judge_line(variant, path, line, with_path)


def judge_line(variant: Variant, path, line: str, with_path: bool = True) -> Tuple[str, str]:
    """('clear' | 'unclear', why) for the first line of an error message."""
    missing = [n for n in variant.names if n.casefold() not in line.casefold()]
    if with_path and str(path) not in line:
        missing.insert(0, str(path))
    if missing:
        return "unclear", f"does not name {missing}: {line[:300]}"
    # The message's own length: the path is the user's (pytest's temporary
    # folders under xdist are longer than a user's).
    if len(line.replace(str(path), "")) > MAX_FIRST_LINE:
        return "unclear", f"first line of {len(line)} characters: {line[:200]}..."
    if "config={" in line or "Traceback" in line:
        return "unclear", f"a dump, not a message: {line[:200]}"
    return "clear", line


def for_entry(variant: Variant, entry: str) -> Variant:
    """The variant as a given reader must treat it. inspect_model reads Keras 3
    files: a Keras 2 file that passes keras_act's own checks is reported as
    one to convert with `keras-act migrate` (what Keras then says is
    migrate's to report)."""
    keras2 = variant.source.startswith("saved_models/tfa/")
    if not entry.endswith("inspect") or not keras2 or variant.expect == "either":
        return variant
    if variant.stage == "check" and variant.kind != "training" and variant.expect == "error":
        return variant
    return dataclasses.replace(variant, names=("migrate",), expect="error")


def expected(variant: Variant, outcome: str, warned: bool) -> bool:
    """Whether `outcome` ('clear', 'loaded', 'unclear', 'hung') is what the variant asks for."""
    if variant.expect == "error":
        return outcome == "clear"
    if variant.expect == "load":
        return outcome == "loaded"
    if variant.expect == "warn":
        return outcome == "loaded" and warned
    return outcome in ("clear", "loaded")


# --------------------------------------------------------------------------
# Running a reader


def attempt(variant: Variant, entry: str, path, dst, record_all: bool = False) -> dict:
    """Run the reader `entry` on `path` and judge what it did.

    Returns {"outcome": "clear" | "unclear" | "loaded", "why": ..., "warned":
    whether a NonFiniteWeightsWarning (or the command line's warning line)
    named `variant.names`, "model": the model `load` returned}. Warnings
    other than NonFiniteWeightsWarning follow the filters in force (errors
    under pytest), unless `record_all`.
    """
    import contextlib
    import io
    import warnings

    from keras_act import cli
    from keras_act.compat import tfa
    from keras_act.inspection import inspect_model

    # Older keras_act (a run of an earlier commit) has no such class.
    non_finite = getattr(tfa, "NonFiniteWeightsWarning", None)
    result = {"warned": False, "model": None}
    with warnings.catch_warnings(record=True) as caught:
        if record_all or non_finite is None:
            warnings.simplefilter("always")
        else:
            warnings.simplefilter("always", non_finite)
        try:
            if entry == "load":
                result["model"] = tfa.load_model(path)
                result["outcome"], result["why"] = "loaded", ""
            elif entry == "migrate":
                tfa.migrate(path, dst)
                result["outcome"], result["why"] = "loaded", ""
            elif entry == "inspect":
                found = inspect_model(path)
                if found.loads:
                    result["outcome"], result["why"] = "loaded", ""
                    layers = getattr(found, "non_finite", ())
                    result["warned"] = any(all(n in layer for n in variant.names) for layer in layers)
                else:
                    result["outcome"], result["why"] = judge_line(variant, path, found.error, with_path=False)
            else:
                out, err = io.StringIO(), io.StringIO()
                argv = {
                    "cli-migrate": ["migrate", str(path), str(dst)],
                    "cli-inspect": ["inspect", str(path)],
                    "cli-swap": ["swap", str(path), str(dst), "--map", "relu=relu_custom"],
                }[entry]
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    code = cli.main(argv)
                result["outcome"], result["why"], result["warned"] = _judge_cli(variant, path, entry, code, out.getvalue(), err.getvalue())
        except Exception as e:  # noqa: BLE001 - judged
            result["outcome"], result["why"] = judge_error(variant, path, e)
    for w in caught:
        if non_finite is not None and issubclass(w.category, non_finite):
            result["warned"] = result["warned"] or judge_line(variant, path, str(w.message))[0] == "clear"
    return result


def _judge_cli(variant, path, entry, code, out, err):
    lines = err.strip().splitlines()
    errors = [line for line in lines if line.startswith("keras-act: error: ")]
    warned = any(
        line.startswith("keras-act: warning: ") and judge_line(variant, path, line)[0] == "clear" for line in lines
    )
    if "non-finite weights" in out:
        line = out.split("non-finite weights", 1)[1].splitlines()[0]
        warned = warned or all(n in line for n in variant.names)
    if "Traceback" in err:
        return "unclear", f"a traceback: {err[-300:]!r}", warned
    if code == 0:
        return "loaded", "", warned
    if code == 1 and len(errors) == 1 and len(lines) == 1:
        return (*judge_line(variant, path, errors[0]), warned)
    if entry == "cli-inspect" and code == 1 and not lines and "loads: no: " in out:
        line = out.split("loads: no: ", 1)[1].splitlines()[0]
        return (*judge_line(variant, path, line, with_path=False), warned)
    return "unclear", f"exit {code}: {err[-300:]!r}", warned
