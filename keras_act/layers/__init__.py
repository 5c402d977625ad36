"""keras_act layers: serializable Keras layers over keras_act's functions.

Each is registered as `keras_act>Name` (never shadowing Keras's own
`PReLU`, `LeakyReLU`, `ELU` or `Softmax`) and carries `activation_id`, the
string id of the function it calls (`None` where there is none).
"""

from keras_act.layers.celu import CELU
from keras_act.layers.elu import ELU
from keras_act.layers.geglu import GeGLU
from keras_act.layers.gelu import GELU
from keras_act.layers.glu import GLU
from keras_act.layers.hard_shrink import HardShrink
from keras_act.layers.hard_tanh import HardTanh
from keras_act.layers.leaky_relu import LeakyReLU
from keras_act.layers.log_softmax import LogSoftmax
from keras_act.layers.maxout import Maxout
from keras_act.layers.pau import PAU
from keras_act.layers.pelu import PELU
from keras_act.layers.prelu import PReLU
from keras_act.layers.reglu import ReGLU
from keras_act.layers.rrelu import RReLU
from keras_act.layers.snake import Snake
from keras_act.layers.srelu import SReLU
from keras_act.layers.star_relu import StarReLU
from keras_act.layers.swiglu import SwiGLU
from keras_act.layers.soft_shrink import SoftShrink
from keras_act.layers.softmax import Softmax
from keras_act.layers.softmin import Softmin
from keras_act.layers.softplus import Softplus
from keras_act.layers.sparsemax import Sparsemax
from keras_act.layers.swish import Swish
from keras_act.layers.threshold import Threshold

__all__ = [
    "CELU",
    "ELU",
    "GELU",
    "GeGLU",
    "GLU",
    "HardShrink",
    "HardTanh",
    "LeakyReLU",
    "LogSoftmax",
    "Maxout",
    "PAU",
    "PELU",
    "PReLU",
    "ReGLU",
    "RReLU",
    "SReLU",
    "Snake",
    "SoftShrink",
    "Softmax",
    "Softmin",
    "Softplus",
    "Sparsemax",
    "StarReLU",
    "SwiGLU",
    "Swish",
    "Threshold",
]
