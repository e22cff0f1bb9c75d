"""helpers.hints.rules.training: custom training loops, callbacks and transfer learning.

Each mistake is made for real (see ``mistakes.py``) and its hint must name the fix.
"""
from __future__ import annotations

import urllib.error
import warnings

import numpy as np
import pytest

from helpers import hints
from tests.helpers.hints.mistakes import Mistakes, X, Y, compiled, dense, gradients, raised

MISTAKES = Mistakes()
mistake = MISTAKES.register


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


@mistake("include_top=False")
def mobilenet_imagenet_head_on_32px(tf):
    tf.keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=True, weights="imagenet")


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_mistake_gets_a_hint_naming_the_fix(tf, name):
    """Does the real error of each mistake get a hint that names the fix?"""
    MISTAKES.assert_hint_names_fix(tf, name)


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
