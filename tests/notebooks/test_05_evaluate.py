"""Notebook 05's tests judged in-process: realistic wrong answers are rejected, differently written right ones accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "05-evaluate"
EVALUATE = "05_evaluate_on_test"
BY_HAND = "05_accuracy_by_hand"
PER_CLASS = "05_per_class_accuracy"

WRONG = {
    EVALUATE: {
        "evaluates on the training data": '''
def evaluate_on_test(model, x_test, y_test):
    loss, accuracy = model.evaluate(data.x_train, data.y_train, verbose=0)
    return {"loss": loss, "accuracy": accuracy}
''',
        "returns evaluate's list, not a dict": '''
def evaluate_on_test(model, x_test, y_test):
    return model.evaluate(x_test, y_test, verbose=0)
''',
        "evaluates the notebook's trained_model, not the model passed in": '''
def evaluate_on_test(model, x_test, y_test):
    return trained_model.evaluate(x_test, y_test, verbose=0, return_dict=True)
''',
        "loss and accuracy swapped": '''
def evaluate_on_test(model, x_test, y_test):
    accuracy, loss = model.evaluate(x_test, y_test, verbose=0)
    return {"loss": loss, "accuracy": accuracy}
''',
        "accuracy as a percentage": '''
def evaluate_on_test(model, x_test, y_test):
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    return {"loss": loss, "accuracy": 100 * accuracy}
''',
        "key named 'acc'": '''
def evaluate_on_test(model, x_test, y_test):
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    return {"loss": loss, "acc": accuracy}
''',
        "only the first batch (test_on_batch)": '''
def evaluate_on_test(model, x_test, y_test):
    loss, accuracy = model.test_on_batch(x_test[:32], y_test[:32])
    return {"loss": float(loss), "accuracy": float(accuracy)}
''',
    },
    BY_HAND: {
        "argmax over axis 0 (the samples)": '''
def accuracy_by_hand(model, x, y):
    return float(np.mean(np.argmax(model.predict(x, verbose=0), axis=0) == y))
''',
        "labels as a column: (n, 1) == (n,) broadcasts to (n, n)": '''
def accuracy_by_hand(model, x, y):
    predicted = np.argmax(model.predict(x, verbose=0), axis=-1)
    return float(np.mean(predicted.reshape(-1, 1) == y))
''',
        "counts the correct samples instead of the fraction": '''
def accuracy_by_hand(model, x, y):
    return int(np.sum(np.argmax(model.predict(x, verbose=0), axis=-1) == y))
''',
        "compares the largest probability with the label": '''
def accuracy_by_hand(model, x, y):
    return float(np.mean(np.max(model.predict(x, verbose=0), axis=-1) == y))
''',
        "predicts on the training data": '''
def accuracy_by_hand(model, x, y):
    return float(np.mean(np.argmax(model.predict(data.x_train, verbose=0), axis=-1)[:len(y)] == y))
''',
        "returns the per-sample comparison, not its mean": '''
def accuracy_by_hand(model, x, y):
    return np.argmax(model.predict(x, verbose=0), axis=-1) == y
''',
    },
    PER_CLASS: {
        "divides by how often the class was predicted (precision)": '''
def per_class_accuracy(y_true, y_pred, num_classes):
    result = np.full(num_classes, np.nan)
    for c in range(num_classes):
        if np.any(y_pred == c):
            result[c] = np.mean(y_true[y_pred == c] == c)
    return result
''',
        "the overall accuracy, repeated for every class": '''
def per_class_accuracy(y_true, y_pred, num_classes):
    return np.full(num_classes, np.mean(y_true == y_pred))
''',
        "counts of correct predictions instead of fractions": '''
def per_class_accuracy(y_true, y_pred, num_classes):
    return np.bincount(y_true[y_true == y_pred], minlength=num_classes).astype(float)
''',
        "divides by all samples, not by the class's samples": '''
def per_class_accuracy(y_true, y_pred, num_classes):
    return np.bincount(y_true[y_true == y_pred], minlength=num_classes) / len(y_true)
''',
        "num_classes ignored: only the classes present": '''
def per_class_accuracy(y_true, y_pred, num_classes):
    return np.array([np.mean(y_pred[y_true == c] == c) for c in np.unique(y_true)])
''',
        "a class with no samples reported as 0 (it has no accuracy)": '''
def per_class_accuracy(y_true, y_pred, num_classes):
    totals = np.bincount(y_true, minlength=num_classes)
    correct = np.bincount(y_true[y_true == y_pred], minlength=num_classes)
    return correct / np.maximum(totals, 1)
''',
    },
}

RIGHT = {
    EVALUATE: {
        "return_dict=True and keyword arguments": '''
def evaluate_on_test(model, x_test, y_test):
    return model.evaluate(x=x_test, y=y_test, batch_size=64, verbose=0, return_dict=True)
''',
    },
    BY_HAND: {
        "calling the model and tf.argmax with axis=1": '''
def accuracy_by_hand(model, x, y):
    predicted = tf.argmax(model(x, training=False), axis=1).numpy()
    return (predicted == np.asarray(y)).sum() / len(y)
''',
    },
    PER_CLASS: {
        "bincount ratios with nan where a class is missing": '''
def per_class_accuracy(y_true, y_pred, num_classes):
    totals = np.bincount(y_true, minlength=num_classes).astype(float)
    correct = np.bincount(y_true[y_true == y_pred], minlength=num_classes)
    totals[totals == 0] = np.nan
    return correct / totals
''',
        "a plain list from a loop": '''
def per_class_accuracy(y_true, y_pred, num_classes):
    out = []
    for c in range(num_classes):
        hits = [p == c for t, p in zip(y_true, y_pred) if t == c]
        out.append(sum(hits) / len(hits) if hits else float("nan"))
    return out
''',
    },
}

# Issue 17: the model used as given (not trained, not compiled again), nan not None, float32 idioms.
WRONG[EVALUATE].update({
    "trains one more epoch before evaluating": '''
def evaluate_on_test(model, x_test, y_test):
    model.fit(x_test, y_test, epochs=1, verbose=0)
    return model.evaluate(x_test, y_test, verbose=0, return_dict=True)
''',
    "compiles the model again before evaluating": '''
def evaluate_on_test(model, x_test, y_test):
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model.evaluate(x_test, y_test, verbose=0, return_dict=True)
''',
})
WRONG[PER_CLASS].update({
    "None for a class without samples": '''
def per_class_accuracy(y_true, y_pred, num_classes):
    return [np.mean(y_pred[y_true == c] == c) if np.any(y_true == c) else None for c in range(num_classes)]
''',
})
RIGHT[EVALUATE].update({
    "evaluate's list unpacked into numbers, builtin names as variables": '''
def evaluate_on_test(model, x_test, y_test):
    input = model.evaluate(x_test, y_test, verbose=0)
    vars = dict(zip(["loss", "accuracy"], input))
    return {key: float(value) for key, value in vars.items()}
''',
})
RIGHT[BY_HAND].update({
    "tf.reduce_mean of a float32 cast": '''
def accuracy_by_hand(model, x, y):
    predicted = tf.argmax(model.predict(x, verbose=0), axis=-1)
    correct = tf.equal(predicted, tf.cast(y, tf.int64))
    return tf.reduce_mean(tf.cast(correct, tf.float32))
''',
    "keras.metrics.Accuracy": '''
def accuracy_by_hand(model, x, y):
    metric = keras.metrics.Accuracy()
    metric.update_state(y, np.argmax(model.predict(x, verbose=0), axis=-1))
    return float(metric.result())
''',
})
RIGHT[PER_CLASS].update({
    "a helper function with type hints": '''
def _share(hits: np.ndarray) -> float:
    return float(np.mean(hits)) if hits.size else np.nan


def per_class_accuracy(y_true, y_pred, num_classes):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return np.array([_share(y_pred[y_true == c] == c) for c in range(num_classes)])
''',
})
