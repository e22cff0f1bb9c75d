"""Notebook 08's tests judged in-process: wrong early-stopping code is rejected, differently written right code accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "08-early-stopping"
MAKE = "08_make_early_stopping"
UNTIL = "08_epochs_until_stop"
CALLBACK = "08_patience_stopping"


def make(body: str) -> str:
    return f"\ndef make_early_stopping(patience, monitor):\n    {body}\n"


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
    MAKE: {
        "best weights not restored": make(
            "return keras.callbacks.EarlyStopping(monitor=monitor, patience=patience)"),
        "monitor ignored (always val_loss)": make(
            'return keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)'),
        "off-by-one patience": make(
            "return keras.callbacks.EarlyStopping(monitor=monitor, patience=patience + 1, restore_best_weights=True)"),
        "mode='min' forced, wrong for accuracies": make(
            "return keras.callbacks.EarlyStopping(monitor=monitor, patience=patience, mode='min', "
            "restore_best_weights=True)"),
        "a min_delta added, as in many tutorials": make(
            "return keras.callbacks.EarlyStopping(monitor=monitor, patience=patience, min_delta=0.01, "
            "restore_best_weights=True)"),
        "the class, not an instance": make("return keras.callbacks.EarlyStopping"),
        "arguments swapped": make(
            "return keras.callbacks.EarlyStopping(patience, monitor, restore_best_weights=True)"),
        "a subclass of EarlyStopping, which the text rules out": '''
class BestStopping(keras.callbacks.EarlyStopping):
    """EarlyStopping that always restores the best weights."""

    def __init__(self, **kwargs):
        super().__init__(restore_best_weights=True, **kwargs)


def make_early_stopping(patience, monitor):
    return BestStopping(monitor=monitor, patience=patience)
''',
        "a baseline added": make(
            "return keras.callbacks.EarlyStopping(monitor=monitor, patience=patience, baseline=1.0, "
            "restore_best_weights=True)"),
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
    MAKE: {
        "tf.keras path, mode='auto' and min_delta=0 spelled out": make(
            "return tf.keras.callbacks.EarlyStopping(monitor=monitor, min_delta=0, patience=patience, mode='auto',\n"
            "                                        restore_best_weights=True, verbose=0)"),
        "settings in a dict named vars": '''
def make_early_stopping(patience, monitor):
    vars = dict(monitor=monitor, patience=patience, restore_best_weights=True)
    return keras.callbacks.EarlyStopping(**vars)
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
    for exercise, source in ((UNTIL, until()), (CALLBACK, callback())):
        assert not any(key in source for key in (*UNTIL_PARTS, *CLASS_PARTS)), exercise


def test_callback_tests_check_both_restore_and_reset(notebook):
    """Does a callback that never resets pass the stopping tests but fail the restore-and-reset cell?"""
    results = notebook.judge(CALLBACK, WRONG[CALLBACK]["no reset between fits (state set in __init__ only)"])
    assert results["08_patience_stopping_restore_test"] is not None
