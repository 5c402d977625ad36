"""keras_act.experiments: compare, load_dataset, build_mlp, CompareResult."""

import pytest

import keras_act
from keras_act.experiments import CompareResult, build_mlp, check_trainable, load_dataset


def test_compare_returns_a_result_a_notebook_shows():
    result = keras_act.compare(["elu_custom"], depth=1, width=8, epochs=1)
    assert isinstance(result, CompareResult) and len(result) == 1
    (r,) = result
    assert r["initializer"] == "he_normal" and r["dead_fraction"] == 0.0  # elu units cannot die
    assert len(r["loss"]) == len(r["test_accuracy_curve"]) == 1
    assert r["test_accuracy"] == pytest.approx(r["test_accuracy_curve"][-1], abs=1e-6)
    markdown = result._repr_markdown_()
    assert f"{r['test_accuracy']:.4f}" in markdown and "| `elu_custom`" in markdown
    assert result.description() in str(result) and "1 hidden Dense(8)" in result.description()


def test_compare_reports_progress_per_epoch():
    calls = []
    keras_act.compare(["relu_custom"], depth=1, width=4, epochs=2, progress=lambda *a: calls.append(a))
    assert [c[:3] for c in calls] == [("relu_custom", 1, 2), ("relu_custom", 2, 2)]
    assert all(c[3] > 0 for c in calls)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"ids": ["relu_custom", "glu_custom"]}, "'glu_custom' is not elementwise"),
        ({"ids": ["sigmoid_custm"]}, "Did you mean 'sigmoid_custom'"),
        ({"ids": []}, "at least one"),
        ({"ids": ["relu_custom"], "dataset": "mnist"}, "Unknown data set"),
        ({"ids": ["relu_custom"], "epochs": 0}, r"compare expected `epochs` to be an integer >= 1. Received: epochs=0"),
        ({"ids": ["relu_custom"], "depth": True}, r"compare expected `depth` to be an integer >= 1. Received: depth=True"),
    ],
)
def test_compare_refuses_bad_input_before_training(kwargs, match, monkeypatch):
    monkeypatch.setattr(keras_act.experiments, "build_mlp", lambda *a, **k: pytest.fail("trained"))
    with pytest.raises(ValueError, match=match):
        keras_act.compare(**kwargs)


def test_check_trainable_follows_the_records():
    for name in keras_act.list_activations():
        if keras_act.info(name)["elementwise"]:
            assert check_trainable([name])[0] is keras_act.record(name)
        else:
            with pytest.raises(ValueError, match="not elementwise"):
                check_trainable([name])


def test_build_mlp_uses_the_recommended_initializer():
    model = build_mlp("selu_custom", input_dim=64, num_classes=10, depth=2, width=8)
    assert [type(layer.kernel_initializer).__name__ for layer in model.layers[:2]] == ["LecunNormal"] * 2
    assert model.output_shape == (None, 10)


def test_load_dataset_is_standardized_and_split():
    x_train, x_test, y_train, y_test = load_dataset("digits")
    assert x_train.shape == (1347, 64) and x_test.shape == (450, 64) and len(y_test) == 450
    assert abs(float(x_train.mean())) < 0.05


# --- layers beside ids (issue 12) ---------------------------------------------------


def test_compare_accepts_learnable_layers_beside_ids():
    result = keras_act.compare(["relu_custom", "PELU", "PAU"], depth=2, width=8, epochs=1)
    assert [r["id"] for r in result] == ["relu_custom", "PELU", "PAU"]
    assert [r["initializer"] for r in result] == ["he_normal"] * 3
    assert all(0.0 <= r["test_accuracy"] <= 1.0 and r["final_loss"] > 0 for r in result)
    assert "| `PAU`" in result.to_markdown()


def test_build_mlp_puts_the_layer_after_each_dense():
    model = build_mlp("SReLU", input_dim=64, num_classes=10, depth=2, width=8)
    assert [layer.name for layer in model.layers] == ["dense_1", "hidden_1", "dense_2", "hidden_2", "classifier"]
    assert type(model.layers[1]).__name__ == "SReLU"
    assert model.layers[0].activation.__name__ == "linear"  # the layer is the activation
    assert type(model.layers[0].kernel_initializer).__name__ == "HeNormal"
    # A layer with a record takes its initializer from it.
    model = build_mlp("Swish", input_dim=64, num_classes=10, depth=1, width=8)
    assert type(model.layers[0].kernel_initializer).__name__ == "HeNormal"


@pytest.mark.parametrize(
    "ids, match",
    [
        (["PELU", "SwiGLU"], r"'SwiGLU' is not elementwise"),
        (["Softmax"], r"'Softmax' is not elementwise"),
        (["Maxout"], r"compare builds each layer with its default arguments; layers\.Maxout needs arguments"),
    ],
)
def test_check_trainable_refuses_layers_it_cannot_train(ids, match, monkeypatch):
    monkeypatch.setattr(keras_act.experiments, "build_mlp", lambda *a, **k: pytest.fail("trained"))
    with pytest.raises(ValueError, match=match):
        keras_act.compare(ids)
    assert check_trainable(["StarReLU", "relu_custom"])[0] is None  # no record
