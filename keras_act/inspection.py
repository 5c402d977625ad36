"""What a saved `.keras` model uses, and whether it loads: `inspect_model`.

`inspect_model(path)` reads the model's config.json (refusing one larger
than `MAX_CONFIG_BYTES` before reading it), lists every layer that applies
an activation or comes from keras_act, marks the keras_act ids and layers
that this keras_act does not have, and tries `keras.saving.load_model` with
`safe_mode=True`. A model that does not load is reported by its root
cause, in one line (`Could not locate function 'keras_act>tanhh_custom'.
Did you mean 'tanh_custom'?`), not by Keras's chain of wrapped errors.
`keras-act inspect MODEL.keras` prints the same.
"""

import dataclasses
import json
import os
import re
import zipfile
from typing import List, Optional, Tuple

from keras_act import _suggest

# A .keras config.json holds the architecture only (weights are separate):
# a few hundred KB even for large functional models.
MAX_CONFIG_BYTES = 16 * 1024 * 1024

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
    """

    path: str
    uses: Tuple[ActivationUse, ...]
    keras_act_ids: Tuple[str, ...]
    keras_act_layers: Tuple[str, ...]
    unknown: Tuple[str, ...]
    error: Optional[str]

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
        return _text_table(("layer", "class", "activation", "from"), rows)

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
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return "```\n" + str(self) + "\n```"


def _text_table(header, rows):
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def read_config(path: str, max_bytes: int = MAX_CONFIG_BYTES) -> dict:
    """The parsed config.json of a `.keras` archive.

    The size the archive declares is checked before anything is read, and
    at most `max_bytes` are read whatever it declares.

    Raises:
        FileNotFoundError: if `path` does not exist.
        ValueError: if it is not a .keras archive, or its config.json is
            larger than `max_bytes` or not JSON.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such file: {path}")
    if not zipfile.is_zipfile(path):
        raise ValueError(f"not a .keras model (a zip archive with config.json): {path}")
    with zipfile.ZipFile(path) as archive:
        try:
            entry = archive.getinfo("config.json")
        except KeyError:
            raise ValueError(f"not a .keras model (no config.json inside): {path}") from None
        too_big = (
            f"config.json in {path} is larger than {max_bytes // (1024 * 1024)} MiB "
            f"(a model's config is normally well under 1 MiB); not reading it."
        )
        if entry.file_size > max_bytes:
            raise ValueError(too_big)
        with archive.open(entry) as f:
            data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(too_big)
    try:
        return json.loads(data)
    except ValueError as e:
        raise ValueError(f"config.json in {path} is not valid JSON: {e}") from None


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
    from keras_act.registry import list_activations

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
        registered = value.get("registered_name") or ""
        return value.get("class_name"), "keras_act layer" if registered.startswith("keras_act>") else "keras"
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
    except (ValueError, TypeError):
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
        FileNotFoundError: if `path` does not exist.
        ValueError: if it is not a .keras archive or its config.json is
            too large (see `read_config`).

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
        registered = node.get("registered_name") or ""
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
    error = None
    if load:
        import keras

        try:
            keras.saving.load_model(path, safe_mode=True)
        except Exception as e:  # noqa: BLE001 - reported, not raised
            error = root_cause(e)
    return ModelInspection(
        path=path,
        uses=tuple(uses),
        keras_act_ids=tuple(keras_act_ids),
        keras_act_layers=tuple(keras_act_layers),
        unknown=tuple(unknown),
        error=error,
    )
