"""Hints for common Keras mistakes: each mistake reproduced for real, correct code and unrelated errors left alone.

Every mistake below runs real TensorFlow 2.21 / Keras 3.15 code on tiny data
and hands the real exception to ``hints.explain``; the hint must name the fix.
The IPython side (traceback first, cell still failing, ``%hint``, warnings,
the post-cell logits check) runs in an in-process ``InteractiveShell``; a real
kernel and real nbgrader are in ``test_hints_grading.py``.
"""
from __future__ import annotations

import subprocess
import sys
import urllib.error
import warnings
from typing import Callable

import numpy as np
import pytest

from helpers import checks, hints

RNG = np.random.default_rng(0)
X = RNG.random((32, 64), dtype=np.float32)
Y = RNG.integers(0, 10, 32)
MISTAKES: dict[str, tuple[Callable, list[str]]] = {}


@pytest.fixture(scope="module")
def tf():
    from helpers import tf as tensorflow

    return tensorflow


def mistake(*fix: str) -> Callable:
    """Register a function that makes one mistake; the hint must contain every string in ``fix``."""

    def register(fn: Callable) -> Callable:
        MISTAKES[fn.__name__] = (fn, list(fix))
        return fn

    return register


def raised(fn: Callable, *args) -> BaseException:
    try:
        fn(*args)
    except Exception as error:  # the real error, as a student would meet it
        return error
    raise AssertionError(f"{fn.__name__} raised nothing")


def dense(keras, inputs=(64,), activation="softmax"):
    return keras.Sequential([keras.Input(inputs), keras.layers.Flatten(), keras.layers.Dense(10, activation=activation)])


def compiled(keras, loss="sparse_categorical_crossentropy", inputs=(64,), metrics=None):
    model = dense(keras, inputs)
    model.compile(optimizer="adam", loss=loss, metrics=metrics)
    return model


def gradients(tf, model, x=X, y=Y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(y, model(x)))
    return tape.gradient(loss, model.trainable_variables)


# --- compile and losses ----------------------------------------------------------------------


@mistake("metrics=[", "keyword")
def compile_metrics_positionally(tf):
    model = dense(tf.keras)
    model.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
    model.fit(X, Y, verbose=0)


@mistake("metrics=[", "keyword")
def compile_metric_string_positionally(tf):
    dense(tf.keras).compile("adam", "sparse_categorical_crossentropy", "accuracy")


@mistake("model.compile(", "then model.fit(")
def fit_before_compile(tf):
    dense(tf.keras).fit(X, Y, verbose=0)


@mistake("then model.evaluate(")
def evaluate_before_compile(tf):
    dense(tf.keras).evaluate(X, Y, verbose=0)


@mistake("loss=")
def compile_without_loss(tf):
    compiled(tf.keras, loss=None).fit(X, Y, verbose=0)


@mistake('metrics=["accuracy"]')
def metric_misspelled(tf):
    compiled(tf.keras, metrics=["acuracy"]).fit(X, Y, verbose=0)


@mistake('optimizer="adam"')
def optimizer_misspelled(tf):
    dense(tf.keras).compile(optimizer="adamm", loss="sparse_categorical_crossentropy")


@mistake("learning_rate=")
def old_lr_keyword(tf):
    tf.keras.optimizers.Adam(lr=0.01)


@mistake('loss="sparse_categorical_crossentropy"', "to_categorical")
def integer_labels_categorical_loss(tf):
    compiled(tf.keras, loss="categorical_crossentropy").fit(X, Y, verbose=0)


@mistake('loss="sparse_categorical_crossentropy"', "binary_crossentropy is for one yes/no output")
def binary_loss_for_ten_classes(tf):
    compiled(tf.keras, loss="binary_crossentropy").fit(X, Y, verbose=0)


@mistake('loss="categorical_crossentropy"', "argmax")
def onehot_labels_sparse_loss(tf):
    compiled(tf.keras).fit(X, tf.keras.utils.to_categorical(Y, 10), verbose=0)


@mistake('loss="sparse_categorical_crossentropy"', "mse compares numbers")
def mean_squared_error_on_class_labels(tf):
    compiled(tf.keras, loss="mse").fit(X, Y, verbose=0)


@mistake("a label is 10", "y - 1")
def labels_from_one_to_ten(tf):
    compiled(tf.keras).fit(X, Y + 1, verbose=0)


# --- shapes and data -------------------------------------------------------------------------


@mistake("flat vectors of 64", "x.reshape(len(x), -1)")
def images_into_flat_model(tf):
    model = tf.keras.Sequential([tf.keras.Input((64,)), tf.keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(X.reshape(-1, 8, 8), Y, verbose=0)


@mistake("x.reshape((-1, 8, 8))")
def flat_data_into_image_model(tf):
    compiled(tf.keras, inputs=(8, 8)).fit(X, Y, verbose=0)


@mistake("keras.Input(shape=x.shape[1:])")
def wrong_number_of_features(tf):
    compiled(tf.keras, inputs=(60,)).fit(X, Y, verbose=0)


@mistake("one sample", "x[np.newaxis]")
def predict_one_sample(tf):
    dense(tf.keras).predict(X[0], verbose=0)


@mistake("one sample", "x[np.newaxis]")
def predict_one_image(tf):
    dense(tf.keras, inputs=(8, 8)).predict(X.reshape(-1, 8, 8)[0], verbose=0)


@mistake("one sample", "x[np.newaxis]")
def call_on_one_sample(tf):
    dense(tf.keras)(X[0])


@mistake("one sample", "x[np.newaxis]")
def build_subclassed_model_on_one_sample(tf):
    class Classifier(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.out = tf.keras.layers.Dense(10, activation="softmax")

        def call(self, inputs):
            return self.out(inputs)

    Classifier()(np.zeros(64, "float32"))


@mistake("batched twice", ".batch(batch_size) once")
def dataset_batched_twice(tf):
    data = tf.data.Dataset.from_tensor_slices((X, Y)).batch(8).batch(4)
    compiled(tf.keras).fit(data, verbose=0)


@mistake("one sample at a time", "ds.batch(32)")
def dataset_not_batched(tf):
    compiled(tf.keras).fit(tf.data.Dataset.from_tensor_slices((X, Y)), verbose=0)


@mistake("no separate y", "model.fit(train_ds")
def dataset_and_labels(tf):
    data = tf.data.Dataset.from_tensor_slices((X, Y)).batch(8)
    compiled(tf.keras).fit(data, Y, verbose=0)


@mistake("validation_data=val_ds")
def validation_split_on_dataset(tf):
    data = tf.data.Dataset.from_tensor_slices((X, Y)).batch(8)
    compiled(tf.keras).fit(data, validation_split=0.2, verbose=0)


@mistake("keras.Input(shape=(64,))")
def input_shape_as_a_number(tf):
    tf.keras.Input(64)


@mistake("keras.Input(shape=(8, 8, 1))")
def conv_without_channel_axis(tf):
    tf.keras.Sequential([tf.keras.Input((8, 8)), tf.keras.layers.Conv2D(4, 3)])


@mistake('history.history["accuracy"]')
def history_acc(tf):
    history = compiled(tf.keras, metrics=["accuracy"]).fit(X, Y, verbose=0)
    history.history["acc"]


@mistake("validation_data=(x_val, y_val)", "['accuracy', 'loss']")
def history_val_without_validation(tf):
    history = compiled(tf.keras, metrics=["accuracy"]).fit(X, Y, verbose=0)
    history.history["val_accuracy"]


@mistake('history.history["accuracy"]', "['accuracy', 'loss']")
def history_key_misspelled(tf):
    history = compiled(tf.keras, metrics=["accuracy"]).fit(X, Y, verbose=0)
    history.history["acuracy"]


# --- training loops, callbacks, transfer learning --------------------------------------------


@mistake("with tf.GradientTape() as tape", "inside the tape")
def forward_pass_outside_the_tape(tf):
    model = dense(tf.keras)
    loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(Y, model(X)))
    with tf.GradientTape() as tape:
        pass
    grads = tape.gradient(loss, model.trainable_variables)
    tf.keras.optimizers.SGD().apply_gradients(zip(grads, model.trainable_variables))


@mistake("tf.constant the tape does not watch")
def gradient_of_a_constant(tf):
    weight = tf.constant(3.0)
    with tf.GradientTape() as tape:
        loss = weight * weight
    tf.keras.optimizers.SGD().apply_gradients([(tape.gradient(loss, weight), tf.Variable(3.0))])


@mistake("inside the tape")
def none_gradients_used(tf):
    model = dense(tf.keras)
    predictions = model(X)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(Y, predictions))
    grads = tape.gradient(loss, model.trainable_variables)
    [g.numpy() for g in grads]


@mistake("new tape in every training step", "persistent=True")
def tape_used_for_two_steps(tf):
    model = dense(tf.keras)
    optimizer = tf.keras.optimizers.SGD()
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(Y, model(X)))
    for _ in range(2):
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))


@mistake("inside a tf.function", "float(loss)")
def float_inside_tf_function(tf):
    # Run like a notebook cell under the test harness: AutoGraph cannot read this source, so float() stays float().
    namespace = {"tf": tf}
    exec(compile("@tf.function\ndef train_step(x):\n    return float(tf.reduce_sum(x))", "<cell>", "exec"), namespace)
    namespace["train_step"](tf.ones(3))


@mistake("inside a tf.function", "loss.numpy()")
def numpy_inside_tf_function(tf):
    tf.function(lambda x: tf.reduce_sum(x).numpy())(tf.ones(3))


@mistake("inside a tf.function")
def numpy_function_inside_tf_function(tf):
    tf.function(lambda x: np.asarray(x * 2))(tf.ones(3))


@mistake("zip(grads, model.trainable_variables)")
def gradients_in_the_wrong_order_adam(tf):
    model = dense(tf.keras)
    grads = gradients(tf, model)
    tf.keras.optimizers.Adam().apply_gradients(zip(grads[::-1], model.trainable_variables))


@mistake("zip(grads, model.trainable_variables)")
def gradients_in_the_wrong_order_rmsprop(tf):
    model = dense(tf.keras)
    grads = gradients(tf, model)
    tf.keras.optimizers.RMSprop().apply_gradients(zip(grads[::-1], model.trainable_variables))


@mistake("gradients first", "zip(grads, model.trainable_variables)")
def variables_zipped_before_gradients(tf):
    model = dense(tf.keras)
    tf.keras.optimizers.Adam().apply_gradients(zip(model.trainable_variables, gradients(tf, model)))


@mistake("not two lists", "zip(grads")
def apply_gradients_two_lists(tf):
    model = dense(tf.keras)
    tf.keras.optimizers.Adam().apply_gradients(gradients(tf, model), model.trainable_variables)


@mistake("new optimizer for each model")
def optimizer_shared_by_two_models(tf):
    optimizer = tf.keras.optimizers.Adam()
    for inputs in ((64,), (8, 8)):
        model = dense(tf.keras, inputs)
        optimizer.apply_gradients(zip(gradients(tf, model, X.reshape(-1, *inputs)), model.trainable_variables))


@mistake('EarlyStopping(monitor="val_accuracy")')
def early_stopping_on_val_acc(tf):
    stop = tf.keras.callbacks.EarlyStopping(monitor="val_acc")
    compiled(tf.keras, metrics=["accuracy"]).fit(X, Y, validation_split=0.25, epochs=2, verbose=0, callbacks=[stop])


@mistake("'val_acuracy' is not a name Keras logs", 'monitor="val_loss"')
def early_stopping_misspelled(tf):
    stop = tf.keras.callbacks.EarlyStopping(monitor="val_acuracy")
    compiled(tf.keras, metrics=["accuracy"]).fit(X, Y, validation_split=0.25, epochs=2, verbose=0, callbacks=[stop])


@mistake('EarlyStopping(monitor="val_loss", patience=3)')
def early_stopping_arguments_by_position(tf):
    tf.keras.callbacks.EarlyStopping(3, "val_loss")


@mistake("at least 32×32", "tf.image.resize(images, (32, 32))")
def mobilenet_on_8px_digits(tf):
    tf.keras.applications.MobileNetV2(input_shape=(8, 8, 3), include_top=False, weights=None)


@mistake("grayscale_to_rgb")
def mobilenet_imagenet_grey(tf):
    tf.keras.applications.MobileNetV2(input_shape=(32, 32, 1), include_top=False, weights="imagenet")


@mistake("10×10×3 images", "keras.Input(shape=base_model.input_shape[1:])")
def transfer_input_built_for_the_digits(tf):
    inputs = tf.keras.Input((10, 10, 3))
    base = tf.keras.Model(inputs, tf.keras.layers.Conv2D(4, 3)(inputs))
    base(tf.keras.Input(shape=(8, 8, 1)), training=False)


@mistake('logs["val_loss"]')
def callback_reads_an_unlogged_value(tf):
    class StopOnLoss(tf.keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if logs["loss"] < 0.1:
                self.model.stop_training = True

    StopOnLoss().on_epoch_end(0, {"val_loss": 0.5})


@mistake("grayscale_to_rgb")
def grey_images_into_rgb_model(tf):
    base = tf.keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None)
    base.predict(np.zeros((2, 32, 32, 1), "float32"), verbose=0)


@mistake("include_top=False")
def mobilenet_imagenet_head_on_32px(tf):
    tf.keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=True, weights="imagenet")


def test_every_listed_mistake_is_covered():
    """Are at least the issue's twelve kinds of mistake (here 40+ variants) reproduced?"""
    assert len(MISTAKES) >= 30


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_mistake_gets_a_hint_naming_the_fix(tf, name):
    """Does the real error of each mistake get a hint that names the fix?"""
    fn, fix = MISTAKES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        error = raised(fn, tf)
    text = hints.explain(error)
    assert text, f"no hint for {name}: {type(error).__name__}: {str(error)[:300]}"
    for part in fix:
        assert part in text, f"the hint for {name} should say {part!r}:\n{text}"


def test_imagenet_weights_offline_get_a_hint(tf, monkeypatch, tmp_path):
    """When the ImageNet weights cannot be downloaded, does the hint say weights=None?"""
    from keras.src.backend import config
    from keras.src.utils import file_utils

    def offline(*args, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(file_utils, "urlretrieve", offline)
    monkeypatch.setattr(config, "_KERAS_DIR", str(tmp_path))  # an empty cache: Keras must try to download
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        error = raised(tf.keras.applications.MobileNetV2, (32, 32, 3), 1.0, False, "imagenet")
    assert "URL fetch failure" in str(error)
    assert "weights=None" in hints.explain(error)


def test_check_failure_raised_from_a_keras_error_gets_its_hint(tf):
    """Does a test's CheckFailed raised while handling a Keras error still get that error's hint?"""

    def test_cell():
        try:
            compile_metrics_positionally(tf)
        except Exception as error:
            checks.fail("evaluating should work.", "a loss", str(error)[:50], "Use the right loss.")

    assert "metrics=[" in hints.explain(raised(test_cell))


# --- correct code and unrelated errors -------------------------------------------------------


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
        hints._install_warning_hints()
        warnings.showwarning = hints._showwarning
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
    yield lambda: history_acc.missing


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


# --- warning signs ---------------------------------------------------------------------------


def keras_warnings(fn: Callable) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in caught]


def test_logits_with_a_probability_loss_get_a_hint(tf):
    """Does a compiled model ending in logits, with from_logits=False, get the from_logits hint (and only it)?"""
    keras = tf.keras
    for loss in ("sparse_categorical_crossentropy", keras.losses.SparseCategoricalCrossentropy(),
                 keras.losses.sparse_categorical_crossentropy):
        model = dense(keras, activation=None)
        model.compile(optimizer="adam", loss=loss)
        assert "SparseCategoricalCrossentropy(from_logits=True)" in hints.explain(model)
        assert len(hints.check_models({"model": model})) == 1
        assert hints.check_models({"model": model}) == []  # once per compiled model
    functional = keras.Model(model.inputs, model.outputs)
    functional.compile(optimizer="adam", loss="binary_crossentropy")
    assert 'activation="sigmoid"' in hints.explain(functional)
    assert hints.explain(dense(keras, activation=None)) is None  # not compiled yet


def test_early_stopping_on_an_unlogged_metric_gets_a_hint(tf):
    """Does the warning Keras gives when EarlyStopping watches val_accuracy without validation data get a hint?"""
    stop = tf.keras.callbacks.EarlyStopping(monitor="val_accuracy")
    model = compiled(tf.keras, metrics=["accuracy"])
    found = keras_warnings(lambda: model.fit(X, Y, epochs=2, verbose=0, callbacks=[stop]))
    texts = [hints.hint_rules.hint_for_warning(m) for m in found]
    assert any(t and "validation_data=(x_val, y_val)" in t for t in texts), found


def test_softmax_with_from_logits_true_gets_a_hint(tf):
    """Does the warning for softmax outputs with from_logits=True get a hint?"""
    model = compiled(tf.keras, loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    found = keras_warnings(lambda: model.fit(X, Y, verbose=0))
    assert any("drop from_logits=True" in (hints.hint_rules.hint_for_warning(m) or "") for m in found), found


def test_variables_without_gradients_get_a_hint(tf):
    """Does the warning for variables that get no gradient get a hint?"""
    keras = tf.keras
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(5), keras.layers.Dense(10)])

    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(model.layers[0](X))
        keras.optimizers.SGD().apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                                                   model.trainable_variables))

    found = keras_warnings(step)
    assert any("model.trainable_variables" in (hints.hint_rules.hint_for_warning(m) or "") for m in found), found


def test_other_warnings_are_shown_as_before(capsys):
    """Does a warning without a hint still reach the original warnings display?"""
    shown = []
    hints._original_showwarning, saved = (lambda *args: shown.append(args[0])), hints._original_showwarning
    try:
        hints._showwarning(UserWarning("something else"), UserWarning, "f.py", 1)
    finally:
        hints._original_showwarning = saved
    assert len(shown) == 1 and "Hint" not in capsys.readouterr().out


# --- in an IPython shell ---------------------------------------------------------------------


@pytest.fixture
def shell(tf):
    """An in-process IPython shell with hints on; warnings state and the singleton restored afterwards."""
    from IPython.core.interactiveshell import InteractiveShell

    with warnings.catch_warnings():
        ip = InteractiveShell.instance()
        ip.run_cell("from helpers import tf, hints\nhints.enable()\nhints.enable()\n"
                    "import numpy as np\nkeras = tf.keras\nx = np.zeros((8, 64), 'float32')\ny = np.zeros(8, 'int64')")
        yield ip
    InteractiveShell.clear_instance()


def run(shell, capsys, source: str):
    result = shell.run_cell(source)
    return result, capsys.readouterr().out


def test_error_in_a_cell_shows_traceback_then_one_hint_and_still_fails(shell, capsys):
    """Does a Keras mistake show the full traceback first, then one hint, and leave the cell failed?"""
    result, out = run(shell, capsys, "m = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10)])\n"
                                     "m.fit(x, y, verbose=0)")
    assert not result.success and isinstance(result.error_in_exec, ValueError)
    assert "Traceback" in out and "You must call `compile()` before using the model." in out
    assert out.index("compile()` before using") < out.index(hints.PREFIX)
    assert out.count(hints.PREFIX) == 1  # enable() twice registers once


def test_unrelated_error_in_a_cell_shows_only_its_traceback(shell, capsys):
    """Does an unrelated error show its traceback and no hint?"""
    result, out = run(shell, capsys, "{'a': 1}['b']")
    assert not result.success and "KeyError" in out and hints.PREFIX not in out


def test_hint_magic_explains_the_last_error_and_checks_models(shell, capsys):
    """Does %hint repeat the last error's hint, and %hint model check a model?"""
    run(shell, capsys, "history = {'accuracy': [0.5], 'loss': [1.0]}\nhistory['acc']")
    assert 'history.history["accuracy"]' in run(shell, capsys, "%hint")[1]
    run(shell, capsys, "1 / 0")
    assert "No hint for the last error (ZeroDivisionError)" in run(shell, capsys, "%hint")[1]
    run(shell, capsys, "m = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10)])")
    assert "no warning sign" in run(shell, capsys, "%hint m")[1]


def test_cell_that_compiles_logits_wrongly_gets_a_hint_after_it(shell, capsys):
    """Does a successful cell that compiles a logits model with from_logits=False get the hint, once?"""
    source = ("m = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10)])\n"
              "m.compile(optimizer=keras.optimizers.Adam(), loss='sparse_categorical_crossentropy')")
    result, out = run(shell, capsys, source)
    assert result.success and "from_logits=True" in out
    assert hints.PREFIX not in run(shell, capsys, "m.fit(x, y, verbose=0)")[1]


def test_keras_warning_in_a_cell_gets_a_hint_once(shell, capsys):
    """Does the unlogged-EarlyStopping warning print one hint per cell, on stdout, however many epochs?"""
    source = ("m = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10, activation='softmax')])\n"
              "m.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
              "m.fit(x, y, epochs=3, verbose=0, callbacks=[keras.callbacks.EarlyStopping(monitor='val_loss')])")
    for _ in range(2):
        result, out = run(shell, capsys, source)
        assert result.success and out.count(hints.PREFIX) == 1 and "validation_data" in out


def test_enable_outside_ipython_does_nothing_and_imports_no_tensorflow():
    """In plain Python (the test harness), does enable() return False, and does importing hints stay cheap?"""
    code = ("import sys, warnings, IPython; from helpers import hints; before = list(warnings.filters); "
            "print(hints.enable(), 'tensorflow' in sys.modules, warnings.filters == before)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "False", "True"], done.stderr[-2000:]


def test_warning_hints_stay_ahead_of_filters_added_later():
    """If TensorFlow's quiet filters are added after enable(), does the next cell put the hint filters first again?"""
    with warnings.catch_warnings():
        hints._install_warning_hints()
        count = len(warnings.filters)
        warnings.filterwarnings("ignore", module=r"keras_as_helpers_quiet_adds_it(\.|$)")
        hints._after_cell(None)
        hints._after_cell(None)
        assert [f[0] for f in warnings.filters[:4]] == ["always", "always", "always", "ignore"]
        assert len(warnings.filters) == count + 1
