"""Notebook 08's tests judged in-process: wrong early-stopping code is rejected, differently written right code accepted."""
from __future__ import annotations

from pathlib import Path

from autograder.paths import REPO
from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "08-early-stopping"
CKPT = "08_train_with_checkpoint"
UNTIL = "08_epochs_until_stop"
CALLBACK = "08_patience_stopping"


# train_with_checkpoint: the reference with one marked part changed.
CKPT_TEMPLATE = '''
def train_with_checkpoint(model, train, val, folder, patience, epochs):
    path = <PATH>
    callbacks = [<STOPPER>,
                 keras.callbacks.ModelCheckpoint(path, <CHECKPOINT>)]
    model.fit(*train, validation_data=<VAL>, epochs=<EPOCHS>, callbacks=callbacks, verbose=0)
    return <RETURN>
'''
CKPT_PARTS = {"<PATH>": 'os.path.join(folder, "best.keras")',
              "<STOPPER>": 'keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience)',
              "<CHECKPOINT>": 'monitor="val_loss", save_best_only=True', "<VAL>": "val", "<EPOCHS>": "epochs",
              "<RETURN>": "path"}


def checkpoint(**changes: str) -> str:
    source = CKPT_TEMPLATE
    for key, default in CKPT_PARTS.items():
        source = source.replace(key, changes.get(key.strip("<>"), default))
    return source


# epochs_until_stop: the reference with one marked part changed.
UNTIL_TEMPLATE = '''
def epochs_until_stop(val_losses, patience, min_delta):
    best, wait = None, 0
    for epoch, loss in enumerate(val_losses):
        if best is None or <IMPROVES>:
            <BEST_UPDATE>
        else:
            wait += 1
            if <STOP>:
                return <RESULT>
    return len(val_losses)
'''
UNTIL_PARTS = {"<IMPROVES>": "loss < best - min_delta", "<BEST_UPDATE>": "best, wait = loss, 0",
               "<STOP>": "wait >= patience", "<RESULT>": "epoch + 1"}


def until(**changes: str) -> str:
    source = UNTIL_TEMPLATE
    for key, default in UNTIL_PARTS.items():
        source = source.replace(key, changes.get(key.strip("<>"), default))
    return source


# PatienceStopping: the reference class with one marked part changed.
CLASS_TEMPLATE = '''
class PatienceStopping(keras.callbacks.Callback):
    def __init__(self, monitor="val_loss", patience=0, min_delta=0.0, mode="min", restore_best_weights=False):
        super().__init__()
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.monitor = monitor
        self.patience = patience
        self.min_delta = abs(min_delta)
        self.mode = mode
        self.restore_best_weights = restore_best_weights
        <INIT_STATE>

    def on_train_begin(self, logs=None):
        <RESET>

    def on_epoch_end(self, epoch, logs=None):
        value = <VALUE>
        if self.best is None:
            improved = True
        elif <MIN_BRANCH>:
            improved = <MIN_TEST>
        else:
            improved = value > self.best + self.min_delta
        if improved:
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if <SAVE>:
                self.best_weights = self.model.get_weights()
        else:
            self.wait += 1
            if <STOP>:
                <STOP_ACTION>

    def on_train_end(self, logs=None):
        <RESTORE>
'''
STATE = "self.best, self.best_epoch, self.best_weights, self.wait = None, None, None, 0"
CLASS_PARTS = {
    "<INIT_STATE>": "pass",
    "<RESET>": STATE,
    "<VALUE>": "logs[self.monitor]",
    "<MIN_BRANCH>": 'self.mode == "min"',
    "<MIN_TEST>": "value < self.best - self.min_delta",
    "<SAVE>": "self.restore_best_weights",
    "<STOP>": "self.wait >= self.patience",
    "<STOP_ACTION>": "self.model.stop_training = True",
    "<RESTORE>": "if self.restore_best_weights and self.best_weights is not None:\n"
               "            self.model.set_weights(self.best_weights)",
}


def callback(**changes: str) -> str:
    source = CLASS_TEMPLATE
    for key, default in CLASS_PARTS.items():
        source = source.replace(key, changes.get(key.strip("<>"), default))
    return source


WRONG = {
    CKPT: {
        "saves every epoch (save_best_only left out)": checkpoint(CHECKPOINT='monitor="val_loss"'),
        "checkpoint on the training loss": checkpoint(CHECKPOINT='monitor="loss", save_best_only=True'),
        "no early stopping": checkpoint(STOPPER='keras.callbacks.TerminateOnNaN()'),
        "off-by-one patience": checkpoint(
            STOPPER='keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience + 1)'),
        "early stopping on the training loss": checkpoint(
            STOPPER='keras.callbacks.EarlyStopping(monitor="loss", patience=patience)'),
        "weights only, to a .weights.h5 file": checkpoint(
            PATH='os.path.join(folder, "best.weights.h5")',
            CHECKPOINT='monitor="val_loss", save_best_only=True, save_weights_only=True'),
        "a fixed 20 epochs": checkpoint(EPOCHS="20"),
        "validates on the training data": checkpoint(VAL="train"),
        "returns the folder, not the file": checkpoint(RETURN="folder"),
        "saves next to `folder`, not inside it": checkpoint(PATH='os.path.join(os.path.dirname(folder), "best.keras")'),
        "saves the last model by hand after fit": '''
def train_with_checkpoint(model, train, val, folder, patience, epochs):
    stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience)
    model.fit(*train, validation_data=val, epochs=epochs, callbacks=[stopper], verbose=0)
    path = os.path.join(folder, "best.keras")
    model.save(path)
    return path
''',
    },
    UNTIL: {
        "off-by-one patience (wait > patience)": until(STOP="wait > patience"),
        "min_delta ignored": until(IMPROVES="loss < best"),
        "min_delta added the wrong way": until(IMPROVES="loss < best + min_delta"),
        "'>' where '<' is meant for a loss": until(IMPROVES="loss > best - min_delta"),
        "equal values count as improvements": until(IMPROVES="loss <= best - min_delta"),
        "0-based epoch index returned": until(RESULT="epoch"),
        "best follows every lower value, even within min_delta": until().replace(
            "        else:\n            wait += 1",
            "        else:\n            best = min(best, loss)\n            wait += 1"),
        "wait never reset (counts all non-improving epochs)": until(BEST_UPDATE="best = loss"),
        "compares with the previous epoch, not the best": '''
def epochs_until_stop(val_losses, patience, min_delta):
    wait = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[epoch - 1] - min_delta:
            wait = 0
        else:
            wait += 1
            if wait >= patience:
                return epoch + 1
    return len(val_losses)
''',
        "returns None when training never stops": until().replace("    return len(val_losses)\n", "    return None\n"),
    },
    CALLBACK: {
        "off-by-one patience": callback(STOP="self.wait > self.patience"),
        "no reset between fits (state set in __init__ only)": callback(INIT_STATE=STATE, RESET="pass"),
        "reset forgets the best weights only": callback(INIT_STATE=STATE, RESET="self.best_weights = None"),
        "'>' where '<' is meant for a loss": callback(MIN_TEST="value > self.best + self.min_delta"),
        "mode 'max' ignored": callback(MIN_BRANCH="True"),
        "min_delta ignored": callback(MIN_TEST="value < self.best").replace(
            "value > self.best + self.min_delta", "value > self.best"),
        "best weights not restored": callback(RESTORE="pass"),
        "best weights saved and restored even when restore_best_weights=False": callback(
            SAVE="True", RESTORE="if self.best_weights is not None:\n            self.model.set_weights(self.best_weights)"),
        "restores only when training stopped early": callback(
            RESTORE="if self.restore_best_weights and self.best_weights is not None and self.model.stop_training:\n"
                    "            self.model.set_weights(self.best_weights)"),
        "stopping on the training loss": callback(VALUE='logs["loss"]'),
        "stop_training never set": callback(STOP_ACTION="self.stopped_epoch = epoch"),
        "restores the weights of the stopping epoch": callback(
            STOP_ACTION="self.model.stop_training = True\n                self.best_weights = self.model.get_weights()"),
    },
}

RIGHT = {
    CKPT: {
        "pathlib, tf.keras, restore_best_weights, fit's keywords": '''
import pathlib


def train_with_checkpoint(model, train, val, folder, patience, epochs):
    target = pathlib.Path(folder) / "checkpoint.keras"
    x, y = train
    model.fit(x=x, y=y, batch_size=32, epochs=epochs, validation_data=val, verbose=0, shuffle=False, callbacks=[
        tf.keras.callbacks.ModelCheckpoint(filepath=str(target), save_best_only=True, mode="min"),
        tf.keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True),
    ])
    return target
''',
        "one file per epoch, the best chosen from the history": '''
def train_with_checkpoint(model, train, val, folder, patience, epochs):
    template = os.path.join(folder, "epoch_{epoch:02d}.keras")
    history = model.fit(train[0], train[1], validation_data=(val[0], val[1]), epochs=epochs, verbose=0,
                        callbacks=[keras.callbacks.EarlyStopping(patience=patience),
                                   keras.callbacks.ModelCheckpoint(template)])
    best = int(np.argmin(history.history["val_loss"]))
    return template.format(epoch=best + 1)
''',
    },
    UNTIL: {
        "index loop with a best-epoch counter": '''
def epochs_until_stop(val_losses, patience, min_delta):
    if not val_losses:
        return 0
    best_value, best_at = val_losses[0], 0
    for i in range(1, len(val_losses)):
        if best_value - val_losses[i] > min_delta:
            best_value, best_at = val_losses[i], i
        elif i - best_at >= patience:
            return i + 1
    return len(val_losses)
''',
        "NumPy and a while loop": '''
def epochs_until_stop(val_losses, patience, min_delta):
    losses = np.asarray(val_losses, dtype=float)
    best, waited, epoch = np.inf, 0, 0
    while epoch < len(losses):
        if losses[epoch] + min_delta < best or epoch == 0:
            best, waited = losses[epoch], 0
        else:
            waited += 1
        epoch += 1
        if waited >= patience and waited > 0:
            break
    return epoch
''',
        "builtin names as variables": '''
def epochs_until_stop(val_losses, patience, min_delta):
    input = list(val_losses)
    best, sum = input[0], 0
    for n, loss in enumerate(input[1:], start=2):
        if loss < best - min_delta:
            best, sum = loss, 0
        else:
            sum += 1
            if sum >= patience:
                return n
    return len(input)
''',
        "a helper function, returning a NumPy integer": '''
def improves(loss, best, min_delta):
    return loss < best - min_delta


def epochs_until_stop(val_losses, patience, min_delta):
    epochs = np.arange(1, len(val_losses) + 1)
    best, wait = val_losses[0], 0
    for epoch, loss in zip(epochs[1:], val_losses[1:]):
        if improves(loss, best, min_delta):
            best, wait = loss, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch
    return epochs[-1]
''',
    },
    CALLBACK: {
        "a sign trick instead of two branches, logs.get, extra attributes": '''
class PatienceStopping(keras.callbacks.Callback):
    def __init__(self, monitor="val_loss", patience=0, min_delta=0.0, mode="min", restore_best_weights=False):
        super().__init__()
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.monitor = monitor
        self.patience = patience
        self.min_delta = abs(min_delta)
        self.mode = mode
        self.restore_best_weights = restore_best_weights

    def on_train_begin(self, logs=None):
        self.sign = 1.0 if self.mode == "min" else -1.0
        self.best = float("inf")
        self.wait = 0
        self.stopped_epoch = 0
        self.snapshot = None

    def on_epoch_end(self, epoch, logs=None):
        current = self.sign * float(logs.get(self.monitor))
        if epoch == 0 or current < self.best - self.min_delta:
            self.best, self.wait = current, 0
            self.snapshot = [w.copy() for w in self.model.get_weights()] if self.restore_best_weights else None
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.restore_best_weights and self.snapshot:
            self.model.set_weights(self.snapshot)
''',
        "a subclass of Keras's EarlyStopping with the rule's settings passed on": '''
class PatienceStopping(keras.callbacks.EarlyStopping):
    def __init__(self, monitor="val_loss", patience=0, min_delta=0.0, mode="min", restore_best_weights=False):
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        super().__init__(monitor=monitor, patience=patience, min_delta=min_delta, mode=mode,
                         restore_best_weights=restore_best_weights)
''',
    },
}


def test_templates_are_the_reference():
    """Are the unchanged mutant templates correct answers, so each mutant differs by its named change only?"""
    for exercise, source in ((CKPT, checkpoint()), (UNTIL, until()), (CALLBACK, callback())):
        assert not any(key in source for key in (*CKPT_PARTS, *UNTIL_PARTS, *CLASS_PARTS)), exercise


def test_callback_tests_check_both_restore_and_reset(notebook):
    """Does a callback that never resets pass the stopping tests but fail the restore-and-reset cell?"""
    results = notebook.judge(CALLBACK, WRONG[CALLBACK]["no reset between fits (state set in __init__ only)"])
    assert results["08_patience_stopping_restore_test"] is not None


SAVED = {".keras", ".h5", ".csv"}


def _saved_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.suffix in SAVED or "checkpoint" in p.name.lower()]


def test_running_the_notebook_leaves_no_saved_files(notebook):
    """Does executing notebook 08 (which saves models and a CSV log) leave no file in the repository's folders?"""
    assert notebook is not None
    for folder in (REPO, REPO / "solutions" / ASSIGNMENT, REPO / "course" / ASSIGNMENT):
        assert not [p for p in folder.iterdir() if p.suffix in SAVED], folder
    assert not _saved_files(REPO / "solutions" / ASSIGNMENT) and not _saved_files(REPO / "course" / ASSIGNMENT)


def test_grading_leaves_no_saved_files(graded, tmp_path_factory):
    """Does grading notebook 08 leave no .keras, .h5 or .csv file in the course root or a student's folder?"""
    assert ASSIGNMENT in graded
    roots = list(tmp_path_factory.getbasetemp().glob(f"root-{ASSIGNMENT[:2]}*"))
    assert roots
    left = [p for root in roots for p in _saved_files(root)]
    assert not left, left
