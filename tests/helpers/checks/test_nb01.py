"""helpers.checks.nb01: the model and compile checks reject wrong answers with a message and accept right ones."""
from __future__ import annotations

import pytest

from helpers import checks, tf
from helpers.checks import CheckFailed
from helpers.reference import nb01 as reference

keras = tf.keras


def linear_hidden_layer(input_dim, hidden_units, num_classes):
    return keras.Sequential([keras.Input(shape=(input_dim,)), keras.layers.Dense(hidden_units),
                             keras.layers.Dense(num_classes, activation="softmax")])


def test_a_linear_hidden_layer_is_rejected_on_digits_and_on_random_inputs():
    """Does the Sequential check say that the outputs differ when the hidden layer has no ReLU?"""
    for seed in (None, 1):
        with pytest.raises(CheckFailed, match="the outputs should match the reference model"):
            checks.nb01.build_sequential_model(linear_hidden_layer, 20 if seed else 64, 7, 3, seed=seed)


def test_the_wrong_kind_of_model_is_named():
    """Does the subclassed check reject a Sequential model, naming the type it got?"""
    with pytest.raises(CheckFailed, match="your own subclass of keras.Model(.|\n)*got: +Sequential"):
        checks.nb01.build_subclassed_model(reference.build_sequential_model)


def test_the_reference_answers_pass():
    """Do the checks accept the reference answers, hidden-style arguments included?"""
    checks.nb01.build_functional_model(reference.build_functional_model, 5, 50, 2, seed=2)
    checks.nb01.build_subclassed_model(reference.build_subclassed_model, 64, 32, 10)
    checks.nb01.compile_model(reference.compile_model, learning_rate=0.003, split="test", n=40, seed=5)
    checks.nb01.compile_model_step_size(reference.compile_model, small=1e-4, large=1e-1, ratio=50, seed=7, n=32)


def test_an_ignored_learning_rate_is_caught_twice():
    """Is a compile that ignores learning_rate rejected by the visible check and by the step-size check?"""
    def ignores_rate(model, learning_rate):
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    with pytest.raises(CheckFailed, match="should set the optimizer's learning rate"):
        checks.nb01.compile_model(ignores_rate)
    with pytest.raises(CheckFailed, match="a larger learning rate should take a larger step"):
        checks.nb01.compile_model_step_size(ignores_rate, small=1e-4, large=1e-1, ratio=50, seed=7, n=32)
