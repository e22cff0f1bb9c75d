"""helpers.hints.rules.data: data that does not fit the model (shapes, tf.data pipelines) and ``History`` keys.

Each mistake is made for real (see ``mistakes.py``) and its hint must name the fix.
"""
from __future__ import annotations

import numpy as np
import pytest

from tests.helpers.hints.mistakes import Mistakes, X, Y, compiled, dense

MISTAKES = Mistakes()
mistake = MISTAKES.register


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


@mistake("class_weight has no weight for class", "range(num_classes)")
def class_weight_missing_classes_with_a_dataset(tf):
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(8)
    compiled(tf.keras).fit(ds, class_weight={0: 1.0, 1: 2.0}, verbose=0)


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_mistake_gets_a_hint_naming_the_fix(tf, name):
    """Does the real error of each mistake get a hint that names the fix?"""
    MISTAKES.assert_hint_names_fix(tf, name)
