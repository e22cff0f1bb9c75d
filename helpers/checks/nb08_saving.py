"""Checks for notebook 08's checkpoint exercise: the best epoch's model, saved by ``ModelCheckpoint``, read back.

``train_with_checkpoint`` hands the student's function a small compiled model,
seeded data and an empty folder inside a ``tempfile.TemporaryDirectory`` (so
nothing is left in the course or the student's folder). The kernel reports
where the returned path points, how many epochs ran (the model's optimizer
counts one step per epoch: the data fit in one batch) and the predictions of
the file reloaded with ``keras.models.load_model``. The judge trains the same
model from the same initial weights on the same data itself, finds the best
epoch with the early-stopping rule (``helpers.reference.nb08.stop_point``) and
compares.

Re-exported by ``helpers.checks.nb08``: test cells call
``checks.nb08.train_with_checkpoint(train_with_checkpoint)``.
"""
from __future__ import annotations

import functools
from os import PathLike, mkdir
from os.path import join
import tempfile
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from helpers.checks.core import check, check_equal, fail
from helpers.checks.observed import observed_check
from helpers.quiet import import_tensorflow
from helpers.reference import nb08 as reference

tf = import_tensorflow()
keras = tf.keras

#: ``(data_seed, model_seed, patience, epochs)``: the validation loss is lowest at epoch 2, training stops after 4.
_VISIBLE = ((2, 2, 2, 12),)
FEATURES, CLASSES, EXAMPLES = 6, 3, 16
#: Two validation losses closer than this are a tie the kernel and the judge may break differently.
_TIE = 1e-5


def checkpoint_data(data_seed: int) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """``((x, y), (x_val, y_val))``: 16 training and 16 validation examples, 6 features, 3 noisy classes."""
    rng = np.random.default_rng(data_seed)
    mixing = rng.normal(size=(FEATURES, CLASSES))
    x = rng.normal(size=(2 * EXAMPLES, FEATURES)).astype("float32")
    y = np.argmax(x @ mixing + rng.normal(scale=1.5, size=(2 * EXAMPLES, CLASSES)), axis=1).astype("int32")
    return (x[:EXAMPLES], y[:EXAMPLES]), (x[EXAMPLES:], y[EXAMPLES:])


@functools.lru_cache(maxsize=1)
def _model() -> keras.Model:
    model = keras.Sequential([keras.Input(shape=(FEATURES,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(CLASSES, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(0.3), loss="sparse_categorical_crossentropy")
    return model


def checkpoint_model(model_seed: int) -> keras.Model:
    """The check's compiled model, its initial weights drawn with NumPy from ``model_seed``, its step count at 0.

    One model serves every case (``fit`` traces once); its weights never
    depend on Keras's own random state, so the kernel and the judge start
    from the same ones.
    """
    model = _model()
    rng = np.random.default_rng(model_seed)
    model.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32") for w in model.get_weights()])
    model.optimizer.iterations.assign(0)
    model.stop_training = False
    return model


@functools.lru_cache(maxsize=32)
def reference_run(data_seed: int, model_seed: int, epochs: int) -> tuple[tuple[float, ...], tuple[np.ndarray, ...]]:
    """The validation loss, and the predictions on ``x_val``, of the model at the end of each of ``epochs`` epochs.

    The judge's own run: ``fit``'s arithmetic (one full-batch SGD step per
    epoch on the mean cross-entropy, then the validation loss) written as a
    plain loop, which is many times quicker than ``fit`` for a model this
    small. ``tests/helpers/checks/test_nb08_saving.py`` checks that it
    matches ``fit``.
    """
    (x, y), (x_val, y_val) = checkpoint_data(data_seed)
    model = checkpoint_model(model_seed)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    learning_rate = float(model.optimizer.learning_rate)
    val_losses, predictions = [], []
    for _ in range(epochs):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        for variable, gradient in zip(model.trainable_variables, gradients):
            variable.assign(variable - learning_rate * gradient)
        predicted = model(x_val)
        val_losses.append(float(loss_fn(y_val, predicted)))
        predictions.append(predicted.numpy())
    return tuple(val_losses), tuple(predictions)


def fit_run(data_seed: int, model_seed: int, epochs: int) -> tuple[list[float], list[np.ndarray]]:
    """``reference_run`` done by ``fit`` itself: what the student's code runs (used by the tests)."""
    (x, y), (x_val, y_val) = checkpoint_data(data_seed)
    model = checkpoint_model(model_seed)
    predictions: list[np.ndarray] = []
    record = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: predictions.append(model(x_val).numpy()))
    history = model.fit(x, y, validation_data=(x_val, y_val), epochs=epochs, verbose=0, callbacks=[record])
    return [float(v) for v in history.history["val_loss"]], predictions


def checkpoint_cases(cases: Sequence[tuple] | None, seed: int | None) -> list[tuple[int, int, int, int]]:
    """``(data_seed, model_seed, patience, epochs)``: the given (or visible) cases, then two drawn from ``seed``.

    Drawn cases: new data and initial weights, ``patience`` 0 to 3, 3 to 6 epochs (short, to keep the notebook quick).
    """
    given = cases if cases is not None else (() if seed is not None else _VISIBLE)
    chosen = [tuple(int(v) for v in c) for c in given]
    if seed is not None:
        rng = np.random.default_rng(seed)
        chosen += [(int(rng.integers(0, 2**16)), int(rng.integers(0, 2**16)), int(rng.integers(0, 4)),
                    int(rng.integers(3, 7))) for _ in range(2)]
    return chosen


def _files(folder: str) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*") if p.is_file())


def _read_back(path: Path, x_val: np.ndarray) -> dict[str, Any]:
    try:
        reloaded = keras.models.load_model(path)
    except Exception as error:  # noqa: BLE001 - any failure to load is the observation
        return {"load_error": f"{type(error).__name__}: {str(error)[:160]}"}
    optimizer = getattr(reloaded, "optimizer", None)
    return {"load_error": None, "predictions": np.asarray(reloaded(x_val).numpy(), dtype="float32"),
            "saved_steps": int(optimizer.iterations) if optimizer is not None else -1}


def _observe_case(student: Callable[..., Any], data_seed: int, model_seed: int, patience: int,
                  epochs: int) -> dict[str, Any]:
    (x, y), (x_val, y_val) = checkpoint_data(data_seed)
    model = checkpoint_model(model_seed)
    with tempfile.TemporaryDirectory() as root:
        folder = join(root, "checkpoints")
        mkdir(folder)
        returned = student(model, (x.copy(), y.copy()), (x_val.copy(), y_val.copy()), folder, patience, epochs)
        got: dict[str, Any] = {"type": type(returned).__name__, "steps": int(model.optimizer.iterations),
                               "files": _files(folder), "pathlike": isinstance(returned, (str, PathLike))}
        if got["pathlike"]:
            path = Path(returned)
            got["inside"] = Path(folder).resolve() in path.resolve().parents
            got["suffix"], got["exists"] = path.suffix, path.is_file()
            if got["exists"]:
                got.update(_read_back(path, x_val))
    return got


def train_with_checkpoint(student: Callable[..., Any], cases: Sequence[tuple] | None = None, *,
                          seed: int | None = None) -> list[dict[str, Any]]:
    """Check that ``student(model, train, val, folder, patience, epochs)`` returns the best epoch's saved model.

    Args:
        student: The student's ``train_with_checkpoint``.
        cases: ``(data_seed, model_seed, patience, epochs)`` tuples. Defaults
            to the visible case, or to none when ``seed`` is given.
        seed: Add two cases drawn from it (``checkpoint_cases``). Defaults to ``None``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    return [_observe_case(student, *case) for case in checkpoint_cases(cases, seed)]


def _near_ties(values: Sequence[float]) -> bool:
    return any(abs(a - b) < _TIE for i, a in enumerate(values) for b in values[i + 1:])


def _which_epoch(predictions: np.ndarray, per_epoch: Sequence[np.ndarray]) -> int | None:
    for epoch, expected in enumerate(per_epoch):
        if np.shape(predictions) == np.shape(expected) and np.allclose(predictions, expected, atol=1e-4):
            return epoch
    return None


def _judge_case(got: dict[str, Any], data_seed: int, model_seed: int, patience: int, epochs: int) -> None:
    name = f"train_with_checkpoint(model, train, val, folder, patience={patience}, epochs={epochs}) on data {data_seed}"
    check(got["pathlike"] is True, f"{name} should return the path of the saved file.", "a str or pathlib.Path",
          got["type"], "Return the path you gave ModelCheckpoint, e.g. os.path.join(folder, 'best.keras').")
    check(got["inside"] is True, f"{name}: the file should be inside `folder`.", "a path inside folder",
          "a path elsewhere", "Build the path from the folder argument: os.path.join(folder, 'best.keras').")
    check_equal(got["suffix"], ".keras", f"{name}: the file name should end in .keras.",
                "Keras 3 saves a whole model (architecture, weights, optimizer) only to a .keras file.")
    check(got["exists"] is True, f"{name}: nothing was saved at the returned path.", "a file", f"files {got['files']}",
          "Give ModelCheckpoint this path and pass the callback to fit(callbacks=[...]).")
    if got["load_error"] is not None:
        fail(f"{name}: keras.models.load_model could not read the file.", "a whole saved model", got["load_error"],
             "Save the whole model: leave save_weights_only at False.")
    val_losses, per_epoch = reference_run(data_seed, model_seed, epochs)
    ran, best = reference.stop_point(val_losses, patience)
    ties = _near_ties(val_losses[:ran])
    if not ties:
        check_equal(got["steps"], ran, f"{name}: epochs run (the model's optimizer steps, one per epoch)",
                    f"Stop with EarlyStopping(monitor='val_loss', patience={patience}); keep fit's default "
                    f"batch size, so that each epoch is one step.")
    lowest = min(val_losses[:ran])
    allowed = {e for e in range(ran) if val_losses[e] <= lowest + _TIE} if ties else {best}
    saved = _which_epoch(got["predictions"], per_epoch)
    hint = ("Pass save_best_only=True and monitor='val_loss' to ModelCheckpoint: it then writes the file only when "
            "the validation loss improves." if saved is not None and saved != best
            else "Train the model you were given, on train, validating on val, for at most `epochs` epochs.")
    check(saved in allowed, f"{name}: the reloaded model should predict like the model at the epoch with the lowest "
          f"validation loss.", f"the model of epoch {best + 1}",
          f"the model of epoch {saved + 1}" if saved is not None else "another model", hint)


@observed_check(train_with_checkpoint)
def train_with_checkpoint(observed, cases=None, seed=None) -> None:
    chosen = checkpoint_cases(cases, seed)
    check(isinstance(observed, list) and len(observed) == len(chosen), "train_with_checkpoint: one result per case.",
          len(chosen), len(observed) if isinstance(observed, list) else type(observed).__name__, "Run each case once.")
    for got, case in zip(observed, chosen):
        _judge_case(got, *case)
