"""`python -m keras_act ...`: the keras-act command (as `keras-act`)."""

import sys

from keras_act.cli import main

if __name__ == "__main__":
    sys.exit(main())
