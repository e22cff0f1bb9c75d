"""Checks for notebook 07: a training step, an evaluation step and a training loop written with GradientTape,
a step with regularisation penalties and clipping by global norm, and a ``Model`` overriding ``train_step``.

Each check observes in the kernel and judges from the observation
(``helpers.checks.observed``). It builds a small ``probe_model`` (a frozen
first layer and a layer that computes something different in training mode,
so every part of the recipe shows in the numbers) and runs the student's
function on it. The kernel reports what the function returned (its type and
value), the weights it left behind and the optimizer's update count; the
judge rebuilds the same model and inputs from the arguments, runs the
reference (``helpers.reference.nb07``) and ``model.fit`` itself, and compares.
Without a ``seed`` the inputs are digits; with one, random rows drawn from it.

Exercises 4 (``clipped_train_step``) and 5 (``clipped_model``) have sections
of their own at the end of the module.

Used by notebook 07's test cells, e.g. ``checks.nb07.train_step(train_step)``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from helpers.checks.core import check, check_close, check_equal, fail
from helpers.checks.observed import observed_check
from helpers.checks.plain import returned
from helpers.data import load_digits
from helpers.probes import TrainingProbe, probe_model
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


def _weights(model: keras.Model) -> list[np.ndarray]:
    return [np.array(w, copy=True) for w in model.get_weights()]



def _student_steps(step_fn, model, optimizer, loss_fn, x, y, steps: int) -> list[dict[str, Any]]:
    """Run the student's step ``steps`` times: what each returned and left behind; stop at the first that raised."""
    runs = []
    for _ in range(steps):
        try:
            value = step_fn(model, optimizer, loss_fn, x, y)
        except ValueError as error:
            if "gradient" not in str(error).lower():
                raise
            return [*runs, {"error": "no gradients"}]
        except TypeError as error:
            return [*runs, {"error": f"TypeError: {str(error)[:100]}"}]
        runs.append({"error": None, "returned": returned(value), "after": _weights(model),
                     "iterations": int(optimizer.iterations)})
    return runs


def _reference_steps(model, optimizer, loss_fn, x, y, steps: int) -> list[dict[str, Any]]:
    """For each reference step: the losses before it (training and inference mode), the weights after it, and the
    training-mode loss after it."""
    runs = []
    for _ in range(steps):
        training_loss = float(loss_fn(y, model(x, training=True)))
        inference_loss = float(loss_fn(y, model(x, training=False)))
        reference.train_step(model, optimizer, loss_fn, x, y)
        runs.append({"training_loss": training_loss, "inference_loss": inference_loss, "after": _weights(model),
                     "loss_after_update": float(loss_fn(y, model(x, training=True)))})
    return runs


def _judge_returned(name: str, got: dict[str, Any], before: list[np.ndarray], frozen: list[int]) -> None:
    """Check what every training step must do: run, return a loss tensor, move the weights but not the frozen ones."""
    if got["error"] == "no gradients":
        fail(f"{name}: the tape recorded no gradients.", "a gradient for every trainable variable",
             "no gradients at all", "Run the forward pass and the loss inside `with tf.GradientTape() as tape:`.")
    if got["error"] is not None:
        fail(f"{name} should work when compiled with tf.function.", "a loss tensor", got["error"],
             "Return the loss tensor itself: no float() or .numpy().")
    value, after = got["returned"], [np.asarray(w) for w in got["after"]]
    check(value["array"] is not None and value["array"].size == 1, f"{name} should return the batch's loss.",
          "one number (a scalar tensor)", value["type"], "End with `return loss`.")
    check(value["tensor"] is True, f"{name} should return the loss tensor itself.", "a scalar tf.Tensor",
          value["type"], "Return the loss as computed (no float() or .numpy()), so that tf.function can compile the "
          "step.")
    check_equal([w.shape for w in after], [w.shape for w in before], f"{name}: the model should keep its weights.",
                "Train the model you were given; do not build another.")
    check(any(not np.array_equal(a, b) for a, b in zip(before, after)),
          f"{name} should update the model's weights.", "changed weights", "the same weights as before",
          "Call optimizer.apply_gradients(zip(gradients, model.trainable_variables)).")
    check(all(np.array_equal(before[i], after[i]) for i in frozen),
          f"{name} changed the weights of a frozen layer.", "non-trainable weights untouched",
          "changed non-trainable weights",
          "Take gradients over model.trainable_variables, not model.weights or model.variables.")


def _judge_step(name: str, step: int, got: dict[str, Any], want: dict[str, Any], before: list[np.ndarray],
                frozen: list[int]) -> None:
    """Compare one student step with the same reference step."""
    _judge_returned(name, got, before, frozen)
    value, after = got["returned"], [np.asarray(w) for w in got["after"]]
    got_loss = float(value["array"].reshape(()))
    inference_loss = want["inference_loss"]
    if abs(got_loss - inference_loss) < 1e-6 * max(1.0, abs(inference_loss)):
        hint = "Call the model with training=True inside the tape."
    elif abs(got_loss - want["loss_after_update"]) < 1e-6 * max(1.0, abs(got_loss)):
        hint = "Return the loss computed inside the tape, before apply_gradients, not a loss computed afterwards."
    else:
        hint = "Return loss_fn(y, model(x, training=True)) as computed inside the tape."
    check_close(got_loss, want["training_loss"],
                f"{name}: step {step} should return the batch's loss before the update.", hint, rtol=1e-5, atol=1e-6)
    for i, (got_w, want_w) in enumerate(zip(after, want["after"])):
        check_close(got_w, want_w,
                    f"{name}: after step {step}, weight tensor {i} should match one SGD step of the reference.",
                    "Run model(x, training=True) inside the tape, take the gradients over all of "
                    "model.trainable_variables and apply them all with the optimizer you were given.",
                    rtol=1e-4, atol=1e-6)
    check_equal(got["iterations"], step, f"{name}: the optimizer should have made {step} update(s).",
                "Call optimizer.apply_gradients exactly once per step, on the optimizer passed in.")


def train_step(
    student: Callable[..., Any], *, seed: int | None = None, n_samples: int = 32, n_features: int = 64,
    hidden_units: int = 16, n_classes: int = 10, model_seed: int = 0, learning_rate: float = 0.1,
    momentum: float = 0.0, steps: int = 1, compiled: bool = False,
) -> list[dict[str, Any]]:
    """Check ``student(model, optimizer, loss_fn, x, y)`` against the reference step, step by step.

    The student's steps run on ``probe_model(..., seed=model_seed)`` with a
    new ``SGD(learning_rate, momentum)``; the judge runs the reference steps
    from the same weights on the same batch. After every step the returned
    loss (a tensor, as the text asks), the weights (trainable and frozen) and
    the optimizer's update count must match the reference's.

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
    x, y = _batch("train", n_samples, n_features, n_classes, seed)
    model = probe_model(n_features, hidden_units, n_classes, seed=model_seed)
    step_fn = tf.function(student) if compiled else student
    return _student_steps(step_fn, model, keras.optimizers.SGD(learning_rate, momentum=momentum),
                          keras.losses.SparseCategoricalCrossentropy(), x, y, steps)


@observed_check(train_step)
def train_step(observed, seed=None, n_samples=32, n_features=64, hidden_units=16, n_classes=10, model_seed=0,
               learning_rate=0.1, momentum=0.0, steps=1, compiled=False) -> None:
    name = "tf.function(train_step)" if compiled else "train_step"
    x, y = _batch("train", n_samples, n_features, n_classes, seed)
    model = probe_model(n_features, hidden_units, n_classes, seed=model_seed)
    frozen = [i for i, w in enumerate(model.weights) if not w.trainable]
    before = _weights(model)
    want = _reference_steps(model, keras.optimizers.SGD(learning_rate, momentum=momentum),
                            keras.losses.SparseCategoricalCrossentropy(), x, y, steps)
    check(isinstance(observed, list) and 1 <= len(observed) <= steps, f"{name}: one result per step.", steps,
          len(observed) if isinstance(observed, list) else type(observed).__name__, "Return the loss.")
    for step, (got, want_step) in enumerate(zip(observed, want), start=1):
        _judge_step(name, step, got, want_step, before, frozen)
        before = want_step["after"]
    check_equal(len(observed), steps, f"{name}: every step should run.", "Return the loss of each step.")


def _eval_inputs(seed, n_samples, n_features, n_classes, scale, one_hot):
    x, y = _batch("val", n_samples, n_features, n_classes, seed)
    x = x * scale
    if one_hot:
        return x, keras.utils.to_categorical(y, n_classes), keras.losses.CategoricalCrossentropy()
    return x, y, keras.losses.SparseCategoricalCrossentropy()


def eval_step(
    student: Callable[..., Any], *, seed: int | None = None, n_samples: int = 32, n_features: int = 64,
    hidden_units: int = 16, n_classes: int = 10, model_seed: int = 1, scale: float = 1.0, one_hot: bool = False,
) -> dict[str, Any]:
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
    x, y, loss_fn = _eval_inputs(seed, n_samples, n_features, n_classes, scale, one_hot)
    model = probe_model(n_features, hidden_units, n_classes, seed=model_seed)
    value = student(model, loss_fn, x.copy(), y.copy())
    return {"returned": returned(value), "after": _weights(model)}


@observed_check(eval_step)
def eval_step(observed, seed=None, n_samples=32, n_features=64, hidden_units=16, n_classes=10, model_seed=1,
              scale=1.0, one_hot=False) -> None:
    name = "eval_step with one-hot labels" if one_hot else "eval_step"
    x, y, loss_fn = _eval_inputs(seed, n_samples, n_features, n_classes, scale, one_hot)
    model = probe_model(n_features, hidden_units, n_classes, seed=model_seed)
    before = _weights(model)
    expected = float(reference.eval_step(model, loss_fn, x, y))
    training_loss = float(loss_fn(y, model(x, training=True)))
    value, after = observed["returned"], [np.asarray(w) for w in observed["after"]]
    check(value["array"] is not None and value["array"].size == 1, f"{name} should return the batch's loss.",
          "one number (a scalar tensor)", value["type"], "Return loss_fn(y, predictions).")
    check(len(after) == len(before) and all(a.shape == b.shape and np.array_equal(a, b)
                                            for a, b in zip(before, after)),
          f"{name} should not change any weight.", "the same weights", "changed weights",
          "Evaluation runs the forward pass and the loss only: no tape, no optimizer.")
    got_loss = float(value["array"].reshape(()))
    hint = ("Call the model with training=False." if abs(got_loss - training_loss) < 1e-6
            else "Return loss_fn(y, model(x, training=False)): labels first, predictions second.")
    check_close(got_loss, expected, f"{name} should return the inference-mode loss of the batch.", hint,
                rtol=1e-5, atol=1e-6)


def _loop_data(seed: int | None, n_train: int, n_val: int, n_features: int, n_classes: int):
    """Digits, or random rows labelled by how many of their first ``n_classes - 1`` features are positive."""
    if seed is None:
        data = load_digits()
        return (data.x_train[:n_train], data.y_train[:n_train]), (data.x_val[:n_val], data.y_val[:n_val])
    x = np.random.default_rng(seed).normal(size=(n_train + n_val, n_features)).astype("float32")
    y = sum((x[:, k] > 0).astype("int32") for k in range(n_classes - 1))
    return (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])


def _loop_inputs(seed, n_train, n_val, batch_size, val_batch_size, n_features, n_classes):
    (x_train, y_train), (x_val, y_val) = _loop_data(seed, n_train, n_val, n_features, n_classes)
    train = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(batch_size)
    val = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(val_batch_size)
    return train, val


def _history_data(history: Any) -> dict[str, Any]:
    """The returned history as plain data: its type, and for each key the type and values of its list."""
    if not isinstance(history, dict):
        return {"dict": False, "type": type(history).__name__}
    return {"dict": True, "type": "dict",
            "values": {str(key): returned(list(values) if isinstance(values, (list, tuple)) else values)
                       for key, values in history.items()},
            "list_keys": [str(key) for key, values in history.items() if isinstance(values, list)],
            "plain_numbers": [str(key) for key, values in history.items() if isinstance(values, (list, tuple))
                              and all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
                                      for v in values)]}


def train_loop(
    student: Callable[..., Any], *, seed: int | None = None, n_train: int = 96, n_val: int = 64,
    batch_size: int = 32, val_batch_size: int = 32, n_features: int = 64, hidden_units: int = 16,
    n_classes: int = 10, model_seed: int = 0, learning_rate: float = 0.5, momentum: float = 0.0, epochs: int = 3,
) -> dict[str, Any]:
    """Check ``student(model, train_ds, val_ds, epochs, optimizer, loss_fn)`` against the reference loop and ``fit``.

    The student's loop trains ``probe_model(..., seed=model_seed)`` on
    unshuffled batches; the kernel reports the history it returned, whether
    the model got compiled, the weights left and the optimizer's update count.
    The judge trains the same model with the reference loop (history and
    weights must agree tightly) and with ``model.fit`` (the stated tolerance:
    losses to 1e-4 relative, accuracies to float32 round-off).

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
    train, val = _loop_inputs(seed, n_train, n_val, batch_size, val_batch_size, n_features, n_classes)
    model = probe_model(n_features, hidden_units, n_classes, seed=model_seed)
    optimizer = keras.optimizers.SGD(learning_rate, momentum=momentum)
    history = student(model, train, val, epochs, optimizer, keras.losses.SparseCategoricalCrossentropy())
    return {"history": _history_data(history), "compiled": bool(getattr(model, "compiled", False)),
            "weights": _weights(model), "iterations": int(optimizer.iterations)}


@observed_check(train_loop)
def train_loop(observed, seed=None, n_train=96, n_val=64, batch_size=32, val_batch_size=32, n_features=64,
               hidden_units=16, n_classes=10, model_seed=0, learning_rate=0.5, momentum=0.0, epochs=3) -> None:
    name = "train_loop"
    train, val = _loop_inputs(seed, n_train, n_val, batch_size, val_batch_size, n_features, n_classes)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()

    def build() -> keras.Model:
        return probe_model(n_features, hidden_units, n_classes, seed=model_seed)

    def optimizer() -> keras.optimizers.Optimizer:
        return keras.optimizers.SGD(learning_rate, momentum=momentum)

    twin, fitted = build(), build()
    want = reference.train_loop(twin, train, val, epochs, optimizer(), loss_fn)
    fitted.compile(optimizer=optimizer(), loss=loss_fn, metrics=["accuracy"])
    fit_history = fitted.fit(train, validation_data=val, epochs=epochs, shuffle=False, verbose=0).history
    history = observed["history"]
    keys = sorted(history.get("values", {})) if history["dict"] else history["type"]
    check(history["dict"] is True and all(k in history["values"] for k in HISTORY_KEYS),
          f"{name} should return a dict with the four history keys.", list(HISTORY_KEYS), keys,
          'Return {"loss": [...], "accuracy": [...], "val_loss": [...], "val_accuracy": [...]}.')
    check(observed["compiled"] is False, f"{name} should train the model with your own loop.",
          "an uncompiled model", "a compiled model", "Do not call model.compile or model.fit: use a GradientTape.")
    got = {}
    for key in HISTORY_KEYS:
        values = history["values"][key]
        check(key in history["list_keys"] and values["array"] is not None and values["array"].shape == (epochs,),
              f"{name}: history[{key!r}] should be a list of one number per epoch.", f"a list of {epochs} floats",
              values["type"] if values["array"] is None else f"{values['type']} of shape {values['array'].shape}",
              "Append one float per epoch to each list.")
        check(key in history.get("plain_numbers", []), f"{name}: history[{key!r}] should hold Python or NumPy floats.",
              "floats", "tensors or other objects", "Append float(metric.result()): result() returns a tensor.")
        got[key] = values["array"].astype(np.float64)
    for epoch in range(epochs):
        for key in HISTORY_KEYS:
            check_close(got[key][epoch], want[key][epoch],
                        f"{name}: history[{key!r}] at epoch {epoch + 1} differs from the reference loop.",
                        _LOOP_HINTS[key], rtol=1e-4, atol=1e-6)
    for i, (got_w, want_w) in enumerate(zip(observed["weights"], twin.get_weights())):
        check_close(got_w, want_w, f"{name}: after training, weight tensor {i} differs from the reference loop.",
                    "Train on each batch of train_ds once per epoch and never update on val_ds.", rtol=1e-4, atol=1e-6)
    for key in HISTORY_KEYS:
        check_close(got[key], fit_history[key], f"{name}: history[{key!r}] should agree with model.fit's.",
                    _LOOP_HINTS[key], rtol=1e-4, atol=1e-6 if "accuracy" in key else 1e-5)


# --- Exercise 4: clipped_train_step (regularisation penalties and gradient clipping by global norm) ---------------

#: How a step can go wrong, as the judge re-runs it to name the mistake: variant -> hint.
_CLIP_MISTAKES = {
    "no penalties": "Add sum(model.losses) to the loss inside the tape: the gradients must include the "
                    "regularisation penalties.",
    "per tensor": "Clip all the gradients together with tf.clip_by_global_norm(gradients, max_norm); clipping each "
                  "tensor on its own (tf.clip_by_norm, clipnorm) changes their direction.",
    "unclipped": "Clip the gradients with tf.clip_by_global_norm(gradients, max_norm) before apply_gradients.",
}
_CLIP_HINT = ("Inside the tape: model(x, training=True), then loss_fn(y, predictions) + sum(model.losses); "
              "clip the gradients over model.trainable_variables with tf.clip_by_global_norm; apply them once.")


def _clip_setup(seed, n_samples, n_features, hidden_units, n_classes, model_seed, l2, clip_ratio):
    """The batch, a fresh probe model, the loss and ``max_norm``: ``clip_ratio`` times the first step's global norm.

    Tying ``max_norm`` to the gradients' own norm makes clipping active (ratio < 1) or not (ratio > 1) for any seed.
    """
    x, y = _batch("train", n_samples, n_features, n_classes, seed)
    model = probe_model(n_features, hidden_units, n_classes, seed=model_seed, l2=l2)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    norm = float(tf.linalg.global_norm(tape.gradient(loss, model.trainable_variables)))
    return x, y, model, loss_fn, float(f"{clip_ratio * norm:.6g}")


def _mistaken_step(model, optimizer, loss_fn, x, y, max_norm, mistake: str) -> None:
    """One step of the reference with one of ``_CLIP_MISTAKES`` made, to name a student's mistake."""
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
        if mistake != "no penalties":
            loss = loss + sum(model.losses)
    gradients = tape.gradient(loss, model.trainable_variables)
    if mistake == "per tensor":
        gradients = [tf.clip_by_norm(g, max_norm) for g in gradients]
    elif mistake != "unclipped":
        gradients, _ = tf.clip_by_global_norm(gradients, max_norm)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))


def _clip_hint(after: list[np.ndarray], build: Callable[[], tuple], step: int) -> str:
    """The hint for weights that differ from the reference's: the mistake whose step gives them, if any."""
    if step == 1:
        for mistake, hint in _CLIP_MISTAKES.items():
            model, optimizer, loss_fn, x, y, max_norm = build()
            _mistaken_step(model, optimizer, loss_fn, x, y, max_norm, mistake)
            if all(np.allclose(a, b, rtol=1e-4, atol=1e-6) for a, b in zip(after, model.get_weights())):
                return hint
    return _CLIP_HINT


def clipped_train_step(
    student: Callable[..., Any], *, seed: int | None = None, n_samples: int = 32, n_features: int = 64,
    hidden_units: int = 16, n_classes: int = 10, model_seed: int = 0, l2: float = 0.01, clip_ratio: float = 0.5,
    learning_rate: float = 0.1, momentum: float = 0.0, steps: int = 2, compiled: bool = False,
) -> list[dict[str, Any]]:
    """Check ``student(model, optimizer, loss_fn, x, y, max_norm)`` against the reference, step by step.

    The model is ``probe_model(..., l2=l2)``: with ``l2 > 0`` its trainable
    layers carry L2 kernel regularisers. ``max_norm`` is ``clip_ratio`` times
    the global norm of the first step's gradients, so clipping is active
    below 1 and not above. After every step the returned total loss (a
    tensor), every weight and the optimizer's update count must match the
    reference's; the judge names the mistake (penalties left out, each tensor
    clipped on its own, no clipping) when the weights show one.

    Args as ``train_step``, and:
        student: The student's ``clipped_train_step``.
        l2: L2 factor of the kernel regularisers, 0 for none. Defaults to 0.01.
        clip_ratio: ``max_norm`` over the first step's global gradient norm. Defaults to 0.5.
        steps: How many steps in a row. Defaults to 2.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    x, y, model, loss_fn, max_norm = _clip_setup(seed, n_samples, n_features, hidden_units, n_classes, model_seed,
                                                 l2, clip_ratio)
    step_fn = tf.function(student) if compiled else student
    return _student_steps(lambda *args: step_fn(*args, max_norm), model,
                          keras.optimizers.SGD(learning_rate, momentum=momentum), loss_fn, x, y, steps)


@observed_check(clipped_train_step)
def clipped_train_step(observed, seed=None, n_samples=32, n_features=64, hidden_units=16, n_classes=10,
                       model_seed=0, l2=0.01, clip_ratio=0.5, learning_rate=0.1, momentum=0.0, steps=2,
                       compiled=False) -> None:
    name = "tf.function(clipped_train_step)" if compiled else "clipped_train_step"

    def build() -> tuple:
        x, y, model, loss_fn, max_norm = _clip_setup(seed, n_samples, n_features, hidden_units, n_classes,
                                                     model_seed, l2, clip_ratio)
        return model, keras.optimizers.SGD(learning_rate, momentum=momentum), loss_fn, x, y, max_norm

    model, optimizer, loss_fn, x, y, max_norm = build()
    frozen = [i for i, w in enumerate(model.weights) if not w.trainable]
    before = _weights(model)
    check(isinstance(observed, list) and 1 <= len(observed) <= steps, f"{name}: one result per step.", steps,
          len(observed) if isinstance(observed, list) else type(observed).__name__, "Return the loss.")
    for step, got in enumerate(observed, start=1):
        data_loss = float(loss_fn(y, model(x, training=True)))
        total_loss = float(reference.clipped_train_step(model, optimizer, loss_fn, x, y, max_norm))
        want = _weights(model)
        _judge_returned(name, got, before, frozen)
        got_loss = float(got["returned"]["array"].reshape(()))
        penalties_left_out = abs(got_loss - data_loss) < 1e-6 < abs(total_loss - data_loss)
        check_close(got_loss, total_loss, f"{name}: step {step} should return the batch's total loss before the "
                    "update.", "Return loss_fn(y, predictions) + sum(model.losses) as computed inside the tape."
                    if penalties_left_out else _CLIP_HINT, rtol=1e-5, atol=1e-6)
        after = [np.asarray(w) for w in got["after"]]
        if not all(np.allclose(a, b, rtol=1e-4, atol=1e-6) for a, b in zip(after, want)):
            fail(f"{name}: after step {step}, the weights should match the reference's clipped, regularised step.",
                 "the reference's weights", "other weights", _clip_hint(after, build, step))
        check_equal(got["iterations"], step, f"{name}: the optimizer should have made {step} update(s).",
                    "Call optimizer.apply_gradients exactly once per step, on the optimizer passed in.")
        before = want
    check_equal(len(observed), steps, f"{name}: every step should run.", "Return the loss of each step.")


# --- Exercise 5: ClippedModel (a train_step override that keeps fit) ----------------------------------------------

_MODEL_HINT = ("In train_step: y_pred = self(x, training=True) inside the tape, loss = self.compute_loss(x=x, y=y, "
               "y_pred=y_pred), clip the gradients with tf.clip_by_global_norm(gradients, self.max_norm), then "
               "self.optimizer.apply(gradients, self.trainable_variables).")
_MODEL_LOG_HINTS = {
    "loss": "Update the metric named 'loss' with the loss from self.compute_loss (it adds self.losses), "
            "and return {m.name: m.result() for m in self.metrics}.",
    "accuracy": "Update the other metrics with (y, y_pred), the predictions made inside the tape.",
}


def _fit_clipped(model_class, seed, n_train, n_val, batch_size, n_features, hidden_units, n_classes, model_seed,
                 l2, max_norm, learning_rate, epochs, eager):
    """Build the probe network as ``model_class(inputs, outputs)``, fit it, and return it with its history."""
    (x_train, y_train), (x_val, y_val) = _loop_data(seed, n_train, n_val, n_features, n_classes)
    keras.utils.set_random_seed(model_seed)
    penalty = keras.regularizers.L2(l2) if l2 > 0 else None
    inputs = keras.Input(shape=(n_features,), name="features")
    frozen = keras.layers.Dense(hidden_units, activation="tanh", name="frozen", trainable=False)(inputs)
    hidden = keras.layers.Dense(hidden_units, activation="relu", kernel_regularizer=penalty, name="hidden")(frozen)
    probed = TrainingProbe(0.5, name="probe")(hidden)
    outputs = keras.layers.Dense(n_classes, activation="softmax", kernel_regularizer=penalty, name="classifier")(probed)
    model = model_class(inputs, outputs)
    model.max_norm = max_norm
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=["accuracy"], run_eagerly=eager, jit_compile=False)
    history = model.fit(x_train, y_train, validation_data=(x_val, y_val), batch_size=batch_size, epochs=epochs,
                        shuffle=False, verbose=0)
    return model, history.history


def clipped_model(
    student: Any, *, seed: int | None = None, n_train: int = 96, n_val: int = 32, batch_size: int = 32,
    n_features: int = 64, hidden_units: int = 16, n_classes: int = 10, model_seed: int = 0, l2: float = 0.01,
    max_norm: float = 0.1, learning_rate: float = 0.5, epochs: int = 2, eager: bool = False,
) -> dict[str, Any]:
    """Check the class ``student`` (a ``keras.Model`` overriding ``train_step``) by fitting it like the reference.

    The kernel builds the probe network (a frozen layer, L2 penalties when
    ``l2 > 0``, a ``TrainingProbe``) as ``student(inputs, outputs)``, sets
    ``max_norm``, compiles it with SGD and accuracy, fits it on unshuffled
    batches with validation, and reports the history and the weights. The
    judge fits ``helpers.reference.nb07.ClippedModel`` the same way: every
    history entry and every weight must agree (1e-4 relative).

    Args as ``train_loop``, and:
        student: The student's ``ClippedModel`` class.
        l2: L2 factor of the kernel regularisers, 0 for none. Defaults to 0.01.
        max_norm: The model's ``max_norm``. Defaults to 0.1 (clipping active).
        eager: Compile with ``run_eagerly=True``. Defaults to ``False``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    if not (isinstance(student, type) and issubclass(student, keras.Model)):
        return {"error": f"a {type(student).__name__}, not a keras.Model subclass"}
    model, history = _fit_clipped(student, seed, n_train, n_val, batch_size, n_features, hidden_units, n_classes,
                                  model_seed, l2, max_norm, learning_rate, epochs, eager)
    return {"error": None, "history": _history_data(history), "weights": _weights(model),
            "iterations": int(model.optimizer.iterations)}


@observed_check(clipped_model)
def clipped_model(observed, seed=None, n_train=96, n_val=32, batch_size=32, n_features=64, hidden_units=16,
                  n_classes=10, model_seed=0, l2=0.01, max_norm=0.1, learning_rate=0.5, epochs=2,
                  eager=False) -> None:
    name = "ClippedModel" + (" (run eagerly)" if eager else "")
    check(observed["error"] is None, f"{name} should be a class that extends keras.Model.", "class ClippedModel("
          "keras.Model)", observed["error"], "Define `class ClippedModel(keras.Model):` with a train_step method.")
    model, want = _fit_clipped(reference.ClippedModel, seed, n_train, n_val, batch_size, n_features, hidden_units,
                               n_classes, model_seed, l2, max_norm, learning_rate, epochs, eager)
    check_equal(observed["iterations"], int(model.optimizer.iterations),
                f"{name}: the optimizer should make one update per batch.", "Call self.optimizer.apply once per step.")
    for i, (got_w, want_w) in enumerate(zip(observed["weights"], model.get_weights())):
        check_close(got_w, want_w, f"{name}: after fit, weight tensor {i} differs from the reference's.", _MODEL_HINT,
                    rtol=1e-4, atol=1e-6)
    history = observed["history"]
    for key in HISTORY_KEYS:
        values = history["values"].get(key) if history["dict"] else None
        check(values is not None and values["array"] is not None and values["array"].shape == (epochs,),
              f"{name}: fit's history should have {key!r}, one number per epoch.", f"{epochs} numbers",
              "missing" if values is None else values["type"], _MODEL_LOG_HINTS["accuracy" if "acc" in key else "loss"])
        check_close(values["array"], want[key], f"{name}: fit's history[{key!r}] differs from the reference's.",
                    _MODEL_LOG_HINTS["accuracy"] if key == "accuracy" else
                    _MODEL_HINT if key.startswith("val") else _MODEL_LOG_HINTS["loss"], rtol=1e-4, atol=1e-6)
