"""helpers.checks.nb05: the checks accept the reference answers, reject wrong ones, and judge on their own model."""
from __future__ import annotations

import random

import numpy as np
import pytest

from helpers.checks import CheckFailed, nb05
from helpers.reference import nb05 as reference


@pytest.fixture(scope="module")
def small():
    """A compiled 3-class identity model and inputs whose answers are known."""
    from helpers import tf

    keras = tf.keras
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.set_weights([np.eye(3, dtype="float32"), np.zeros(3, dtype="float32")])
    x = np.array([[5, 0, 0], [4, 0, 0], [0, 0, 5], [0, 6, 0]], dtype="float32")
    return model, x, np.array([0, 1, 2, 1])


def test_same_weights_twin_predicts_the_same_and_leaves_random_state(small):
    """Does the twin (used by notebook 06's checks) compute the same outputs and leave Python's random state?"""
    model, x, y = small
    state = random.getstate()
    twin = nb05.same_weights_twin(model)
    assert random.getstate() == state
    assert twin is not model
    np.testing.assert_array_equal(twin.predict(x, verbose=0), model.predict(x, verbose=0))
    assert twin.evaluate(x, y, verbose=0, return_dict=True)["accuracy"] == pytest.approx(0.75)


def test_test_models_are_the_same_on_every_call_and_the_trained_one_is_accurate():
    """Does test_model rebuild the same weights from its seed, and is the 'trained' model far better than chance?"""
    from helpers.data import load_digits

    data = load_digits()
    for kind in nb05.MODEL_KINDS:
        a, b = nb05.test_model(kind, seed=7), nb05.test_model(kind, seed=7)
        assert all(np.array_equal(u, v) for u, v in zip(a.get_weights(), b.get_weights()))
    accuracy = nb05.test_model("trained").evaluate(data.x_test, data.y_test, verbose=0, return_dict=True)["accuracy"]
    assert accuracy > 0.7


def _baseline_answer(evaluate, majority_from, hits_on):
    """An answer built from parts: how it evaluates, where its majority class comes from, what it is measured on."""
    def answer(model, test_ds, y_train):
        y_test = np.concatenate([y for _, y in test_ds])
        majority = np.argmax(np.bincount(majority_from(y_test, y_train)))
        return {**evaluate(model, test_ds), "baseline_accuracy": float(np.mean(hits_on(y_test, y_train) == majority))}
    return answer


def _scores(model, test_ds):
    return model.evaluate(test_ds, verbose=0, return_dict=True)


def test_evaluate_against_baseline_reference_passes_and_a_list_fails():
    """Does the reference pass (an absent majority and any seed included), and is evaluate's plain list rejected?"""
    nb05.evaluate_against_baseline(reference.evaluate_against_baseline)
    nb05.evaluate_against_baseline(reference.evaluate_against_baseline, model="logits", n=75, batch_size=64,
                                   absent=True, seed=2**31 - 1)
    with pytest.raises(CheckFailed, match="should return a dict"):
        nb05.evaluate_against_baseline(lambda m, ds, y_train: m.evaluate(ds, verbose=0), seed=1)


def test_evaluate_against_baseline_rejects_the_test_majority_and_the_training_share():
    """Are a majority class taken from the test labels and the majority's share of y_train rejected, with hints?"""
    test_major = _baseline_answer(_scores, lambda y_test, y_train: y_test, lambda y_test, y_train: y_test)
    train_share = _baseline_answer(_scores, lambda y_test, y_train: y_train, lambda y_test, y_train: y_train)
    with pytest.raises(CheckFailed, match="from the training labels"):
        nb05.evaluate_against_baseline(test_major, seed=2)
    with pytest.raises(CheckFailed, match="Measure the baseline on the test labels"):
        nb05.evaluate_against_baseline(train_share, model="untrained", n=50, batch_size=16, seed=3)


def test_evaluate_against_baseline_data_keep_their_promises():
    """For any seed: one clear training majority, rare (under 1/15) or absent in the test digits, a 40 % class?"""
    for seed in (0, 1, 2**31 - 1):
        for n, absent in ((37, False), (60, False), (75, True)):
            x, y, y_train = nb05._baseline_data(n, absent, seed)
            counts = np.bincount(y_train, minlength=10)
            assert len(x) == len(y) == n and np.sum(counts == counts.max()) == 1
            share = np.mean(y == np.argmax(counts))
            assert share == 0 if absent else 0 < share < 1 / 15
            assert np.bincount(y).max() == round(0.4 * n)


def test_evaluate_against_baseline_expected_comes_from_the_judges_own_model():
    """Are training the model first and compiling it again with another loss both rejected?"""
    def trains_first(model, test_ds, y_train):
        model.fit(test_ds, epochs=2, verbose=0)
        return reference.evaluate_against_baseline(model, test_ds, y_train)

    def recompiles(model, test_ds, y_train):
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return reference.evaluate_against_baseline(model, test_ds, y_train)

    with pytest.raises(CheckFailed, match="of the model as given"):
        nb05.evaluate_against_baseline(trains_first, n=50, seed=3)
    with pytest.raises(CheckFailed, match="'loss' should be the loss of the model as given"):
        nb05.evaluate_against_baseline(recompiles, model="logits", n=50, seed=3)


def test_accuracy_by_hand_accepts_float32_and_rejects_a_count_and_axis_0():
    """Does a float32 TensorFlow answer pass, and are the count of correct samples and argmax over axis 0 rejected?"""
    from helpers import tf

    def float32(model, x, y):
        correct = tf.equal(tf.argmax(model(x), axis=-1), tf.cast(y, tf.int64))
        return tf.reduce_mean(tf.cast(correct, tf.float32))

    nb05.accuracy_by_hand(float32)
    nb05.accuracy_by_hand(float32, model="logits", split="val", n=10, seed=4)
    with pytest.raises(CheckFailed, match="agree with evaluate's accuracy"):
        nb05.accuracy_by_hand(lambda m, xs, ys: int(np.sum(np.argmax(m.predict(xs, verbose=0), -1) == ys)))
    with pytest.raises(CheckFailed, match="axis=-1"):
        nb05.accuracy_by_hand(lambda m, xs, ys: float(np.mean(np.argmax(m.predict(xs, verbose=0), 0) == ys)),
                              split="val", n=10, seed=4)


def test_per_class_accuracy_rejects_precision():
    """Is dividing by the predicted count (precision) rejected, with the call named?"""
    nb05.per_class_accuracy(reference.per_class_accuracy, [0, 0, 1, 2], [0, 1, 1, 1], 4)
    nb05.per_class_accuracy(reference.per_class_accuracy, seed=2**31 - 1)

    def precision(y_true, y_pred, num_classes):
        return np.array([np.mean(y_true[y_pred == c] == c) if np.any(y_pred == c) else np.nan
                         for c in range(num_classes)])

    with pytest.raises(CheckFailed, match=r"per_class_accuracy\(\[0, 0, 1, 2\], \[0, 1, 1, 1\], 4\)"):
        nb05.per_class_accuracy(precision, [0, 0, 1, 2], [0, 1, 1, 1], 4)


def test_per_class_accuracy_names_the_call_and_rejects_none_for_absent_classes():
    """Does the message name the call, and is None (not np.nan) for an absent class rejected?"""
    with pytest.raises(CheckFailed, match=r"per_class_accuracy\(\[0, 0, 1, 2\], \[0, 1, 1, 1\], 4\): one value"):
        nb05.per_class_accuracy(lambda t, p, n: np.zeros(3), [0, 0, 1, 2], [0, 1, 1, 1], 4)

    def none_for_absent(y_true, y_pred, num_classes):
        return [float(np.mean(y_pred[y_true == c] == c)) if np.any(y_true == c) else None for c in range(num_classes)]

    with pytest.raises(CheckFailed, match="not None"):
        nb05.per_class_accuracy(none_for_absent, [0, 0, 1, 2], [0, 1, 1, 1], 4)
