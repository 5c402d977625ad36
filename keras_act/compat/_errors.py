"""What goes wrong reading a model file, in a user's words.

`MigrationError` is the one error of keras_act's readers of model files
(`keras_act.compat.tfa.load_model` and `migrate`, `keras_act.inspect_model`,
`keras-act migrate` and `inspect`). Its first line names the file, the object
in it (a layer and its class, a config key, an archive member) and what is
wrong with it, as Keras words its own errors: what was expected, then
"Received: name=value.", then how to fix it. `explain` turns what Keras's
loader raises underneath into such a line.

Imports neither Keras nor TensorFlow (`keras-act inspect` checks a file
before it imports them).
"""

import re
import warnings

__all__ = ["MigrationError", "MissingFileError", "NonFiniteWeightsWarning", "cause_line", "explain", "fail", "short", "warn_non_finite"]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_MAX_CAUSE = 200


class MigrationError(ValueError):
    """A model file keras_act cannot read, check or load (a ValueError).

    The first line names the file, the object in it (a layer and its
    class, a config key, an archive member) and what is wrong with it; an
    error raised underneath (by h5py, zipfile, json or Keras) is chained as
    the cause.
    """


# Its public home, where it lived before the Keras 2 migration had a module of its own.
MigrationError.__module__ = "keras_act.compat.tfa"


class MissingFileError(MigrationError, FileNotFoundError):
    """A model file that does not exist: a MigrationError and a FileNotFoundError."""


class NonFiniteWeightsWarning(UserWarning):
    """A loaded model holds NaN or infinite weights: it will compute NaN or inf."""


NonFiniteWeightsWarning.__module__ = "keras_act.compat.tfa"


def short(value, limit=80):
    """`repr(value)`, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def fail(path, message, cause=None):
    """A MigrationError whose message starts with `path`."""
    error = MigrationError(f"{path}: {message}" if not message.startswith(str(path)) else message)
    error.__cause__ = cause
    return error


def _one_line(text):
    return " ".join(_ANSI.sub("", str(text)).split())


def cause_line(error, limit=_MAX_CAUSE):
    """`error`'s first line, or its type when it has no message."""
    text = _ANSI.sub("", str(error)).strip()
    line = text.splitlines()[0].strip() if text else type(error).__name__
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _chain(error):
    seen, out = set(), []
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        out.append(error)
        error = error.__cause__ or error.__context__
    return out


# Keras's deserialization wraps an error in messages that repeat the config;
# the innermost object and the original error are what the user needs.
_OBJECT = re.compile(r"'class_name': '([^']+)', 'config': \{'name': '([^']+)'")
_CLASS_USING = re.compile(r"Error when deserializing class '([^']+)' using config=\{'name': '([^']+)'")
_ENCOUNTERED = "Exception encountered:"
_NOT_LOCATED = re.compile(r"Could not locate (function|class) '([^']+)'")
_UNKNOWN_CLASS = re.compile(
    r"Unknown (?:layer|object type): '([^']+)'|Could not deserialize '(?:[\w.]+\.)?([^'.]+)' because it is not a KerasSaveable"
)
_NO_OBJECT = re.compile(r"object '([^']+)' doesn't exist")
_LAYER_VARIABLES = re.compile(r"Layer '([^']+)' expected (\d+) variables?, but received (\d+) variables?")
_SHAPE_MISMATCH = re.compile(r"[Ss]hape mismatch in layer #\d+ \(named ([^)]+)\)\s*for weight ([^.]+)\. (.*)")
_WEIGHT_COUNT = re.compile(r"Weight count mismatch for layer #\d+ \(named ([^ ]+) in the current model")
_INCOMPATIBLE = re.compile(r"Input \d+ (?:with name '[^']*' )?of layer '([^']+)' is incompatible with the layer: (.*)")


def _in_traceback(error):
    """(class, name) of the innermost layer being built or deserialized when
    `error` was raised, read from the frames of its traceback: a layer's own
    method (`self`), or Keras's deserializer (`config`)."""
    found = None
    for e in _chain(error):
        tb = e.__traceback__
        while tb is not None:
            local = tb.tb_frame.f_locals
            obj, config = local.get("self"), local.get("config")
            if obj is not None and any(c.__name__ == "Layer" for c in type(obj).__mro__):
                if not any(c.__name__ in ("Model", "Functional", "Sequential") for c in type(obj).__mro__):
                    name = getattr(obj, "name", None)
                    if isinstance(name, str):
                        found = (type(obj).__name__, name)
            elif isinstance(config, dict) and isinstance(config.get("class_name"), str):
                inner = config.get("config")
                if isinstance(inner, dict) and isinstance(inner.get("name"), str):
                    if config["class_name"] not in ("Functional", "Sequential", "Model"):
                        found = (config["class_name"], inner["name"])
            tb = tb.tb_next
    return found


def _innermost_object(text):
    """(class, name) of the innermost layer a deserialization message names."""
    found = None
    for pattern in (_CLASS_USING, _OBJECT):
        for match in pattern.finditer(text):
            if found is None or match.start() > found[0]:
                found = (match.start(), match.group(1), match.group(2))
    return None if found is None else (found[1], found[2])


def explain(error, replace=None):
    """What Keras's loader (or h5py underneath) raised, as one line without the file.

    `replace` maps strings in the message (the temporary copy's path) to
    what the user knows (their file's path).
    """
    chain = _chain(error)
    texts = [_ANSI.sub("", str(e)) for e in chain]
    for old, new in (replace or {}).items():
        texts = [t.replace(old, new) for t in texts]
    everything = "\n".join(texts)
    innermost = chain[-1]
    inner_text = texts[-1]
    names = {type(e).__name__ for e in chain}

    if "ResourceExhaustedError" in names or any(isinstance(e, MemoryError) for e in chain) or "OOM when allocating" in everything:
        return (
            "building the model ran out of memory: a layer in its config is larger than this machine holds "
            "(a damaged or edited size?). Check the sizes (units, filters, shapes) in the file's config."
        )
    match = _UNKNOWN_CLASS.search(everything) or _NOT_LOCATED.search(everything)
    if match:
        kind, name = ("class", match.group(1) or match.group(2)) if match.re is _UNKNOWN_CLASS else match.groups()
        obj = _in_traceback(error) or _innermost_object(everything[match.end() :]) or _innermost_object(everything)
        if obj and kind == "class" and obj[0].split(">")[-1] == name.split(">")[-1]:
            where = f"layer '{obj[1]}' is of class"
        else:
            where = f"layer '{obj[1]}' ({obj[0]}) uses the {kind}" if obj else f"the model uses the {kind}"
        return (
            f"{where} '{name}', which neither Keras nor keras_act has. Import the package that defines it before "
            "loading, or pass it in custom_objects."
        )
    for pattern, words in (
        (_LAYER_VARIABLES, lambda m: f"layer '{m.group(1)}' expected {m.group(2)} weights but the file holds {m.group(3)} for it"),
        (_SHAPE_MISMATCH, lambda m: f"layer '{m.group(1)}' has a weight ({m.group(2).strip()}) of another shape than its config gives: {m.group(3)}"),
        (_WEIGHT_COUNT, lambda m: f"layer '{m.group(1)}' holds another number of weights in the file than its config gives it"),
        (_INCOMPATIBLE, lambda m: f"layer '{m.group(1)}' cannot take the input its config gives it: {m.group(2)}"),
    ):
        match = pattern.search(everything)
        if match:
            return _one_line(words(match)).rstrip(".") + ". The file is damaged or was edited: re-save it from its source."
    if _ENCOUNTERED in everything:
        cause = everything.rsplit(_ENCOUNTERED, 1)[1].strip()
        cause = cause.splitlines()[0].strip() if cause else type(innermost).__name__
        obj = _in_traceback(error) or _innermost_object(everything.rsplit(_ENCOUNTERED, 1)[0])
        where = f"layer '{obj[1]}' ({obj[0]})" if obj else "the model"
        return f"Keras could not build {where}: {_cut(cause)}"
    match = _NO_OBJECT.search(everything)
    if match:
        return (
            f"the file has no '{match.group(1)}' where Keras reads the weights (damaged, or not the weights of "
            "this model). Re-save it from its source."
        )
    if isinstance(innermost, OSError) and "Unable to" in inner_text:
        return f"its weights cannot be read ({cause_line(innermost)}): the file is damaged or truncated."
    obj = _in_traceback(error) or _innermost_object(everything)
    where = f"layer '{obj[1]}' ({obj[0]})" if obj else "the model"
    return f"Keras could not load {where}: {type(innermost).__name__}: {_cut(_one_line(inner_text))}"


def _cut(text, limit=_MAX_CAUSE):
    text = _one_line(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def warn_non_finite(path, layer, class_name, counts):
    """Warn that `layer` holds non-finite weights (`counts`: {weight: (nan, inf)})."""
    parts = ", ".join(
        f"{name}: {' and '.join(p for p in (f'{nan} NaN' if nan else '', f'{inf} inf' if inf else '') if p)}"
        for name, (nan, inf) in counts.items()
    )
    warnings.warn(
        f"{path}: layer '{layer}' ({class_name}) holds non-finite weights ({parts}); the model computes NaN or "
        "inf wherever they reach. They are loaded as saved: restore that layer's weights from a good copy, "
        "or retrain it.",
        NonFiniteWeightsWarning,
        stacklevel=4,
    )
