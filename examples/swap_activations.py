"""Swap the activations of built models: the two uses in docs/guides/swap.md, measured.

1. EfficientNetB0 (keras.applications, weights=None) for LiteRT: its 49
   `Activation("swish")` layers become `hard_swish_custom`, which LiteRT
   runs as one HARD_SWISH op where swish takes a LOGISTIC and a MUL. Prints
   the LiteRT op counts before and after, and how far the pooled features
   move (a different function: fine-tune after swapping).
2. A transformer encoder block (pre-norm, multi-head attention, a GELU
   MLP): exact GELU becomes its tanh form, `gelu_tanh_custom`. Prints the
   largest difference in the block's output and its size relative to the
   output, and the LiteRT ops of the MLP's activation before and after.

Needs TensorFlow (LiteRT export) and the `litert` extra for the op counts
(`pip install "keras_act[litert]"`). Writes saved_models/swap_example/.
Takes a few minutes (two EfficientNet exports).

Run: `KERAS_BACKEND=tensorflow .venv/bin/python examples/swap_activations.py`
"""

import collections
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np

import keras_act

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "saved_models", "swap_example")


def litert_ops(model, name, x=None):
    """{op name: count} of `model` exported to LiteRT with built-in ops only,
    and, given inputs `x`, the exported model's outputs on them."""
    import tensorflow as tf
    from ai_edge_litert.interpreter import Interpreter

    path = os.path.join(OUT, f"{name}.tflite")
    model.export(path, format="litert", verbose=False, target_spec={"supported_ops": [tf.lite.OpsSet.TFLITE_BUILTINS]})
    interpreter = Interpreter(model_path=path)
    ops = collections.Counter(op["op_name"] for op in interpreter._get_ops_details())  # its only op listing
    if x is None:
        return ops
    runner = interpreter.get_signature_runner()
    (input_name,) = runner.get_input_details()
    (y,) = runner(**{input_name: x}).values()
    return ops, y


def show_ops(before, after, names):
    for op in names:
        print(f"    {op:<12} {before.get(op, 0):>4} -> {after.get(op, 0):>4}")
    print(f"    {'all ops':<12} {sum(before.values()):>4} -> {sum(after.values()):>4}")


def efficientnet():
    print("1. EfficientNetB0 (weights=None, 96x96, include_top=False, pooling='avg'): swish -> hard_swish_custom")
    model = keras.applications.EfficientNetB0(weights=None, include_top=False, pooling="avg", input_shape=(96, 96, 3))
    report = keras_act.swap_activations(model, {"swish": "hard_swish_custom"}, strict=False)
    assert report.complete, report
    print(f"    swapped {len(report.swapped)} places; not swapped: {len(report.unreached)}")
    x = np.random.default_rng(0).uniform(0, 255, size=(8, 96, 96, 3)).astype("float32")
    before = keras.ops.convert_to_numpy(model(x))
    after = keras.ops.convert_to_numpy(report.model(x))
    relative = np.linalg.norm(after - before) / np.linalg.norm(before)
    print(f"    pooled features: max |difference| {np.abs(after - before).max():.3g}, relative {relative:.3g}")
    report.model.save(os.path.join(OUT, "efficientnet_hard_swish.keras"))
    ops_before, ops_after = litert_ops(model, "efficientnet_swish"), litert_ops(report.model, "efficientnet_hard_swish")
    print("    LiteRT ops (built-in ops only):")
    show_ops(ops_before, ops_after, ["LOGISTIC", "MUL", "HARD_SWISH", "CONV_2D", "DEPTHWISE_CONV_2D"])
    return ops_before, ops_after


def transformer_block(width=64, heads=4, tokens=16):
    """A pre-norm transformer encoder block, as in ViT."""
    inputs = keras.Input((tokens, width))
    x = keras.layers.LayerNormalization(epsilon=1e-6, name="norm_1")(inputs)
    x = keras.layers.MultiHeadAttention(heads, width // heads, name="attention")(x, x)
    x = keras.layers.Add(name="residual_1")([inputs, x])
    y = keras.layers.LayerNormalization(epsilon=1e-6, name="norm_2")(x)
    y = keras.layers.Dense(4 * width, activation="gelu", name="mlp_1")(y)
    y = keras.layers.Dense(width, name="mlp_2")(y)
    return keras.Model(inputs, keras.layers.Add(name="residual_2")([x, y]), name="encoder_block")


def transformer():
    print("2. A transformer encoder block (width 64, 4 heads, MLP 256): gelu -> gelu_tanh_custom")
    model = transformer_block()
    print(keras_act.swap_activations(model, {"gelu": "gelu_tanh_custom"}, strict=False).table())
    swapped = keras_act.swap_activations(model, {"gelu": "gelu_tanh_custom"})
    x = np.random.default_rng(1).normal(size=(32, 16, 64)).astype("float32")
    before = keras.ops.convert_to_numpy(model(x))
    after = keras.ops.convert_to_numpy(swapped(x))
    relative = np.linalg.norm(after - before) / np.linalg.norm(before)
    print(f"    block output: max |difference| {np.abs(after - before).max():.3g}, relative {relative:.3g}")
    (ops_before, lite_before), (ops_after, lite_after) = (
        litert_ops(model, "block_gelu", x), litert_ops(swapped, "block_gelu_tanh", x)
    )
    print("    LiteRT ops (built-in ops only):")
    show_ops(ops_before, ops_after, ["GELU", "TANH", "MUL", "ADD", "POW"])
    # Which GELU LiteRT computes: each file's output against both Keras models.
    for label, lite in (("gelu", lite_before), ("gelu_tanh_custom", lite_after)):
        print(
            f"    LiteRT file of the {label} block: max |difference| {np.abs(lite - before).max():.2g} from the "
            f"exact-GELU block, {np.abs(lite - after).max():.2g} from the tanh-GELU block"
        )
    return ops_before, ops_after


def main():
    os.makedirs(OUT, exist_ok=True)
    efficientnet()
    transformer()


if __name__ == "__main__":
    main()
