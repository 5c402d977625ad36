"""The one place keras_act touches Keras internals.

It meets Keras when Keras is imported (`when_keras_is_imported`): then
`install` registers every record and layer and the hooks below, so that
`import keras_act` itself imports no Keras (the command line's `list` and
`info` read the records without it). Three contacts: the string table (below), `keras.Model.export`, which
keras_act wraps so that an export traces the forms the format converts to
builtin ops (`install_export_hook`), and the `_keras_logits` attribute
Keras's crossentropy losses read on TensorFlow (`attach_logits`).

Keras 3 resolves `activation="name"` strings only from its private table
`keras.src.activations.ALL_OBJECTS_DICT`; registered custom objects are
ignored for strings (keras-team/keras#20333). This module adds keras_act's
ids to that table, refuses to overwrite any entry already there (naming a
Keras built-in as such, and another package's entry by its module), and checks
at import that `keras.activations.get` really resolves through it, so a
future Keras that moves the table fails here, loudly, not in a user's model.
"""

import functools
import importlib.abc
import importlib.util
import inspect
import sys

from keras_act._lazy import keras

PACKAGE = "keras_act"

_MOVED = (
    "keras_act cannot make string activations like activation='selu_custom' "
    "work with Keras {version}: {problem}. Pass the function instead "
    "(activation=keras_act.get('selu_custom')) and report this at keras_act's "
    "issue tracker with your Keras version."
)


def _table():
    try:
        from keras.src import activations as keras_activations
    except ImportError as e:  # pragma: no cover - depends on a future Keras
        raise ImportError(
            _MOVED.format(version=keras.__version__, problem=f"keras.src.activations is gone ({e})")
        ) from e
    table = getattr(keras_activations, "ALL_OBJECTS_DICT", None)
    if not isinstance(table, dict):
        raise ImportError(
            _MOVED.format(
                version=keras.__version__,
                problem="keras.src.activations.ALL_OBJECTS_DICT is missing or not a dict",
            )
        )
    return table


def builtin_names():
    """The string ids Keras itself resolves (never to be shadowed)."""
    return frozenset(_table())


def _is_keras_builtin(obj):
    module = getattr(obj, "__module__", None) or ""
    return module == "keras" or module.startswith("keras.")


def _same_definition(existing, fn):
    # The same `def` executed again: a re-import of keras_act after its
    # modules were dropped from sys.modules, or a reloaded submodule.
    code, new_code = getattr(existing, "__code__", None), getattr(fn, "__code__", None)
    return (
        code is not None
        and new_code is not None
        and getattr(existing, "__module__", None) == getattr(fn, "__module__", None)
        and code.co_name == new_code.co_name
    )


def _conflict(name, existing):
    if _is_keras_builtin(existing):
        return ValueError(
            f"keras_act refuses to register the string id {name!r}: it is a Keras built-in "
            f"({existing!r}), and shadowing a built-in would silently change models that use it. "
            f"Received: name={name!r}. Choose another id."
        )
    module = getattr(existing, "__module__", None) or ""
    if module == "keras_act" or module.startswith("keras_act."):
        return ValueError(
            f"keras_act refuses to move the string id {name!r}: it already resolves to {existing!r}. "
            f"Received: name={name!r}. A registered id is forever; choose another id."
        )
    return ValueError(
        f"keras_act refuses to register the string id {name!r}: Keras's activation table already resolves "
        f"it to {existing!r} from module {module!r}, put there by another package (not a Keras built-in), "
        f"and keras_act never replaces another package's entry. Received: name={name!r}. Import keras_act "
        f"in a process without that package, or delete its entry (keras.src.activations.ALL_OBJECTS_DICT"
        f"[{name!r}]) before importing keras_act."
    )


def install_string_ids(functions, table=None):
    """Make each `name -> function` resolvable by `keras.activations.get`.

    All or nothing: on any error the table is left as it was.

    Raises:
        ValueError: if a name is already in the table for another object:
            a Keras built-in (keras_act never shadows one) or another
            package's entry (the message names its module).
        ImportError: if Keras no longer resolves strings through the table.
    """
    table = _table() if table is None else table
    for name, fn in functions.items():
        existing = table.get(name)
        if existing is not None and existing is not fn and not _same_definition(existing, fn):
            raise _conflict(name, existing)
    previous = {name: table[name] for name in functions if name in table}
    for name, fn in functions.items():
        table[name] = fn
    probe_name, probe_fn = next(iter(functions.items()))
    try:
        resolved = keras.activations.get(probe_name)
    except ValueError:
        resolved = None
    if resolved is not probe_fn:
        for name in functions:
            if name in previous:
                table[name] = previous[name]
            else:
                del table[name]
        raise ImportError(
            _MOVED.format(
                version=keras.__version__,
                problem="keras.activations.get no longer reads ALL_OBJECTS_DICT",
            )
        )


def replace_string_id(name, old, new):
    """After a reload: point `name` at `new` if keras_act had installed `old`."""
    table = _table()
    if table.get(name) is old:
        table[name] = new


def forget(package, names):
    """Undo a failed import: drop every registered object that comes from
    `package`'s modules (under any `prefix>name`) and the string ids in
    `names` that point at its functions."""
    from keras.src.saving import object_registration

    def own(obj):
        module = getattr(obj, "__module__", None) or ""
        return module == package or module.startswith(package + ".")

    objects = object_registration.GLOBAL_CUSTOM_OBJECTS
    for key in [k for k, obj in objects.items() if own(obj)]:
        obj = objects.pop(key)
        if object_registration.GLOBAL_CUSTOM_NAMES.get(obj) == key:
            del object_registration.GLOBAL_CUSTOM_NAMES[obj]
    table = _table()
    for name in names:
        if name in table and own(table[name]):
            del table[name]


def install_export_hook(enter):
    """Make `keras.Model.export(filepath, format=...)` trace the model inside
    `enter(format)`, a context manager (keras_act's exporting variant), so
    that exported graphs hold the forms the format converts to builtin ops
    while training keeps the native kernels. Idempotent (a re-import or
    reload wraps once); loud, like the string table, if Keras's export no
    longer takes a `format`.
    """
    original = keras.Model.export
    original = getattr(original, "_keras_act_original", original)
    try:
        parameters = list(inspect.signature(original).parameters)
    except (TypeError, ValueError):
        parameters = []
    if parameters[:3] != ["self", "filepath", "format"]:
        raise ImportError(
            _MOVED.format(
                version=keras.__version__,
                problem=f"keras.Model.export's signature changed (parameters {parameters[:3]})",
            ).replace("string activations like activation='selu_custom' work", "model.export use keras_act's export forms")
        )

    keras.Model.export = export_wrapper(original, enter)


def export_wrapper(original, enter):
    """`original(self, filepath, format, ...)` run inside `enter(format)`."""

    @functools.wraps(original)
    def export(self, filepath, format="tf_saved_model", *args, **kwargs):
        with enter(format):
            return original(self, filepath, format, *args, **kwargs)

    export._keras_act_original = original
    return export


def uninstall_export_hook():
    """Undo `install_export_hook` (a failed import leaves Keras as it was)."""
    original = getattr(keras.Model.export, "_keras_act_original", None)
    if original is not None:
        keras.Model.export = original


_INSTALLED = []


def installed():
    """Whether keras_act has registered its records with Keras in this process."""
    return bool(_INSTALLED)


def register_activation(record, old=None):
    """Register one record's function as `keras_act>name` (and its aliases
    for loading), and, for a reloaded record, point its string ids and
    aliases at the new function."""
    fn = record.fn
    keras.saving.register_keras_serializable(package=PACKAGE, name=record.name)(fn)
    custom_objects = keras.saving.get_custom_objects()
    if old is not None:
        for id_ in (record.name, *old.aliases):
            replace_string_id(id_, old.fn, fn)
    for alias in record.aliases:
        # Loading a model that names the alias finds the same function;
        # saving always writes the canonical id.
        custom_objects[f"{PACKAGE}>{alias}"] = fn
    if old is not None:
        install_string_ids({name: fn for name in (record.name, *record.aliases)})


def install(records, aliases, export_context, modules):
    """Meet Keras: register every record and its string id, wrap
    `keras.Model.export`, and import `modules` (the layers, which register
    themselves as their classes are defined). All or nothing: on any error
    keras_act's registrations are undone and the error raised."""
    functions = {**{n: r.fn for n, r in records.items()}, **{a: records[c].fn for a, c in aliases.items()}}
    try:
        for record in records.values():
            register_activation(record)
        install_string_ids(functions)
        # model.export(format="onnx" / "litert") traces keras_act's export forms.
        install_export_hook(export_context)
        _INSTALLED.append(True)
        for module in modules:
            importlib.import_module(module)
    except BaseException:
        del _INSTALLED[:]
        forget(PACKAGE, functions)
        uninstall_export_hook()
        raise


class _AfterImport(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Runs `callback` right after the module `name` is first imported."""

    def __init__(self, name, callback):
        self.name, self.callback, self.loader = name, callback, None

    def find_spec(self, fullname, path, target=None):
        if fullname != self.name or self.loader is not None:
            return None
        sys.meta_path.remove(self)  # one shot: the real finders find it
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        self.loader, spec.loader = spec.loader, self
        return spec

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        module.__spec__.loader = self.loader  # as if imported plainly
        self.loader.exec_module(module)
        self.callback()


def when_keras_is_imported(callback):
    """Run `callback` now if Keras is imported, else right after it is (by
    anyone: the user, a keras_act function's first op, TensorFlow).
    Keras 3 imports its backend at `import keras`, which takes seconds;
    keras_act waits for it instead of importing it."""
    if "keras" in sys.modules:
        callback()
    elif not any(isinstance(f, _AfterImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport("keras", callback))


def attach_logits(output, logits):
    """Mark `output` as the softmax (or sigmoid) of `logits`, as Keras's own do.

    Keras's crossentropy losses on TensorFlow compute from logits when the
    probabilities they get carry them in `_keras_logits`
    (keras/src/backend/tensorflow/nn.py, `_get_logits`): the loss of a
    confident mistake keeps growing and passes a gradient, where clipped
    probabilities saturate at -log(1e-7) with a zero gradient.
    `keras.activations.softmax` and `sigmoid` set the attribute; keras_act's
    outputs come from its own kernels, which Keras would not recognise
    without it. On JAX and PyTorch Keras's losses never read it, so nothing
    is attached there; `logits` may be a callable, evaluated on TensorFlow
    only (softmin's -x costs a pass elsewhere).
    """
    if keras.backend.backend() != "tensorflow":
        return output
    try:
        output._keras_logits = logits() if callable(logits) else logits
    except AttributeError:
        pass
    return output
