"""Keras 2 model files into Keras 3: config surgery, checks, loading, migrating.

tf.keras 2.13-2.15 wrote `.h5` files (the config as JSON attributes, the
weights in legacy groups) and `.keras` archives that Keras 3 cannot read as
they are. This module rewrites a temporary copy so that Keras 3 does
(`keras_act.compat.tfa.KERAS2_REWRITES` lists what changes), with another
library's names mapped by a `Renames` (TensorFlow Addons' come from
`keras_act.compat.tfa`), and loads it, after refusing what a damaged or
hostile file could do to Keras's loader:

1. the file itself (`_files`): not a regular file, empty, foreign, a zip
   trick, unreadable JSON, nesting past `_files.MAX_DEPTH`;
2. the config (`_config`): types, absurd sizes and non-finite numbers,
   named by layer, before Keras builds anything;
3. the training configuration: its losses, metrics and optimizer resolved
   in Keras 3 before the model is loaded (compile=False skips it);
4. what Keras's loader still raises, translated (`_errors.explain`);
5. non-finite weights load (they are data) but warn, naming the layer.

Every failure is a MigrationError whose first line names the file.
"""

import dataclasses
import json
import math
import os
import shutil
import tempfile
import zipfile
from typing import Any, Callable, Dict, List, Tuple

import keras
import numpy as np

from keras_act import layers as _layers
from keras_act._record import PACKAGE
from keras_act.compat import _config, _files
from keras_act.compat._errors import MigrationError, cause_line, explain, fail, short, warn_non_finite
from keras_act.registry import record

# Optimizer config keys of Keras 2.11-2.15 that Keras 3's optimizers refuse.
_KERAS2_OPTIMIZER_KEYS = ("jit_compile", "is_legacy_optimizer")
_COMPILE_OPTIONS = ("loss_weights", "run_eagerly", "steps_per_execution", "jit_compile")
# Names model.compile resolves from the model's outputs, not from a registry.
_RESOLVED_BY_COMPILE = {"loss": ("crossentropy", "ce"), "metrics": ("accuracy", "acc", "crossentropy", "ce")}
_COMPILE_FALSE = "Pass compile=False to load the model without its training configuration, then call model.compile."

Row = Tuple[str, str, str]


def thresholded_relu_config(config):
    """Keras 2's ThresholdedReLU(theta) as keras_act's Threshold(threshold=theta, value=0)."""
    config = dict(config)
    theta = config.pop("theta", 1.0)
    return {**config, "threshold": float(theta), "value": 0.0}


# Keras 2's own classes that Keras 3 removed, and what they become.
KERAS2_LAYERS = {"ThresholdedReLU": "Threshold"}
KERAS2_CONFIG_CHANGES = {"ThresholdedReLU": thresholded_relu_config}


class FromConfig:
    """A custom object that builds keras_act's layer from another library's config."""

    def __init__(self, cls, convert):
        self.cls, self.convert = cls, convert

    def from_config(self, config, custom_objects=None):
        return self.cls.from_config(self.convert(config))


@dataclasses.dataclass(frozen=True)
class Renames:
    """Another library's names in a Keras 2 file and what they become.

    Attributes:
        functions: a function's name in the file -> a keras_act id.
        layers: a layer's class in the file -> a `keras_act.layers` class name.
        config_changes: a layer's class -> a function converting its config.
        objects: returns the custom objects `keras.saving.load_model` needs.
        check_mapped: `(path, model_config, training, compile_model)`;
            raises a MigrationError for names nothing maps.
    """

    functions: Dict[str, str]
    layers: Dict[str, str]
    config_changes: Dict[str, Callable[[dict], dict]]
    objects: Callable[[], Dict[str, Any]]
    check_mapped: Callable[[str, Any, Any, bool], None]


# --------------------------------------------------------------------------
# Rewriting a tf.keras 2.x config into one Keras 3 reads


def _serialized_function(name):
    return keras.saving.serialize_keras_object(record(name).fn)


def _functional_module():
    inputs = keras.Input((1,))
    return type(keras.Model(inputs, keras.layers.Identity()(inputs))).__module__


class _Rewriter:
    def __init__(self, path, renames, gelu_approximate):
        self.path = path
        self.functions = renames.functions
        self.layers = {**KERAS2_LAYERS, **renames.layers}
        self.config_changes = {**KERAS2_CONFIG_CHANGES, **renames.config_changes}
        self.gelu_approximate = gelu_approximate
        self.rows: List[Row] = []  # (where, old, new)
        self._functional_module = None

    def _function(self, name, where):
        """The keras_act function a file's function name becomes, or None."""
        if name in self.functions:
            new = self.functions[name]
        elif name == "gelu" and self.gelu_approximate:
            new = "gelu_tanh_custom"
        else:
            return None
        self.rows.append((where, name, f"{PACKAGE}>{new}"))
        return _serialized_function(new)

    def _converted(self, name, config, where):
        try:
            converted = self.config_changes[name](config)
        except Exception as e:  # noqa: BLE001 - a config keras_act cannot convert, named
            raise fail(
                self.path,
                f"{where} ({name}) does not convert to keras_act's {self.layers[name]}: {cause_line(e)} "
                "Correct it in the file's config, or re-save the model from its source.",
                e,
            ) from e
        bad = [(k, v) for k, v in converted.items() if isinstance(v, float) and not math.isfinite(v)]
        if bad:
            key, value = bad[0]
            raise MigrationError(
                f"{self.path}: {where} ({name}) expected its `{key}` to be a finite number. Received: {key}={value!r} "
                "(from its config). keras_act's layers refuse NaN and inf too."
            )
        return converted

    def _layer(self, node, where):
        name = node.get("registered_name") or node.get("class_name")
        config = node.get("config")
        if not isinstance(config, dict):
            return node
        node = dict(node)
        if name in self.layers:
            new = self.layers[name]
            cls = getattr(_layers, new)
            if name in self.config_changes:
                node["config"] = self._converted(name, config, where)
            if "module" in node:  # Keras 2.13+ `.keras` style
                node.update(module=cls.__module__, class_name=cls.__name__, registered_name=f"{PACKAGE}>{new}")
            else:  # legacy `.h5` style: the registered name is the class name
                node["class_name"] = f"{PACKAGE}>{new}"
            self.rows.append((where, name, f"{PACKAGE}>{new}"))
        elif name == "Functional":
            if str(node.get("module", "")).startswith(("keras.src.engine", "keras.engine")):
                if self._functional_module is None:
                    self._functional_module = _functional_module()
                self.rows.append((where, f"{node['module']}.Functional", f"{self._functional_module}.Functional"))
                node["module"] = self._functional_module
            node["config"] = self._single_io(config, where)
        elif name == "LeakyReLU" and "alpha" in config and "negative_slope" not in config:
            config = dict(config)
            config["negative_slope"] = config.pop("alpha")
            node["config"] = config
            self.rows.append((where, "LeakyReLU(alpha=...)", "LeakyReLU(negative_slope=...)"))
        return node

    def _single_io(self, config, where):
        # Keras 2 wrote one input or output as a list of one, and its models
        # took and returned a bare tensor; to Keras 3 a list of one means a
        # list in and a list out.
        config = dict(config)
        for key in ("input_layers", "output_layers"):
            value = config.get(key)
            if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
                config[key] = value[0]
                self.rows.append((where, f"{key}=[[...]]", f"{key}=[...]"))
        return config

    def optimizer(self, node):
        """A Keras 2 optimizer config as Keras 3 reads it."""
        if not isinstance(node, dict) or not isinstance(node.get("config"), dict):
            return node
        node = dict(node)
        name = str(node.get("class_name", ""))
        if name.startswith("Custom>"):
            node["class_name"] = name[len("Custom>") :]
        dropped = [key for key in _KERAS2_OPTIMIZER_KEYS if key in node["config"]]
        node["config"] = {k: v for k, v in node["config"].items() if k not in _KERAS2_OPTIMIZER_KEYS}
        if dropped or name != node["class_name"]:
            self.rows.append((f"optimizer {node['class_name']!r}", name, f"{node['class_name']} without {', '.join(dropped)}"))
        return node

    def rewrite(self, node, where="model"):
        if isinstance(node, list):
            return [self.rewrite(item, where) for item in node]
        if not isinstance(node, dict):
            return node
        if node.get("class_name") == "function" and isinstance(node.get("config"), str):
            return self._function(node["config"], where) or node
        config = node.get("config")
        if isinstance(config, dict) and "class_name" in node:
            if isinstance(config.get("name"), str):
                kind = "model" if node["class_name"] in ("Functional", "Sequential", "Model") else "layer"
                where = f"{kind} {config['name']!r}"
            node = self._layer(node, where)
        out = {}
        for key, value in node.items():
            if isinstance(value, str) and key.endswith("activation"):
                out[key] = self._function(value, f"{where} {key}") or value
            else:
                out[key] = self.rewrite(value, where)
        return out


# --------------------------------------------------------------------------
# Files


def _rewrite_keras_zip(f, src, dst, rewriter, renames, compile_model):
    with zipfile.ZipFile(f) as zin:
        _files.check_archive(zin, src)
        if "config.json" not in zin.namelist():
            raise MigrationError(f"{src} is a zip archive without config.json, not a Keras model file.")
        config = _files.parse_json(_files.read_member(zin, "config.json", src, _files.MAX_CONFIG_BYTES), src, "config.json")
        if not isinstance(config, dict):
            raise MigrationError(
                f"{src}: config.json is a JSON {type(config).__name__}, not the object that describes a Keras model. "
                f"Received: {short(config, 60)}. The file is damaged or was edited."
            )
        # The model loads uncompiled and is compiled from this afterwards, as
        # for `.h5`: Keras 3 cannot place Keras 2's optimizer slots, so the
        # optimizer restarts from a fresh state.
        compile_config = config.pop("compile_config", None)
        _config.check_model(config, src, "config.json")
        weights = _files.check_weights_member(zin, src)
        if compile_model:
            _config.check_training(compile_config, src, "compile_config")
        config = rewriter.rewrite(config)
        renames.check_mapped(src, config, compile_config, compile_model)
        with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                if info.filename == "config.json":
                    zout.writestr("config.json", json.dumps(config).encode("utf-8"))
                    continue
                try:
                    if info.is_dir():
                        zout.writestr(info.filename, b"")
                        continue
                    with zin.open(info) as member, zout.open(info.filename, "w", force_zip64=True) as out:
                        shutil.copyfileobj(member, out, 1 << 20)
                except Exception as e:  # noqa: BLE001 - zipfile's BadZipFile (CRC), zlib.error, EOFError, ...
                    raise _files.damaged(src, e, f"archive member {info.filename!r}") from e
    if weights.endswith(".h5"):
        with zipfile.ZipFile(dst) as written:
            _files.check_h5_member(written, weights, src)
    if not isinstance(compile_config, dict) or not compile_model:
        return None
    return {**compile_config, "optimizer": rewriter.optimizer(compile_config.get("optimizer"))}


def _rewrite_h5(f, src, dst, rewriter, renames, compile_model):
    import h5py  # a dependency of Keras

    with open(dst, "wb") as out:
        shutil.copyfileobj(f, out, 1 << 20)
    with h5py.File(dst, "r+") as h5:
        raw = _files.h5_text(h5.attrs, "model_config", src)
        if raw is None:
            raise MigrationError(
                f"{src} is an HDF5 file without a model_config attribute (a weights-only file?), not a Keras model file."
            )
        config = _files.parse_json(raw, src, "the model_config attribute")
        _config.check_model(config, src, "the model_config attribute")
        _files.check_h5_weights(h5, src)
        training = _files.h5_text(h5.attrs, "training_config", src)
        training = None if training is None else _files.parse_json(training, src, "the training_config attribute")
        if compile_model:
            _config.check_training(training, src, "training_config")
        config = rewriter.rewrite(config)
        renames.check_mapped(src, config, training, compile_model)
        text = json.dumps(config)
        h5.attrs["model_config"] = text.encode("utf-8") if isinstance(raw, bytes) else text
        # Keras 3.15's legacy loader cannot rebuild a loss given as a string
        # ('keras.metrics.mse'): the model loads uncompiled and is compiled here.
        if training is not None:
            del h5.attrs["training_config"]
    if not isinstance(training, dict) or not compile_model:
        return None
    return {
        "optimizer": rewriter.optimizer(training.get("optimizer_config")),
        **{key: training.get(key) for key in ("loss", "metrics", "weighted_metrics", "loss_weights")},
    }


def _rewritten(path, renames, gelu_approximate, compile_model, workdir):
    """(temporary Keras 3 file, rows, training) for the Keras 2 file `path`."""
    f, kind = _files.open_model_file(path)
    rewriter = _Rewriter(path, renames, gelu_approximate)
    tmp = os.path.join(workdir, "model" + kind)
    try:
        with f:
            rewrite = _rewrite_keras_zip if kind == ".keras" else _rewrite_h5
            training = rewrite(f, path, tmp, rewriter, renames, compile_model)
    except MigrationError:
        raise
    except RecursionError as e:  # the depth checks make this unreachable; kept as a guard
        raise fail(path, "its config is nested too deeply to read.", e) from e
    except Exception as e:  # noqa: BLE001 - h5py's OSError and KeyError, zipfile's BadZipFile, ...
        raise _files.damaged(path, e) from e
    if training is not None:
        _check_compile(training, path, "training_config" if kind == ".h5" else "compile_config", renames)
    return tmp, rewriter.rows, training


# --------------------------------------------------------------------------
# The training configuration


def _resolve(value, getter, special):
    """Raise what `getter` raises for the first name or object Keras cannot resolve."""
    if value is None:
        return
    if isinstance(value, str):
        if value.lower() not in special:
            getter(value)
    elif isinstance(value, dict) and "class_name" in value:
        getter(value)
    elif isinstance(value, dict):
        for item in value.values():
            _resolve(item, getter, special)
    elif isinstance(value, list):
        for item in value:
            _resolve(item, getter, special)


def _items(value):
    if isinstance(value, dict) and "class_name" not in value:
        return [i for v in value.values() for i in _items(v)]
    if isinstance(value, list):
        return [i for v in value for i in _items(v)]
    return [] if value is None else [value]


def _check_compile(training, path, key, renames):
    """Losses, metrics and the optimizer of a training config, resolved in Keras 3
    now (an unknown name would otherwise fail only at the first fit)."""
    with keras.saving.custom_object_scope(renames.objects()):
        for name, getter, special, kind in (
            ("loss", keras.losses.get, _RESOLVED_BY_COMPILE["loss"], "loss"),
            ("metrics", keras.metrics.get, _RESOLVED_BY_COMPILE["metrics"], "metric"),
            ("weighted_metrics", keras.metrics.get, _RESOLVED_BY_COMPILE["metrics"], "metric"),
        ):
            for item in _items(training.get(name)):
                try:
                    _resolve(item, getter, special)
                except Exception as e:  # noqa: BLE001 - Keras raises ValueError or TypeError
                    label = item.get("class_name") if isinstance(item, dict) else item
                    raise fail(
                        path,
                        f"the {key}'s `{name}` names {label!r}, which is not a Keras 3 {kind} ({cause_line(e, 120)}). "
                        f"{_COMPILE_FALSE}",
                        e,
                    ) from e
        optimizer = training.get("optimizer")
        if optimizer is not None:
            try:
                built = keras.optimizers.get(optimizer)
                if not isinstance(built, keras.optimizers.Optimizer):
                    raise TypeError(f"{short(built)} is not an optimizer")
            except Exception as e:  # noqa: BLE001 - as above
                label = optimizer.get("class_name") if isinstance(optimizer, dict) else optimizer
                raise fail(
                    path,
                    f"the {key}'s optimizer {label!r} does not build in Keras 3 ({cause_line(e, 120)}). {_COMPILE_FALSE}",
                    e,
                ) from e


def _compile_value(value, deserialize):
    if isinstance(value, dict) and "class_name" in value:
        return deserialize(value)
    if isinstance(value, dict):
        return {k: _compile_value(v, deserialize) for k, v in value.items()}
    if isinstance(value, list):
        return [_compile_value(v, deserialize) for v in value]
    return value  # a name such as "mse": model.compile resolves it


def _compile_from_training_config(model, training, path):
    """Compile `model` from a Keras 2 compile config (`.keras`) or training config (`.h5`)."""
    try:
        optimizer = training.get("optimizer")
        model.compile(
            optimizer=keras.optimizers.deserialize(optimizer) if isinstance(optimizer, dict) else (optimizer or "rmsprop"),
            loss=_compile_value(training.get("loss"), keras.losses.deserialize),
            metrics=_compile_value(training.get("metrics"), keras.metrics.deserialize),
            weighted_metrics=_compile_value(training.get("weighted_metrics"), keras.metrics.deserialize),
            **{key: training[key] for key in _COMPILE_OPTIONS if training.get(key) is not None},
        )
        # Built now, so that a migrated file holds the optimizer's variables
        # (fresh) and reloads without Keras's "Skipping variable loading" warning.
        model.optimizer.build(model.trainable_variables)
    except Exception as e:  # noqa: BLE001 - any failure here means the same thing to the user
        raise fail(
            path,
            f"the model loaded but its Keras 2 training configuration does not rebuild in Keras 3 ({cause_line(e)}). "
            "Pass compile=False to load it uncompiled, then call model.compile.",
            e,
        ) from e


# --------------------------------------------------------------------------
# Loading and migrating


def _layers_by_name(model):
    found, stack = {}, [model]
    while stack:
        layer = stack.pop()
        found.setdefault(layer.name, layer)
        stack.extend(getattr(layer, "layers", None) or ())
    return found


def non_finite_layers(model):
    """[(layer name, class name, {weight: (NaN count, inf count)})] of the
    layers whose weights hold NaN or inf."""
    by_name = _layers_by_name(model)
    bad = {}
    for variable in model.weights:
        values = np.asarray(keras.ops.convert_to_numpy(variable.value))
        if values.dtype.kind != "f" or np.all(np.isfinite(values)):
            continue
        parts = variable.path.split("/")
        layer = parts[-2] if len(parts) > 1 else model.name
        bad.setdefault(layer, {})[variable.name] = (int(np.isnan(values).sum()), int(np.isinf(values).sum()))
    return [
        (layer, type(by_name[layer]).__name__ if layer in by_name else "unknown class", counts)
        for layer, counts in bad.items()
    ]


def warn_non_finite_weights(model, path):
    """Warn once per layer whose weights hold NaN or inf (they load as saved)."""
    found = non_finite_layers(model)
    for layer, class_name, counts in found:
        warn_non_finite(path, layer, class_name, counts)
    return found


def load(path, renames, gelu_approximate, load_kwargs):
    """(model, rows) for the Keras 2 file `path`; see keras_act.compat.tfa.load_model."""
    if not isinstance(gelu_approximate, bool):
        raise ValueError(f"gelu_approximate must be True or False. Received: gelu_approximate={gelu_approximate!r}.")
    path = os.fspath(path)
    compile_model = load_kwargs.get("compile", True)
    user_objects = load_kwargs.pop("custom_objects", None) or {}
    with tempfile.TemporaryDirectory(prefix="keras_act_tfa_") as workdir:
        tmp, rows, training = _rewritten(path, renames, gelu_approximate, compile_model, workdir)
        # Compiled below from the file's Keras 2 configuration, not by Keras.
        load_kwargs["compile"] = False
        try:
            model = keras.saving.load_model(tmp, custom_objects={**renames.objects(), **user_objects}, **load_kwargs)
        except Exception as e:  # noqa: BLE001 - translated: Keras's own errors do not name the user's file
            raise fail(path, explain(e, {tmp: path, workdir: os.path.dirname(path) or "."}), e) from e
    warn_non_finite_weights(model, path)
    if training is not None:
        _compile_from_training_config(model, training, path)
    return model, rows


def migrate(src, dst, renames, gelu_approximate, load_kwargs):
    """Rows of what `load` mapped; the model saved to `dst`, which appears
    only once complete. See keras_act.compat.tfa.migrate."""
    src, dst = os.fspath(src), os.fspath(dst)
    if not dst.endswith(".keras"):
        raise MigrationError(f"The migrated model is saved in the .keras format, so its name must end in .keras. Received: {dst}")
    if os.path.lexists(dst):
        same = os.path.exists(src) and os.path.exists(dst) and os.path.samefile(src, dst)
        raise MigrationError(
            f"{dst} is the input file; choose a new name." if same else f"{dst} already exists; choose a new name or remove it."
        )
    parent = os.path.dirname(os.path.abspath(dst))
    if not os.path.isdir(parent):
        raise MigrationError(f"The directory of the migrated model does not exist: {parent}. Received: {dst}")
    model, rows = load(src, renames, gelu_approximate, load_kwargs)
    temporary = os.path.join(parent, f".{os.path.basename(dst)}.{os.getpid()}.tmp.keras")
    try:
        model.save(temporary)
        if os.path.lexists(dst):
            raise MigrationError(f"{dst} appeared while the model was migrated; choose a new name or remove it.")
        os.replace(temporary, dst)
    except MigrationError:
        raise
    except Exception as e:  # noqa: BLE001 - the model loaded but does not save
        raise fail(src, f"the model loaded but could not be saved to {dst} ({type(e).__name__}: {cause_line(e)}).", e) from e
    finally:
        if os.path.lexists(temporary):
            os.remove(temporary)
    return rows
