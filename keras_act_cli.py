"""The `keras-act` command's entry point (also `python -m keras_act_cli`).

Importing the `keras_act` package imports Keras and TensorFlow (it has to:
importing it registers every activation id with Keras), which takes seconds
and makes TensorFlow print log lines. `keras-act --help`, `list` and `info`
need neither: they read keras_act/_metadata.json, generated from the
records. So this launcher opens the `keras_act` namespace without executing
keras_act/__init__.py and runs keras_act.cli in it; the commands that need
the library (plot, compare, inspect, migrate) import keras_act for real
before they use it. The commands themselves live in keras_act/cli.py.
"""

import importlib.util
import sys

# The attribute keras_act.cli looks for to tell this namespace from the package.
_MARK = "_keras_act_cli_namespace"


def _open_namespace():
    """Put an unexecuted `keras_act` module in sys.modules; returns it, or
    `None` when keras_act is already imported (or not installed)."""
    if "keras_act" in sys.modules:
        return None
    spec = importlib.util.find_spec("keras_act")
    if spec is None or spec.submodule_search_locations is None:
        return None  # not installed: the import below says so
    namespace = importlib.util.module_from_spec(spec)  # created, not executed
    setattr(namespace, _MARK, True)
    sys.modules["keras_act"] = namespace
    return namespace


def main():
    namespace = _open_namespace()
    try:
        from keras_act.cli import main as cli_main

        return cli_main()
    finally:
        # Called from a longer-lived process, a later `import keras_act`
        # must get the real package, not this namespace.
        if namespace is not None and sys.modules.get("keras_act") is namespace:
            del sys.modules["keras_act"]


if __name__ == "__main__":
    sys.exit(main())
