"""keras_act activation functions, written with `keras.ops`.

Each public function is the activation of the string id of the same name
(`selu_custom` is `"selu_custom"`); importing this package records all of
them. The exports are derived, never listed by hand: every family module of
this package (a file not starting with `_`) is imported, and its public
functions (names without a leading `_`, defined in that module) are
exported, with each record's aliases (`swish_custom`). Adding an id to a
family module adds it here.
"""

import importlib
import inspect
import pkgutil

from keras_act._record import ALIASES as _ALIASES
from keras_act._record import RECORDS as _RECORDS


def _family_modules():
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
        if not info.name.startswith("_")
    ]


def _public_functions(module):
    return {
        name: value
        for name, value in vars(module).items()
        if not name.startswith("_") and inspect.isfunction(value) and value.__module__ == module.__name__
    }


_exports = {}
for _module in _family_modules():
    _exports.update(_public_functions(_module))
# A record's function is exported under its id (the decorator renames it).
_exports.update({name: record.fn for name, record in _RECORDS.items()})
_exports.update({alias: _RECORDS[name].fn for alias, name in _ALIASES.items()})
globals().update(_exports)

__all__ = sorted(_exports)
