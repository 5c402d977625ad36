"""The layers, read from their source files without importing them.

A layer is a `keras.layers.Layer` subclass, so importing one imports Keras
(seconds of TensorFlow); the command line's `list` and `info` need only
each layer's name, one-line summary and `activation_id`. These are read
from keras_act/layers/*.py with `ast`: every Layer subclass there decorated
with `register_keras_serializable` is a public layer (keras_act.layers exports
the same classes; a test holds the two to each other).
"""

import ast
import os
from typing import Dict, NamedTuple, Optional

LAYERS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layers")


class LayerEntry(NamedTuple):
    name: str
    module: str  # the file's module name, e.g. "prelu"
    summary: str
    activation_id: Optional[str]


def _base_names(node):
    return {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", None) for b in node.bases}


def _layer_bases():
    """"Layer" and the layer base classes of keras_act/layers/_*.py (GatedUnit)."""
    bases = {"Layer"}
    for f in sorted(os.listdir(LAYERS_DIR)):
        if f.startswith("_") and f.endswith(".py") and f != "__init__.py":
            with open(os.path.join(LAYERS_DIR, f), encoding="utf-8") as source:
                for node in ast.parse(source.read()).body:
                    if isinstance(node, ast.ClassDef) and _base_names(node) & bases:
                        bases.add(node.name)
    return bases


def _registered(node):
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr == "register_keras_serializable":
            return True
    return False


def _activation_id(node):
    for statement in node.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "activation_id" for t in statement.targets
        ):
            value = statement.value
            return value.value if isinstance(value, ast.Constant) else None
    return None


def layer_modules():
    """The layer files' module names (keras_act/layers/<name>.py, public ones)."""
    return sorted(f[:-3] for f in os.listdir(LAYERS_DIR) if f.endswith(".py") and not f.startswith("_"))


def layers() -> Dict[str, LayerEntry]:
    """name -> LayerEntry for every public layer, from the source files."""
    found = {}
    bases = _layer_bases()
    for module in layer_modules():
        with open(os.path.join(LAYERS_DIR, f"{module}.py"), encoding="utf-8") as f:
            tree = ast.parse(f.read())
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and _registered(node) and _base_names(node) & bases:
                doc = (ast.get_docstring(node) or "").strip()
                found[node.name] = LayerEntry(node.name, module, doc.splitlines()[0] if doc else "", _activation_id(node))
    return dict(sorted(found.items()))
