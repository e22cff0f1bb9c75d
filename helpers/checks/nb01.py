"""Checks for notebook 01: the three model-building APIs and compiling for integer labels.

Each check observes in the kernel and judges from the observation
(``helpers.checks.observed``). A model check observes the student's model for
the given sizes: its kind, its own weights and its outputs on a batch of inputs
(the digits' validation images when no ``seed`` is given, else random rows drawn
from ``seed``); the judge gives those weights to the reference network and
compares its outputs with the student's. The compile checks compile a small
reference network with the student's function and observe its optimizer, its
evaluation and its weights; the judge recomputes the loss from the weights.

Used by notebook 01's test cells, e.g. ``checks.nb01.compile_model(compile_model)``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from helpers.checks.core import check, check_close, check_instance, fail, judge_model_outputs
from helpers.checks.observed import observed_check
from helpers.data import load_digits
from helpers.models import set_seed
from helpers.quiet import import_tensorflow
from helpers.reference import nb01 as reference

tf = import_tensorflow()
keras = tf.keras

def _inputs(input_dim: int, seed: int | None) -> np.ndarray:
    """The digits' first 16 validation images, or 9 random rows of ``input_dim`` features drawn from ``seed``."""
    if seed is None:
        return load_digits().x_val[:16]
    return np.random.default_rng(seed).normal(size=(9, input_dim)).astype("float32") * 3


def _model_kind(model: Any) -> dict[str, Any]:
    """What the judge needs to tell the three styles apart, as plain data."""
    return {"is_model": isinstance(model, keras.Model), "is_sequential": isinstance(model, keras.Sequential),
            "keras_class": type(model).__module__.startswith("keras"), "class": type(model).__name__}


def _judge_kind(name: str, kind: dict[str, Any]) -> None:
    if name == "build_sequential_model":
        check(kind["is_sequential"] is True, "build_sequential_model should return a keras.Sequential model.",
              "an instance of Sequential", kind["class"], "Use keras.Sequential([...]) with a list of layers.")
    elif name == "build_functional_model":
        check(kind["is_model"] is True and kind["is_sequential"] is False,
              "build_functional_model should return a Functional keras.Model, not a Sequential one.",
              "keras.Model(inputs, outputs)", kind["class"],
              "Start from keras.Input, call the layers on it, and finish with keras.Model(inputs, outputs).")
    else:
        check(kind["is_model"] is True and kind["keras_class"] is False,
              "build_subclassed_model should return an instance of your own subclass of keras.Model.",
              "class MyModel(keras.Model)", kind["class"],
              "Define `class ...(keras.Model)` with __init__ and call, and return an instance of it.")


def _observe_builder(student: Callable[..., Any], sizes: tuple[int, int, int], seed: int | None) -> dict[str, Any]:
    """The student's model for ``sizes``: its kind, its own weights and its outputs on the inputs."""
    x = _inputs(sizes[0], seed)
    model = student(*sizes)
    name = getattr(student, "__name__", "the function")
    check_instance(model, keras.Model, f"{name}{sizes} should return a Keras model.",
                   "Return the model object you built, e.g. `return model`.")
    weights = model.get_weights()  # before the forward pass: the model must already have its weights
    try:
        outputs, error = np.asarray(model(x, training=False)), None
    except Exception as caught:  # judged below, after the weights' shapes, which say more
        outputs, error = None, f"{type(caught).__name__}: {str(caught)[:200]}"
    return {"kind": _model_kind(model), "weights": weights, "outputs": outputs, "error": error}


def _judge_builder(observed: dict[str, Any], name: str, sizes: tuple[int, int, int], seed: int | None) -> None:
    """The reference network, given the student's weights, must compute the student's outputs."""
    _judge_kind(name, observed["kind"])
    model = getattr(reference, name)(*sizes)
    judge_model_outputs(observed["weights"], observed["outputs"], model, _inputs(sizes[0], seed), f"{name}{sizes}",
                        observed["error"])


def build_sequential_model(
    student: Callable[..., Any], input_dim: int = 64, hidden_units: int = 32, num_classes: int = 10,
    seed: int | None = None,
) -> dict[str, Any]:
    """Check that ``student(input_dim, hidden_units, num_classes)`` builds the reference network as a Sequential model.

    Args:
        student: The student's ``build_sequential_model``.
        input_dim: Features per sample. Defaults to 64.
        hidden_units: Width of the hidden layer. Defaults to 32.
        num_classes: Number of classes. Defaults to 10.
        seed: Seed of random inputs; ``None`` uses digits (needs ``input_dim=64``). Defaults to ``None``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    return _observe_builder(student, (input_dim, hidden_units, num_classes), seed)


@observed_check(build_sequential_model)
def build_sequential_model(observed, input_dim=64, hidden_units=32, num_classes=10, seed=None) -> None:
    _judge_builder(observed, "build_sequential_model", (input_dim, hidden_units, num_classes), seed)


def build_functional_model(
    student: Callable[..., Any], input_dim: int = 64, hidden_units: int = 32, num_classes: int = 10,
    seed: int | None = None,
) -> dict[str, Any]:
    """Check that ``student(input_dim, hidden_units, num_classes)`` builds the reference network as a Functional model.

    Arguments as ``build_sequential_model``.
    """
    return _observe_builder(student, (input_dim, hidden_units, num_classes), seed)


@observed_check(build_functional_model)
def build_functional_model(observed, input_dim=64, hidden_units=32, num_classes=10, seed=None) -> None:
    _judge_builder(observed, "build_functional_model", (input_dim, hidden_units, num_classes), seed)


def build_subclassed_model(
    student: Callable[..., Any], input_dim: int = 64, hidden_units: int = 32, num_classes: int = 10,
    seed: int | None = None,
) -> dict[str, Any]:
    """Check that ``student(input_dim, hidden_units, num_classes)`` builds the reference network as its own subclass.

    Arguments as ``build_sequential_model``.
    """
    return _observe_builder(student, (input_dim, hidden_units, num_classes), seed)


@observed_check(build_subclassed_model)
def build_subclassed_model(observed, input_dim=64, hidden_units=32, num_classes=10, seed=None) -> None:
    _judge_builder(observed, "build_subclassed_model", (input_dim, hidden_units, num_classes), seed)


def _digits_slice(split: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    data = load_digits()
    return getattr(data, f"x_{split}")[:n], getattr(data, f"y_{split}")[:n]


def compile_model(
    student: Callable[..., Any], learning_rate: float = 0.05, split: str = "val", n: int = 64, seed: int = 0
) -> dict[str, Any]:
    """Check that ``student(model, learning_rate)`` compiles for integer labels with Adam and an accuracy metric.

    Compiles a small reference network (8 hidden units, seeded with ``seed``),
    then evaluates it on the first ``n`` digits of ``split``.

    Args:
        student: The student's ``compile_model``.
        learning_rate: The learning rate to ask for. Defaults to 0.05.
        split: ``"train"``, ``"val"`` or ``"test"``: the digits to evaluate on. Defaults to ``"val"``.
        n: How many of them. Defaults to 64.
        seed: Seed of the network's initial weights. Defaults to 0.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    x, y = _digits_slice(split, n)
    set_seed(seed)
    model = reference.build_sequential_model(x.shape[1], 8, 10)
    returned = student(model, learning_rate)
    optimizer = getattr(model, "optimizer", None)
    try:
        result, error = model.evaluate(x, y, verbose=0, return_dict=True), None
    except Exception as caught:  # raised here too, so that the kernel shows the error and its hint
        result, error = {}, f"{type(caught).__name__}: {str(caught)[:150]}"
        _evaluation_failed(error)
    rate = getattr(optimizer, "learning_rate", None)
    return {"returned_same": returned is model, "returned": type(returned).__name__,
            "adam": isinstance(optimizer, keras.optimizers.Adam), "optimizer": type(optimizer).__name__,
            "learning_rate": None if rate is None else float(rate), "error": error,
            "result": {str(k): float(v) for k, v in result.items()}, "weights": model.get_weights()}


def _evaluation_failed(error: str) -> None:
    fail("compile_model: evaluating on integer labels should work.", "a loss and an accuracy", error,
         "Use the cross-entropy for integer labels: SparseCategoricalCrossentropy.")


@observed_check(compile_model)
def compile_model(observed, learning_rate=0.05, split="val", n=64, seed=0) -> None:
    check(observed["returned_same"] is True, "compile_model should return the model it compiled.",
          "the same model object", observed["returned"], "End the function with `return model`.")
    check(observed["adam"] is True, "compile_model should use the Adam optimizer.", "an instance of Adam",
          observed["optimizer"], "Pass optimizer=keras.optimizers.Adam(learning_rate=learning_rate).")
    check_close(observed["learning_rate"], learning_rate,
                f"compile_model(model, {learning_rate}) should set the optimizer's learning rate.",
                "Create the optimizer with learning_rate=learning_rate instead of the default.", rtol=1e-6)
    if observed["error"] is not None:
        _evaluation_failed(observed["error"])
    result = observed["result"]
    check("accuracy" in result, "compile_model should report the 'accuracy' metric.", "'accuracy' in the results",
          sorted(result), 'Pass metrics=["accuracy"] by keyword.')
    # The reference loss: cross-entropy of the network's softmax outputs (recomputed here) and the integer labels.
    x, y = _digits_slice(split, n)
    network = reference.build_sequential_model(x.shape[1], 8, 10)
    network.set_weights(observed["weights"])
    probs = np.asarray(network(x, training=False), dtype=np.float64)
    expected_loss = float(np.mean(-np.log(probs[np.arange(len(y)), y])))
    check_close(result.get("loss"), expected_loss,
                "compile_model: the loss should be the cross-entropy of the softmax probabilities and integer labels.",
                "Use SparseCategoricalCrossentropy() with its default from_logits=False.", rtol=1e-3, atol=1e-4)


def _one_step(student: Callable[..., Any], learning_rate: float, seed: int, n: int) -> dict[str, Any]:
    """The weights of a model compiled by ``student`` before and after one training step on ``n`` digits."""
    x, y = _digits_slice("train", n)
    set_seed(seed)
    model = student(reference.build_sequential_model(64, 8, 10), learning_rate)
    before = [w.copy() for w in model.get_weights()]
    model.train_on_batch(x, y)
    return {"before": before, "after": model.get_weights()}


def compile_model_step_size(
    student: Callable[..., Any], small: float, large: float, ratio: float, seed: int, n: int
) -> dict[str, Any]:
    """Check that the learning rate given to ``student`` really drives the updates.

    One training step with the ``large`` rate must move the weights at least
    ``ratio`` times as far as one with the ``small`` rate.

    Args:
        student: The student's ``compile_model``.
        small: The small learning rate.
        large: The large learning rate.
        ratio: How many times further the large step must go.
        seed: Seed of the network's initial weights.
        n: Training digits in the one batch.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    return {"small": _one_step(student, small, seed, n), "large": _one_step(student, large, seed, n)}


def _step_change(step: dict[str, Any]) -> float:
    before, after = step["before"], step["after"]
    check(len(before) == len(after) == 4, "compile_model: the model should keep its weights.",
          "4 weight arrays", len(after), "Compile the model you were given; do not build another.")
    return sum(float(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)).sum())
               for a, b in zip(before, after))


@observed_check(compile_model_step_size)
def compile_model_step_size(observed, small, large, ratio, seed, n) -> None:
    small_step, large_step = _step_change(observed["small"]), _step_change(observed["large"])
    check(large_step > ratio * small_step, "compile_model: a larger learning rate should take a larger step.",
          f"the {large:g} step at least {ratio:g}x the {small:g} step",
          f"ratio {large_step / max(small_step, 1e-12):.1f}", "Give the optimizer the learning_rate argument.")
