"""keras_act layers: serializable Keras layers over keras_act's functions.

Each is registered as `keras_act>Name` (never shadowing Keras's own
`PReLU`, `LeakyReLU`, `ELU` or `Softmax`) and carries `activation_id`, the
string id of the function it calls (`None` where there is none).

The exports are derived, never listed by hand: one layer per file of this
package (a file not starting with `_`), its registered Layer subclass
(keras_act._layer_catalog finds them in the source, which is also what the
command line lists without importing Keras). Adding a layer file adds it here.
"""

import importlib

from keras_act import _layer_catalog

_exports = {
    entry.name: getattr(importlib.import_module(f"{__name__}.{entry.module}"), entry.name)
    for entry in _layer_catalog.layers().values()
}
globals().update(_exports)

__all__ = sorted(_exports)
