"""Keras, imported when first used.

`import keras` costs seconds (it imports its backend: TensorFlow, JAX or
PyTorch) and `keras-act list`, `info` and `--help` need none of it: they
read the records. So keras_act's records, functions and dispatch refer to
Keras through the two stand-ins below, which import the real module on the
first attribute read and keep each attribute they hand out, so later reads
cost what a module attribute costs. Registration with Keras (the string
ids, the serializable names, the export hook) waits for Keras itself:
`keras_act/__init__.py` runs it as soon as `keras` is imported, by anyone.
"""

import importlib
import types


class _Later(types.ModuleType):
    """A module that imports `target` on the first attribute read."""

    def __init__(self, target):
        super().__init__(f"keras_act._lazy:{target}")
        self._target = target

    def __getattr__(self, name):
        value = getattr(importlib.import_module(self._target), name)
        setattr(self, name, value)
        return value


keras = _Later("keras")
ops = _Later("keras.ops")
