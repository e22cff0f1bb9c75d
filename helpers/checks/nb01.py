"""Checks for notebook 01: the three model-building APIs and compiling for integer labels.

Each model check builds the student's model for the given sizes, copies the
reference model's weights into it (``check_model_matches``) and compares the
outputs on a batch of inputs: the digits' validation images when no ``seed`` is
given, else random rows drawn from ``seed``. The compile checks compile a small
reference network with the student's function and read back its optimizer,
its metrics and its loss.

Used by notebook 01's test cells, e.g. ``checks.nb01.compile_model(compile_model)``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from helpers.checks.core import check, check_close, check_instance, check_model_matches, fail
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


def _is_sequential(model: Any) -> None:
    check_instance(model, keras.Sequential, "build_sequential_model should return a keras.Sequential model.",
                   "Use keras.Sequential([...]) with a list of layers.")


def _is_functional(model: Any) -> None:
    check(isinstance(model, keras.Model) and not isinstance(model, keras.Sequential),
          "build_functional_model should return a Functional keras.Model, not a Sequential one.",
          "keras.Model(inputs, outputs)", type(model).__name__,
          "Start from keras.Input, call the layers on it, and finish with keras.Model(inputs, outputs).")


def _is_own_subclass(model: Any) -> None:
    check(isinstance(model, keras.Model) and not type(model).__module__.startswith("keras"),
          "build_subclassed_model should return an instance of your own subclass of keras.Model.",
          "class MyModel(keras.Model)", type(model).__name__,
          "Define `class ...(keras.Model)` with __init__ and call, and return an instance of it.")


_KIND_CHECKS = {
    "build_sequential_model": _is_sequential,
    "build_functional_model": _is_functional,
    "build_subclassed_model": _is_own_subclass,
}


def _check_builder(student: Callable[..., Any], name: str, sizes: tuple[int, int, int], seed: int | None) -> None:
    """The three model checks: inputs, the student's model and its kind, then the reference's outputs."""
    x = _inputs(sizes[0], seed)
    model = student(*sizes)
    _KIND_CHECKS[name](model)
    check_model_matches(model, getattr(reference, name)(*sizes), x, f"{name}{sizes}")


def build_sequential_model(
    student: Callable[..., Any], input_dim: int = 64, hidden_units: int = 32, num_classes: int = 10,
    seed: int | None = None,
) -> None:
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
    _check_builder(student, "build_sequential_model", (input_dim, hidden_units, num_classes), seed)


def build_functional_model(
    student: Callable[..., Any], input_dim: int = 64, hidden_units: int = 32, num_classes: int = 10,
    seed: int | None = None,
) -> None:
    """Check that ``student(input_dim, hidden_units, num_classes)`` builds the reference network as a Functional model.

    Arguments as ``build_sequential_model``.
    """
    _check_builder(student, "build_functional_model", (input_dim, hidden_units, num_classes), seed)


def build_subclassed_model(
    student: Callable[..., Any], input_dim: int = 64, hidden_units: int = 32, num_classes: int = 10,
    seed: int | None = None,
) -> None:
    """Check that ``student(input_dim, hidden_units, num_classes)`` builds the reference network as its own subclass.

    Arguments as ``build_sequential_model``.
    """
    _check_builder(student, "build_subclassed_model", (input_dim, hidden_units, num_classes), seed)


def _digits_slice(split: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    data = load_digits()
    return getattr(data, f"x_{split}")[:n], getattr(data, f"y_{split}")[:n]


def compile_model(
    student: Callable[..., Any], learning_rate: float = 0.05, split: str = "val", n: int = 64, seed: int = 0
) -> None:
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
    check(returned is model, "compile_model should return the model it compiled.", "the same model object",
          type(returned).__name__, "End the function with `return model`.")
    check_instance(model.optimizer, keras.optimizers.Adam, "compile_model should use the Adam optimizer.",
                   "Pass optimizer=keras.optimizers.Adam(learning_rate=learning_rate).")
    check_close(float(model.optimizer.learning_rate), learning_rate,
                f"compile_model(model, {learning_rate}) should set the optimizer's learning rate.",
                "Create the optimizer with learning_rate=learning_rate instead of the default.", rtol=1e-6)
    try:
        result = model.evaluate(x, y, verbose=0, return_dict=True)
    except Exception as error:
        fail("compile_model: evaluating on integer labels should work.", "a loss and an accuracy",
             f"{type(error).__name__}: {str(error)[:150]}",
             "Use the cross-entropy for integer labels: SparseCategoricalCrossentropy.")
    check("accuracy" in result, "compile_model should report the 'accuracy' metric.", "'accuracy' in the results",
          sorted(result), 'Pass metrics=["accuracy"] by keyword.')
    # The reference loss: cross-entropy of the model's own softmax outputs and the integer labels.
    probs = model.predict(x, verbose=0)
    expected_loss = float(np.mean(-np.log(probs[np.arange(len(y)), y])))
    check_close(result["loss"], expected_loss,
                "compile_model: the loss should be the cross-entropy of the softmax probabilities and integer labels.",
                "Use SparseCategoricalCrossentropy() with its default from_logits=False.", rtol=1e-3, atol=1e-4)


def _one_step_change(student: Callable[..., Any], learning_rate: float, seed: int, n: int) -> float:
    """How far one training step on ``n`` digits moves the weights of a model compiled by ``student``."""
    x, y = _digits_slice("train", n)
    set_seed(seed)
    model = student(reference.build_sequential_model(64, 8, 10), learning_rate)
    before = [w.copy() for w in model.get_weights()]
    model.train_on_batch(x, y)
    return sum(float(np.abs(a - b).sum()) for a, b in zip(before, model.get_weights()))


def compile_model_step_size(
    student: Callable[..., Any], small: float, large: float, ratio: float, seed: int, n: int
) -> None:
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
    small_step = _one_step_change(student, small, seed, n)
    large_step = _one_step_change(student, large, seed, n)
    check(large_step > ratio * small_step, "compile_model: a larger learning rate should take a larger step.",
          f"the {large:g} step at least {ratio:g}x the {small:g} step",
          f"ratio {large_step / max(small_step, 1e-12):.1f}", "Give the optimizer the learning_rate argument.")
