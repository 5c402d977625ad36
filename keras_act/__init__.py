"""keras_act: activation functions for Keras 3, registered and serializable.

Importing keras_act registers every activation, so that

    keras.layers.Dense(64, activation="selu_custom")

works, and a saved model that uses one reloads once keras_act is imported.

Registration waits for Keras: `import keras_act` itself imports no Keras
(Keras imports its backend, seconds of TensorFlow, and the command line's
`list` and `info` need only the records); keras_act registers its ids and
layers the moment Keras is imported, at once if it already is. The layers,
diagnostics and tools are imported on first use (PEP 562).
"""

import importlib

__version__ = "0.1.0"

from keras_act import _keras_internals
from keras_act import activations
from keras_act._kernels import exporting
from keras_act._record import ALIASES as _ALIASES
from keras_act._record import RECORDS as _RECORDS
from keras_act.registry import check_registrations, derivative, get, info, list_activations, record

# name -> (module, attribute or None for the module itself), imported on first use.
_LAZY = {
    "layers": ("keras_act.layers", None),
    "diagnostics": ("keras_act.diagnostics", None),
    "plot": ("keras_act.plot", None),
    "experiments": ("keras_act.experiments", None),
    "inspection": ("keras_act.inspection", None),
    "compare": ("keras_act.experiments", "compare"),
    "inspect_model": ("keras_act.inspection", "inspect_model"),
    "swap_activations": ("keras_act.swap", "swap_activations"),
    "SwapReport": ("keras_act.swap", "SwapReport"),
}


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'keras_act' has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


def _meet_keras():
    # The layers register themselves as their classes are defined.
    _keras_internals.install(_RECORDS, _ALIASES, exporting, modules=["keras_act.layers"])


try:
    _keras_internals.when_keras_is_imported(_meet_keras)
except BaseException:
    # Leave no half-imported keras_act behind: a fixed environment (or a
    # retry) then imports it afresh instead of finding stale modules.
    # Python itself drops `keras_act` from sys.modules.
    import sys as _sys

    for _name in [m for m in _sys.modules if m.startswith("keras_act.")]:
        del _sys.modules[_name]
    raise

__all__ = [
    "__version__",
    "activations",
    "check_registrations",
    "compare",
    "derivative",
    "diagnostics",
    "experiments",
    "exporting",
    "get",
    "info",
    "inspect_model",
    "inspection",
    "layers",
    "list_activations",
    "plot",
    "record",
    "swap_activations",
    "SwapReport",
]
