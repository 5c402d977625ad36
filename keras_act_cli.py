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
    if "keras_act" in sys.modules:
        return
    spec = importlib.util.find_spec("keras_act")
    if spec is None or spec.submodule_search_locations is None:
        return  # not installed: the import below says so
    namespace = importlib.util.module_from_spec(spec)  # created, not executed
    setattr(namespace, _MARK, True)
    sys.modules["keras_act"] = namespace


def main():
    _open_namespace()
    from keras_act.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
