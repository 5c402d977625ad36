"""The one place keras_act touches Keras internals.

Keras 3 resolves `activation="name"` strings only from its private table
`keras.src.activations.ALL_OBJECTS_DICT`; registered custom objects are
ignored for strings (keras-team/keras#20333). This module adds keras_act's
ids to that table, refuses to overwrite any entry already there, and checks
at import that `keras.activations.get` really resolves through it, so a
future Keras that moves the table fails here, loudly, not in a user's model.
"""

import keras

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


def install_string_ids(functions, table=None):
    """Make each `name -> function` resolvable by `keras.activations.get`.

    Raises:
        ValueError: if a name is already in the table for another object,
            above all a Keras built-in: keras_act never shadows one.
        ImportError: if Keras no longer resolves strings through the table.
    """
    table = _table() if table is None else table
    for name, fn in functions.items():
        existing = table.get(name)
        if existing is not None and existing is not fn:
            raise ValueError(
                f"keras_act refuses to register the string id {name!r}: Keras "
                f"already resolves it to {existing!r}, and shadowing a built-in "
                "would silently change models that use it. Choose another id."
            )
    for name, fn in functions.items():
        table[name] = fn
    probe_name, probe_fn = next(iter(functions.items()))
    try:
        resolved = keras.activations.get(probe_name)
    except ValueError:
        resolved = None
    if resolved is not probe_fn:
        raise ImportError(
            _MOVED.format(
                version=keras.__version__,
                problem="keras.activations.get no longer reads ALL_OBJECTS_DICT",
            )
        )
