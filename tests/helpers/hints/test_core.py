"""helpers.hints.core: ``explain`` and ``check_models`` say nothing for correct code and unrelated errors.

Errors raised while handling a recognised one keep its hint; correct code
(a little of everything the course does) gets none.
"""
from __future__ import annotations

import warnings

import numpy as np

from helpers import checks, hints
from helpers.hints import session
from tests.helpers.hints.mistakes import X, Y, compiled, dense, raised


def test_check_failure_raised_from_a_keras_error_gets_its_hint(tf):
    """Does a test's CheckFailed raised while handling a Keras error still get that error's hint?"""

    def test_cell():
        try:
            model = dense(tf.keras)
            model.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
            model.fit(X, Y, verbose=0)
        except Exception as error:
            checks.fail("evaluating should work.", "a loss", str(error)[:50], "Use the right loss.")

    assert "metrics=[" in hints.explain(raised(test_cell))


def correct_code(tf):
    """A little of everything the course does, done right, with the hints' warnings routed to hints."""
    keras = tf.keras
    model = compiled(keras, metrics=["accuracy"])
    history = model.fit(X, Y, validation_split=0.25, epochs=2, verbose=0,
                        callbacks=[keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=1)])
    assert {"accuracy", "val_accuracy", "loss", "val_loss"} <= set(history.history)
    model.predict(X[:1], verbose=0)
    model.predict(X[np.newaxis, 0], verbose=0)
    data = tf.data.Dataset.from_tensor_slices((X.reshape(-1, 8, 8), keras.utils.to_categorical(Y, 10))).batch(8)
    images = compiled(keras, loss=keras.losses.CategoricalCrossentropy(), inputs=(8, 8))
    images.evaluate(data, verbose=0)
    logits = dense(keras, activation=None)
    logits.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    optimizer = keras.optimizers.Adam()
    with tf.GradientTape() as tape:
        loss = logits.loss(Y, logits(X, training=True))
    optimizer.apply_gradients(zip(tape.gradient(loss, logits.trainable_variables), logits.trainable_variables))
    keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None)
    return [model, images, logits]


def test_correct_code_triggers_no_hint(tf, capsys):
    """Does correct code run without any hint, and do its compiled models pass the logits check?"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        session._install_warning_hints()
        warnings.showwarning = session._showwarning
        models = correct_code(tf)
    assert "Hint" not in capsys.readouterr().out
    assert [hints.explain(m) for m in models] == [None, None, None]
    assert hints.check_models({f"m{i}": m for i, m in enumerate(models)}) == []


def unrelated_errors(tf):
    config = {"epochs": 3}
    yield lambda: 1 / 0
    yield lambda: config["batch"]
    yield lambda: int("seven")
    yield lambda: np.zeros(3) @ np.zeros(4)
    yield lambda: tf.reshape(tf.zeros(6), (4, 4))
    yield lambda: tf.keras.layers.Dense(-1)
    yield lambda: checks.fail("f() should return 3.", 3, 4, "Add one.")
    yield lambda: [1, 2][5]
    yield lambda: None.shape
    yield lambda: raised.missing


def test_unrelated_errors_get_no_hint(tf):
    """Do errors that are not Keras mistakes (Python, NumPy, TensorFlow ops, failed checks) get no hint?"""
    for make in unrelated_errors(tf):
        error = raised(make)
        assert hints.explain(error) is None, f"{type(error).__name__}: {error}"


def test_explain_without_error_or_with_anything_else_says_nothing(monkeypatch):
    """Does explain() return None when there is no last error, or for objects it cannot check?"""
    monkeypatch.delattr("sys.last_value", raising=False)
    assert hints.explain() is None
    assert hints.explain("a string") is None
    assert hints.explain(object()) is None
