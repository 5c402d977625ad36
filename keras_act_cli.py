"""The `keras-act` command's entry point (also `python -m keras_act_cli`).

The commands live in keras_act/cli.py. `import keras_act` imports no Keras,
so `keras-act --help`, `list` and `info` answer in a fraction of a second;
the commands that compute import Keras (and its backend) when they run.
"""

import sys

from keras_act.cli import main

if __name__ == "__main__":
    sys.exit(main())
