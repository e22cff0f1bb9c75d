"""Checks for notebook 07: a training step, an evaluation step and a training loop written with GradientTape.

Each check builds a small ``probe_model`` (a frozen first layer and a layer
that computes something different in training mode, so every part of the
recipe shows in the numbers). It runs the student's function on one copy of
the model, the reference (``helpers.reference.nb07``) on another copy with the
same weights, and compares what they return and the weights they leave behind.
Without a ``seed`` the inputs are digits; with one, random rows drawn from it.

Used by notebook 07's test cells, e.g. ``checks.nb07.train_step(train_step)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from helpers.checks.core import check, check_close, check_equal, fail
from helpers.data import load_digits
from helpers.probes import probe_model
from helpers.quiet import import_tensorflow
from helpers.reference import nb07 as reference
from helpers.reference.nb07 import HISTORY_KEYS

tf = import_tensorflow()
keras = tf.keras

_LOOP_HINTS = {
    "loss": "Average every batch's loss over the epoch (a keras.metrics.Mean), not just the last batch's, "
            "and reset the metric at the start of each epoch.",
    "accuracy": "Update the accuracy with the predictions from each training step, and reset it every epoch.",
    "val_loss": "Average the loss of every validation batch, computed with training=False and no update, "
                "and reset the metric every epoch.",
    "val_accuracy": "Update the validation accuracy with each validation batch's predictions, reset every epoch.",
}


def _batch(split: str, n_samples: int, n_features: int, n_classes: int, seed: int | None):
    """The first ``n_samples`` digits of ``split``, or random rows and labels drawn from ``seed``."""
    if seed is None:
        data = load_digits()
        return getattr(data, f"x_{split}")[:n_samples], getattr(data, f"y_{split}")[:n_samples]
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n_samples, n_features)).astype("float32")
    return x, rng.integers(0, n_classes, n_samples).astype("int32")


def _twin(model: keras.Model, build: Callable[[], keras.Model]) -> keras.Model:
    """A new model from ``build()`` holding a copy of ``model``'s weights."""
    twin = build()
    twin.set_weights(model.get_weights())
    return twin


def _weights(model: keras.Model) -> list[np.ndarray]:
    return [np.array(w, copy=True) for w in model.get_weights()]



@dataclass
class _Step:
    """What one call of the student's step returned and left behind."""

    error: str | None = None
    returned: np.ndarray | None = None
    before: list[np.ndarray] = field(default_factory=list)
    after: list[np.ndarray] = field(default_factory=list)
    frozen: list[np.ndarray] = field(default_factory=list)
    loss_after_update: float = float("nan")
    iterations: int = 0


def _student_steps(step_fn, model, optimizer, loss_fn, x, y, steps: int) -> list[_Step]:
    """Run the student's step ``steps`` times; stop at the first step that raised."""
    runs = []
    for _ in range(steps):
        before = _weights(model)
        try:
            returned = step_fn(model, optimizer, loss_fn, x, y)
        except ValueError as error:
            if "No gradients" not in str(error):
                raise
            return [*runs, _Step(error="no gradients")]
        except TypeError as error:
            return [*runs, _Step(error=f"TypeError: {str(error)[:100]}")]
        runs.append(_Step(
            returned=None if returned is None else np.asarray(returned),
            before=before,
            after=_weights(model),
            frozen=[np.array(w.numpy(), copy=True) for w in model.non_trainable_weights],
            loss_after_update=float(loss_fn(y, model(x, training=True))),
            iterations=int(optimizer.iterations),
        ))
    return runs


def _reference_steps(model, optimizer, loss_fn, x, y, steps: int) -> list[dict[str, Any]]:
    """For each reference step: the training- and inference-mode losses before it, and the weights after it."""
    runs = []
    for _ in range(steps):
        training_loss = float(loss_fn(y, model(x, training=True)))
        inference_loss = float(loss_fn(y, model(x, training=False)))
        reference.train_step(model, optimizer, loss_fn, x, y)
        runs.append({"training_loss": training_loss, "inference_loss": inference_loss, "after": _weights(model)})
    return runs


def _judge_step(name: str, step: int, got: _Step, want: dict[str, Any], frozen: list[np.ndarray]) -> None:
    """Compare one student step with the same reference step."""
    if got.error == "no gradients":
        fail(f"{name}: the tape recorded no gradients.", "a gradient for every trainable variable",
             "no gradients at all", "Run the forward pass and the loss inside `with tf.GradientTape() as tape:`.")
    if got.error is not None:
        fail(f"{name} should work when compiled with tf.function.", "a loss tensor", got.error,
             "Return the loss tensor itself: no float() or .numpy().")
    check(got.returned is not None and got.returned.size == 1, f"{name} should return the batch's loss.",
          "one number (a scalar tensor)", got.returned, "End with `return loss`.")
    check(any(not np.array_equal(a, b) for a, b in zip(got.before, got.after)),
          f"{name} should update the model's weights.", "changed weights", "the same weights as before",
          "Call optimizer.apply_gradients(zip(gradients, model.trainable_variables)).")
    check(all(np.array_equal(a, b) for a, b in zip(got.frozen, frozen)),
          f"{name} changed the weights of a frozen layer.", "non-trainable weights untouched",
          "changed non-trainable weights",
          "Take gradients over model.trainable_variables, not model.weights or model.variables.")
    got_loss = float(got.returned.reshape(()))
    inference_loss = want["inference_loss"]
    if abs(got_loss - inference_loss) < 1e-6 * max(1.0, abs(inference_loss)):
        hint = "Call the model with training=True inside the tape."
    elif abs(got_loss - got.loss_after_update) < 1e-6:
        hint = "Return the loss computed inside the tape, before apply_gradients, not a loss computed afterwards."
    else:
        hint = "Return loss_fn(y, model(x, training=True)) as computed inside the tape."
    check_close(got_loss, want["training_loss"],
                f"{name}: step {step} should return the batch's loss before the update.", hint, rtol=1e-5, atol=1e-6)
    for i, (got_w, want_w) in enumerate(zip(got.after, want["after"])):
        check_close(got_w, want_w,
                    f"{name}: after step {step}, weight tensor {i} should match one SGD step of the reference.",
                    "Run model(x, training=True) inside the tape, take the gradients over all of "
                    "model.trainable_variables and apply them all with the optimizer you were given.",
                    rtol=1e-4, atol=1e-6)
    check_equal(got.iterations, step, f"{name}: the optimizer should have made {step} update(s).",
                "Call optimizer.apply_gradients exactly once per step, on the optimizer passed in.")


def train_step(
    student: Callable[..., Any], *, seed: int | None = None, n_samples: int = 32, n_features: int = 64,
    hidden_units: int = 16, n_classes: int = 10, model_seed: int = 0, learning_rate: float = 0.1,
    momentum: float = 0.0, steps: int = 1, compiled: bool = False,
) -> None:
    """Check ``student(model, optimizer, loss_fn, x, y)`` against the reference step, step by step.

    Both steps start from the same weights, on the same batch, each with its
    own ``SGD(learning_rate, momentum)``. After every step the returned loss,
    the weights (trainable and frozen) and the optimizer's update count must
    match the reference's.

    Args:
        student: The student's ``train_step``.
        seed: Seed of a random batch; ``None`` uses the first training digits
            (then keep ``n_features=64`` and ``n_classes=10``). Defaults to ``None``.
        n_samples: Batch size. Defaults to 32.
        n_features: Features per sample. Defaults to 64.
        hidden_units: Width of the probe model's hidden layers. Defaults to 16.
        n_classes: Number of classes. Defaults to 10.
        model_seed: Seed of the probe model's initial weights. Defaults to 0.
        learning_rate: SGD's learning rate. Defaults to 0.1.
        momentum: SGD's momentum. Defaults to 0.
        steps: How many steps in a row. Defaults to 1.
        compiled: Check ``tf.function(student)`` instead. Defaults to ``False``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    name = "tf.function(train_step)" if compiled else "train_step"
    x, y = _batch("train", n_samples, n_features, n_classes, seed)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()

    def build() -> keras.Model:
        return probe_model(n_features, hidden_units, n_classes, seed=model_seed)

    model = build()
    twin = _twin(model, build)
    frozen = [np.array(w.numpy(), copy=True) for w in model.non_trainable_weights]
    step_fn = tf.function(student) if compiled else student
    got = _student_steps(step_fn, model, keras.optimizers.SGD(learning_rate, momentum=momentum), loss_fn, x, y, steps)
    want = _reference_steps(twin, keras.optimizers.SGD(learning_rate, momentum=momentum), loss_fn, x, y, steps)
    for step, (got_step, want_step) in enumerate(zip(got, want), start=1):
        _judge_step(name, step, got_step, want_step, frozen)



def eval_step(
    student: Callable[..., Any], *, seed: int | None = None, n_samples: int = 32, n_features: int = 64,
    hidden_units: int = 16, n_classes: int = 10, model_seed: int = 1, scale: float = 1.0, one_hot: bool = False,
) -> None:
    """Check that ``student(model, loss_fn, x, y)`` returns the inference-mode loss and changes no weight.

    Args as ``train_step`` (``seed=None`` uses the first validation digits), and:
        student: The student's ``eval_step``.
        model_seed: Seed of the probe model's weights. Defaults to 1.
        scale: Factor applied to the inputs. Defaults to 1.
        one_hot: One-hot labels and ``CategoricalCrossentropy`` instead of
            integer labels and ``SparseCategoricalCrossentropy``. Defaults to ``False``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    name = "eval_step with one-hot labels" if one_hot else "eval_step"
    x, y = _batch("val", n_samples, n_features, n_classes, seed)
    x = x * scale
    if one_hot:
        y, loss_fn = keras.utils.to_categorical(y, n_classes), keras.losses.CategoricalCrossentropy()
    else:
        loss_fn = keras.losses.SparseCategoricalCrossentropy()

    def build() -> keras.Model:
        return probe_model(n_features, hidden_units, n_classes, seed=model_seed)

    model = build()
    twin = _twin(model, build)
    before = _weights(model)
    got = student(model, loss_fn, x, y)
    after = _weights(model)
    expected = float(reference.eval_step(twin, loss_fn, x, y))
    training_loss = float(loss_fn(y, twin(x, training=True)))

    check(got is not None and np.asarray(got).size == 1, f"{name} should return the batch's loss.",
          "one number (a scalar tensor)", got, "Return loss_fn(y, predictions).")
    check(all(np.array_equal(a, b) for a, b in zip(before, after)),
          f"{name} should not change any weight.", "the same weights", "changed weights",
          "Evaluation runs the forward pass and the loss only: no tape, no optimizer.")
    got_loss = float(np.asarray(got).reshape(()))
    hint = ("Call the model with training=False." if abs(got_loss - training_loss) < 1e-6
            else "Return loss_fn(y, model(x, training=False)): labels first, predictions second.")
    check_close(got_loss, expected, f"{name} should return the inference-mode loss of the batch.", hint,
                rtol=1e-6, atol=1e-7)



def _loop_data(seed: int | None, n_train: int, n_val: int, n_features: int, n_classes: int):
    """Digits, or random rows labelled by how many of their first ``n_classes - 1`` features are positive."""
    if seed is None:
        data = load_digits()
        return (data.x_train[:n_train], data.y_train[:n_train]), (data.x_val[:n_val], data.y_val[:n_val])
    x = np.random.default_rng(seed).normal(size=(n_train + n_val, n_features)).astype("float32")
    y = sum((x[:, k] > 0).astype("int32") for k in range(n_classes - 1))
    return (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])


def train_loop(
    student: Callable[..., Any], *, seed: int | None = None, n_train: int = 96, n_val: int = 64,
    batch_size: int = 32, val_batch_size: int = 32, n_features: int = 64, hidden_units: int = 16,
    n_classes: int = 10, model_seed: int = 0, learning_rate: float = 0.5, momentum: float = 0.0, epochs: int = 3,
) -> None:
    """Check ``student(model, train_ds, val_ds, epochs, optimizer, loss_fn)`` against the reference loop and ``fit``.

    Three copies of the model, with the same weights, train on the same
    unshuffled batches: the student's loop, the reference loop (history and
    weights must agree tightly) and ``model.fit`` (the stated tolerance: losses
    to 1e-4 relative, accuracies exactly).

    Args as ``train_step`` (``seed=None`` uses digits; with a seed, a sample's
    label counts how many of its first ``n_classes - 1`` features are positive), and:
        student: The student's ``train_loop``.
        n_train: Training samples. Defaults to 96.
        n_val: Validation samples. Defaults to 64.
        batch_size: Training batch size. Defaults to 32.
        val_batch_size: Validation batch size. Defaults to 32.
        learning_rate: SGD's learning rate. Defaults to 0.5.
        epochs: Epochs to train. Defaults to 3.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    name = "train_loop"
    (x_train, y_train), (x_val, y_val) = _loop_data(seed, n_train, n_val, n_features, n_classes)
    train = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(batch_size)
    val = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(val_batch_size)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()

    def build() -> keras.Model:
        return probe_model(n_features, hidden_units, n_classes, seed=model_seed)

    def optimizer() -> keras.optimizers.Optimizer:
        return keras.optimizers.SGD(learning_rate, momentum=momentum)

    model = build()
    twin, fitted = _twin(model, build), _twin(model, build)
    got = student(model, train, val, epochs, optimizer(), loss_fn)
    compiled = bool(getattr(model, "compiled", False))
    got_weights = _weights(model)
    want = reference.train_loop(twin, train, val, epochs, optimizer(), loss_fn)
    fitted.compile(optimizer=optimizer(), loss=loss_fn, metrics=["accuracy"])
    fit_history = fitted.fit(train, validation_data=val, epochs=epochs, shuffle=False, verbose=0).history

    check(isinstance(got, dict) and all(k in got for k in HISTORY_KEYS),
          f"{name} should return a dict with the four history keys.", list(HISTORY_KEYS),
          sorted(got) if isinstance(got, dict) else type(got).__name__,
          'Return {"loss": [...], "accuracy": [...], "val_loss": [...], "val_accuracy": [...]}.')
    check(not compiled, f"{name} should train the model with your own loop.",
          "an uncompiled model", "a compiled model", "Do not call model.compile or model.fit: use a GradientTape.")
    for key in HISTORY_KEYS:
        check_equal(np.asarray(got[key], dtype=np.float64).shape, (epochs,),
                    f"{name}: history[{key!r}] should hold one value per epoch.",
                    "Append one float per epoch to each list.")
    for epoch in range(epochs):
        for key in HISTORY_KEYS:
            check_close(float(got[key][epoch]), want[key][epoch],
                        f"{name}: history[{key!r}] at epoch {epoch + 1} differs from the reference loop.",
                        _LOOP_HINTS[key], rtol=1e-4, atol=1e-6)
    for i, (got_w, want_w) in enumerate(zip(got_weights, twin.get_weights())):
        check_close(got_w, want_w, f"{name}: after training, weight tensor {i} differs from the reference loop.",
                    "Train on each batch of train_ds once per epoch and never update on val_ds.", rtol=1e-4, atol=1e-6)
    for key in HISTORY_KEYS:
        check_close(got[key], fit_history[key], f"{name}: history[{key!r}] should agree with model.fit's.",
                    _LOOP_HINTS[key], rtol=1e-4, atol=1e-6 if "accuracy" in key else 1e-5)
