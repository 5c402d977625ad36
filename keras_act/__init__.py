"""keras_act: activation functions for Keras 3, registered and serializable.

Importing keras_act registers every activation, so that

    keras.layers.Dense(64, activation="selu_custom")

works, and a saved model that uses one reloads once keras_act is imported.
"""

__version__ = "0.1.0"

from keras_act import activations
from keras_act import layers
from keras_act import diagnostics
from keras_act import plot  # matplotlib itself is imported only when a plot is drawn
from keras_act import experiments
from keras_act import inspection
from keras_act import _keras_internals
from keras_act._kernels import exporting
from keras_act._record import ALIASES as _ALIASES
from keras_act._record import RECORDS as _RECORDS
from keras_act.experiments import compare
from keras_act.inspection import inspect_model
from keras_act.registry import check_registrations, derivative, get, info, list_activations, record
from keras_act.swap import SwapReport, swap_activations

_STRING_IDS = {**{name: rec.fn for name, rec in _RECORDS.items()}, **{a: _RECORDS[c].fn for a, c in _ALIASES.items()}}
try:
    _keras_internals.install_string_ids(_STRING_IDS)
    # model.export(format="onnx" / "litert") traces keras_act's export forms.
    _keras_internals.install_export_hook(exporting)
except BaseException:
    # Leave no half-imported keras_act behind: a fixed environment (or a
    # retry) then imports it afresh instead of finding stale modules and
    # registrations. Python itself drops `keras_act` from sys.modules.
    import sys as _sys

    _keras_internals.forget("keras_act", _STRING_IDS)
    _keras_internals.uninstall_export_hook()
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
