"""helpers.hints.rules.compiling: mistakes in ``compile`` and losses that do not fit the labels.

Each mistake is made for real (see ``mistakes.py``) and its hint must name the fix.
"""
from __future__ import annotations

import pytest

from tests.helpers.hints.mistakes import Mistakes, X, Y, compiled, dense

MISTAKES = Mistakes()
mistake = MISTAKES.register


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


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_mistake_gets_a_hint_naming_the_fix(tf, name):
    """Does the real error of each mistake get a hint that names the fix?"""
    MISTAKES.assert_hint_names_fix(tf, name)
