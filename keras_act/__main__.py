"""`python -m keras_act ...`: the keras-act command.

Python imports the keras_act package (and with it Keras and TensorFlow, whose
import-time log lines this cannot stop) before it runs this; the `keras-act`
command (or `python -m keras_act_cli`) answers `list` and `info` without
them.
"""

import sys

from keras_act.cli import main

if __name__ == "__main__":
    sys.exit(main())
