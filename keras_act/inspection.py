"""What a saved `.keras` model uses, and whether it loads: `inspect_model`.

`inspect_model(path)` reads the model's config.json (refusing one larger
than `MAX_CONFIG_BYTES` before reading it), lists every layer that applies
an activation or comes from keras_act, marks the keras_act ids and layers
that this keras_act does not have, and tries `keras.saving.load_model` with
`safe_mode=True`. A model that does not load is reported by its root
cause, in one line (`Could not locate function 'keras_act>tanhh_custom'.
Did you mean 'tanh_custom'?`), not by Keras's chain of wrapped errors.
`keras-act inspect MODEL.keras` prints the same.

A file it cannot read as a `.keras` model (missing, not a regular file, not
a zip archive, damaged, a zip trick, config.json too large, not JSON or
nested too deeply) raises a `MigrationError` (a ValueError) whose first
line names the file and what is wrong, as `keras_act.compat.tfa.load_model`
does; a config that would make Keras build something absurd (a Dense of
2**40 units, a NaN alpha) is reported as not loading, naming the layer,
without Keras being asked to build it.

Reading a config imports no Keras (the command line checks a file before
importing it), so Keras, the layers and the Keras 2 reader are imported
inside the functions that load a model.
"""

import dataclasses
import json
import os
import re
import zipfile
from typing import List, Optional, Tuple

from keras_act import _suggest
from keras_act.compat import _config, _files
from keras_act.compat._errors import MigrationError, MissingFileError, explain
from keras_act.registry import list_activations

# A .keras config.json holds the architecture only (weights are separate):
# a few hundred KB even for large functional models.
MAX_CONFIG_BYTES = _files.MAX_CONFIG_BYTES

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_NOT_LOCATED = re.compile(r"Could not locate (function|class) '([^']+)'")
_MAX_ERROR_CHARS = 300


@dataclasses.dataclass(frozen=True)
class ActivationUse:
    """One layer of a saved model that applies an activation.

    Attributes:
        layer: the layer's name.
        class_name: the layer's class (`"Dense"`, `"PReLU"`).
        activation: the activation's name: a keras_act id, a Keras
            built-in's name or a keras_act layer class.
        source: `"keras_act"`, `"keras_act layer"` or `"keras"`.
        known: whether this keras_act (or Keras) has it.
    """

    layer: str
    class_name: str
    activation: str
    source: str
    known: bool = True


@dataclasses.dataclass(frozen=True)
class ModelInspection:
    """What `inspect_model` found; shows as a table in a notebook.

    Attributes:
        path: the model file.
        uses: one `ActivationUse` per layer and activation.
        keras_act_ids: the keras_act ids the model uses, sorted.
        keras_act_layers: the keras_act layer classes it uses, sorted.
        unknown: the ids and layer classes this keras_act does not have.
        error: `None` if the model loads, else the root cause in one line.
        non_finite: the layers whose loaded weights hold NaN or inf, as
            `"'name' (Class)"`.
    """

    path: str
    uses: Tuple[ActivationUse, ...]
    keras_act_ids: Tuple[str, ...]
    keras_act_layers: Tuple[str, ...]
    unknown: Tuple[str, ...]
    error: Optional[str]
    non_finite: Tuple[str, ...] = ()

    @property
    def loads(self) -> bool:
        """Whether `keras.saving.load_model` (safe_mode=True) succeeded."""
        return self.error is None

    def table(self) -> str:
        """The uses as a plain-text table."""
        if not self.uses:
            return "no activations found"
        rows = [
            (u.layer, u.class_name, u.activation, u.source + ("" if u.known else "  UNKNOWN")) for u in self.uses
        ]
        return text_table(("layer", "class", "activation", "from"), rows)

    def __str__(self) -> str:
        lines = [
            self.table(),
            f"keras_act ids: {', '.join(self.keras_act_ids) or 'none'}",
            f"keras_act layers: {', '.join(self.keras_act_layers) or 'none'}",
        ]
        if self.unknown:
            lines.append(f"unknown to this keras_act: {', '.join(self.unknown)}")
        if self.loads:
            lines.append("loads: yes (with keras_act imported, safe_mode=True)")
        else:
            lines.append(f"loads: no: {self.error}")
        if self.non_finite:
            lines.append(f"non-finite weights (NaN or inf) in: {', '.join(self.non_finite)}")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return "```\n" + str(self) + "\n```"


def text_table(header, rows):
    """Plain-text columns, as the reports print them (`ModelInspection`,
    `SwapReport`)."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def read_config(path: str, max_bytes: int = MAX_CONFIG_BYTES) -> dict:
    """The parsed config.json of a `.keras` archive.

    The size the archive declares is checked before anything is read, and
    at most `max_bytes` are read whatever it declares. What is not a regular
    file (a FIFO, a device) is refused without being opened.

    Raises:
        FileNotFoundError: if `path` does not exist (also a MigrationError).
        MigrationError: a ValueError naming the file and what is wrong: not
            a regular file, not a .keras archive, damaged, a member an
            archive written by Keras never has, a config.json larger than
            `max_bytes`, not JSON, or nested deeper than any model's.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise MissingFileError(f"no such file: {path}")
    f, kind = _files.open_model_file(path)
    with f:
        if kind != ".keras":
            raise MigrationError(f"{path} is not a .keras model (a zip archive with config.json): it is an HDF5 file.")
        try:
            archive = zipfile.ZipFile(f)
        except Exception as e:  # noqa: BLE001 - zipfile's BadZipFile, NotImplementedError, ...
            raise _files.damaged(path, e) from e
        with archive:
            _files.check_archive(archive, path)
            if "config.json" not in archive.namelist():
                raise MigrationError(f"{path} is not a .keras model (no config.json inside).")
            data = _files.read_member(archive, "config.json", path, max_bytes)
    config = _files.parse_json(data, path, "config.json")
    if not isinstance(config, dict):
        raise MigrationError(
            f"{path}: config.json is a JSON {type(config).__name__}, not the object that describes a Keras model."
        )
    return config


def _walk_layers(node, found):
    if isinstance(node, dict):
        config = node.get("config")
        if "class_name" in node and isinstance(config, dict) and "name" in config:
            found.append(node)
        for value in node.values():
            _walk_layers(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk_layers(value, found)


def _known_ids():
    return list_activations()


def _keras_act_layer_classes():
    from keras_act import layers

    return {name: getattr(layers, name) for name in getattr(layers, "__all__", [])}


def _activation_name(value):
    """`(name, source)` of a serialized activation, or `(None, None)`."""
    if isinstance(value, str):
        name = value
    elif isinstance(value, dict) and isinstance(value.get("config"), dict):
        # An activation layer given as activation=: Dense(activation=keras_act.layers.ELU()).
        registered = value.get("registered_name")
        registered = registered if isinstance(registered, str) else ""
        return str(value.get("class_name")), "keras_act layer" if registered.startswith("keras_act>") else "keras"
    elif isinstance(value, dict):
        name = value.get("registered_name") if value.get("registered_name") not in (None, "function") else None
        name = name or value.get("config")
        if not isinstance(name, str):
            return json.dumps(value)[:80], "keras"
    else:
        return None, None
    if name.startswith("keras_act>"):
        return name.split(">", 1)[1], "keras_act"
    if name in _known_ids():
        return name, "keras_act"
    return name, "keras"


def _is_keras_builtin(name):
    import keras

    try:
        keras.activations.get(name)
    except Exception:  # noqa: BLE001 - whatever Keras raises for a name it does not have
        return False
    return True


def root_cause(error: BaseException) -> str:
    """The innermost cause of a loading error, as one short line.

    Keras wraps a missing function or class in several errors that each
    repeat the whole config; the innermost one names what is missing.
    A keras_act id or layer it cannot find gets a "Did you mean".
    """
    seen, inner = set(), error
    while True:
        nxt = inner.__cause__ or inner.__context__
        if nxt is None or id(nxt) in seen:
            break
        seen.add(id(inner))
        inner = nxt
    text = _ANSI.sub("", f"{error}\n{inner}")
    match = _NOT_LOCATED.search(text)
    if match:
        kind, name = match.groups()
        hint = ""
        if name.startswith("keras_act>") or kind == "class":
            short = name.split(">", 1)[-1]
            candidates = _known_ids() if kind == "function" else list(_keras_act_layer_classes())
            hint = _suggest.did_you_mean(short, candidates, suffix="_custom" if kind == "function" else "")
        return f"Could not locate {kind} '{name}'.{hint}"
    message = " ".join(_ANSI.sub("", str(inner)).split())
    if len(message) > _MAX_ERROR_CHARS:
        message = message[: _MAX_ERROR_CHARS - 3] + "..."
    return f"{type(inner).__name__}: {message}"


def inspect_model(path: str, load: bool = True) -> ModelInspection:
    """What a saved `.keras` model uses, and whether it loads.

    Use it on a model file from elsewhere before relying on it: it names every
    activation and layer the model's config uses, which of them no imported
    package provides, and the error a load raises.

    Args:
        path: a `.keras` file.
        load: whether to try `keras.saving.load_model` (with
            `safe_mode=True`). Defaults to `True`.

    Returns:
        A `ModelInspection`: `print()` it for the table, or read `uses`,
        `keras_act_ids`, `keras_act_layers`, `unknown` and `error`.

    Raises:
        FileNotFoundError: if `path` does not exist (also a MigrationError).
        MigrationError: a ValueError naming the file and what is wrong, if
            it cannot be read as a `.keras` archive (see `read_config`). A
            file that reads but would not load (a layer of 2**40 units, a
            NaN hyperparameter, damaged weights, an unknown class) is
            reported in `error`, naming the layer, and Keras is not asked to
            build what the checks refuse.

    Example:

    >>> import os, tempfile, keras, keras_act
    >>> path = os.path.join(tempfile.mkdtemp(), "m.keras")
    >>> keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="selu_custom", name="d")]).save(path)
    >>> found = keras_act.inspect_model(path)
    >>> found.keras_act_ids, found.loads
    (('selu_custom',), True)
    >>> print(found.table())
    layer  class  activation   from
    -----  -----  -----------  ---------
    d      Dense  selu_custom  keras_act
    """
    path = os.fspath(path)
    config = read_config(path)
    found = []
    _walk_layers(config, found)
    known_ids = set(_known_ids())
    layer_classes = _keras_act_layer_classes()
    uses: List[ActivationUse] = []
    unknown_names, used_layers = set(), set()
    for node in found:
        cfg = node["config"]
        cls = str(node["class_name"])
        registered = node.get("registered_name")
        registered = registered if isinstance(registered, str) else ""
        from_keras_act = registered.startswith("keras_act>") or str(node.get("module", "")).startswith("keras_act")
        for key in ("activation", "recurrent_activation"):
            if key in cfg:
                name, source = _activation_name(cfg[key])
                if name is None or name == "linear":
                    continue
                if source == "keras_act":
                    known = name in known_ids
                elif source == "keras_act layer":
                    known = name in layer_classes
                else:
                    known = _is_keras_builtin(name)
                if not known:
                    unknown_names.add(name)
                label = name + ("" if key == "activation" else f" ({key})")
                uses.append(ActivationUse(str(cfg["name"]), cls, label, source, known))
        if from_keras_act:
            known = cls in layer_classes
            if known:
                used_layers.add(cls)
            else:
                unknown_names.add(cls)
            activation_id = getattr(layer_classes.get(cls), "activation_id", None)
            uses.append(
                ActivationUse(str(cfg["name"]), cls, activation_id or "(no record)", "keras_act layer", known)
            )
    keras_act_ids = sorted({u.activation for u in uses if u.source == "keras_act" and u.known})
    keras_act_layers = sorted(used_layers)
    unknown = sorted(unknown_names)
    error = _refused(config, path)
    non_finite = ()
    if load and error is None:
        import keras

        from keras_act.compat import _keras2

        try:
            model = keras.saving.load_model(path, safe_mode=True)
        except Exception as e:  # noqa: BLE001 - reported, not raised
            error = _load_error(e, path)
        else:
            non_finite = tuple(f"'{layer}' ({cls})" for layer, cls, _ in _keras2.non_finite_layers(model))
    return ModelInspection(
        path=path,
        uses=tuple(uses),
        keras_act_ids=tuple(keras_act_ids),
        keras_act_layers=tuple(keras_act_layers),
        unknown=tuple(unknown),
        error=error,
        non_finite=non_finite,
    )


def load_checked(path: str):
    """`keras.saving.load_model(path, safe_mode=True)` behind the checks
    `inspect_model` makes: what would not load, or would make Keras build
    something absurd, raises a `MigrationError` whose first line names the
    file and what is wrong with it (what `keras-act swap` reads IN with)."""
    error = _refused(read_config(path), path)
    if error is None:
        import keras

        try:
            return keras.saving.load_model(path, safe_mode=True)
        except Exception as e:  # noqa: BLE001 - translated into one line
            raise MigrationError(f"{path}: {_load_error(e, path)}") from e
    raise MigrationError(f"{path}: {error}")


def _without_path(message, path):
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def _refused(config, path):
    """Why Keras must not be asked to build this config, in one line, or None."""
    try:
        _config.check_model(config, path, "config.json")
        f, _ = _files.open_model_file(path)
        with f, zipfile.ZipFile(f) as archive:
            _files.check_weights_member(archive, path, open_h5=True)
    except MigrationError as e:
        return _without_path(str(e), path)
    addons = sorted({name for name in _strings(config) if name.startswith("Addons>")})
    keras2 = str(config.get("module", "")).startswith(("keras.src.engine", "keras.engine"))
    if addons or keras2:
        what = f"TensorFlow Addons objects ({', '.join(addons[:3])}{', ...' if len(addons) > 3 else ''})" if addons else (
            f"Keras 2's module {config['module']}, which Keras 3 does not have"
        )
        return (
            f"written by tf.keras 2.x: it uses {what}. Convert it with `keras-act migrate {path} NEW.keras` "
            "(keras_act.compat.tfa.migrate), then inspect NEW.keras."
        )
    return None


def _strings(node):
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str):
            yield node


def _load_error(error, path):
    """A load failure in one line: a missing object with a "Did you mean",
    otherwise what Keras's error means (keras_act.compat._errors.explain)."""
    line = root_cause(error)
    if line.startswith("Could not locate"):
        return line
    return _without_path(explain(error), path)
