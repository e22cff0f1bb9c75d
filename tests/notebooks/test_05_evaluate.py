"""Notebook 05's tests judged in-process: realistic wrong answers are rejected, differently written right ones accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "05-evaluate"
EVALUATE = "05_evaluate_against_baseline"
BY_HAND = "05_accuracy_by_hand"
PER_CLASS = "05_per_class_accuracy"

WRONG = {
    EVALUATE: {
        "the majority class taken from the test labels": '''
def evaluate_against_baseline(model, test_ds, y_train):
    scores = model.evaluate(test_ds, verbose=0, return_dict=True)
    y_test = np.concatenate([y for x, y in test_ds])
    majority = np.argmax(np.bincount(y_test))
    return {"loss": scores["loss"], "accuracy": scores["accuracy"], "baseline_accuracy": np.mean(y_test == majority)}
''',
        "the majority class's share of the training labels": '''
def evaluate_against_baseline(model, test_ds, y_train):
    scores = model.evaluate(test_ds, verbose=0, return_dict=True)
    return {"loss": scores["loss"], "accuracy": scores["accuracy"],
            "baseline_accuracy": np.bincount(y_train).max() / len(y_train)}
''',
        "a uniform guess over ten classes": '''
def evaluate_against_baseline(model, test_ds, y_train):
    scores = model.evaluate(test_ds, verbose=0, return_dict=True)
    return {"loss": scores["loss"], "accuracy": scores["accuracy"], "baseline_accuracy": 1 / 10}
''',
        "the least frequent class (argmin)": '''
def evaluate_against_baseline(model, test_ds, y_train):
    scores = model.evaluate(test_ds, verbose=0, return_dict=True)
    y_test = np.concatenate([y for x, y in test_ds])
    return {"loss": scores["loss"], "accuracy": scores["accuracy"],
            "baseline_accuracy": np.mean(y_test == np.argmin(np.bincount(y_train)))}
''',
        "the labels of the first batch only": '''
def evaluate_against_baseline(model, test_ds, y_train):
    scores = model.evaluate(test_ds, verbose=0, return_dict=True)
    x, y_test = next(iter(test_ds))
    return {"loss": scores["loss"], "accuracy": scores["accuracy"],
            "baseline_accuracy": float(np.mean(y_test.numpy() == np.argmax(np.bincount(y_train))))}
''',
        "evaluates the notebook's trained_model, not the model passed in": '''
def evaluate_against_baseline(model, test_ds, y_train):
    scores = trained_model.evaluate(test_ds, verbose=0, return_dict=True)
    y_test = np.concatenate([y for x, y in test_ds])
    return {"loss": scores["loss"], "accuracy": scores["accuracy"],
            "baseline_accuracy": np.mean(y_test == np.argmax(np.bincount(y_train)))}
''',
        "evaluates on the training data": '''
def evaluate_against_baseline(model, test_ds, y_train):
    loss, accuracy = model.evaluate(data.x_train, data.y_train, verbose=0)
    y_test = np.concatenate([y for x, y in test_ds])
    return {"loss": loss, "accuracy": accuracy, "baseline_accuracy": np.mean(y_test == np.argmax(np.bincount(y_train)))}
''',
        "loss and accuracy swapped": '''
def evaluate_against_baseline(model, test_ds, y_train):
    accuracy, loss = model.evaluate(test_ds, verbose=0)
    y_test = np.concatenate([y for x, y in test_ds])
    return {"loss": loss, "accuracy": accuracy, "baseline_accuracy": np.mean(y_test == np.argmax(np.bincount(y_train)))}
''',
        "only the first batch (test_on_batch)": '''
def evaluate_against_baseline(model, test_ds, y_train):
    x, y = next(iter(test_ds))
    loss, accuracy = model.test_on_batch(x, y)
    y_test = np.concatenate([y for x, y in test_ds])
    return {"loss": float(loss), "accuracy": float(accuracy),
            "baseline_accuracy": np.mean(y_test == np.argmax(np.bincount(y_train)))}
''',
        "accuracies as percentages": '''
def evaluate_against_baseline(model, test_ds, y_train):
    scores = model.evaluate(test_ds, verbose=0, return_dict=True)
    y_test = np.concatenate([y for x, y in test_ds])
    return {"loss": scores["loss"], "accuracy": 100 * scores["accuracy"],
            "baseline_accuracy": 100 * np.mean(y_test == np.argmax(np.bincount(y_train)))}
''',
        "returns evaluate's dict, no baseline": '''
def evaluate_against_baseline(model, test_ds, y_train):
    return model.evaluate(test_ds, verbose=0, return_dict=True)
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
        "evaluate's list unpacked, labels gathered batch by batch, Counter.most_common": '''
def evaluate_against_baseline(model, test_ds, y_train):
    from collections import Counter

    loss, accuracy = model.evaluate(test_ds, verbose=0)
    labels = []
    for _, batch_labels in test_ds:
        labels.extend(batch_labels.numpy().tolist())
    majority = Counter(y_train.tolist()).most_common(1)[0][0]
    hits = sum(1 for label in labels if label == majority)
    return {"loss": float(loss), "accuracy": float(accuracy), "baseline_accuracy": hits / len(labels)}
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
def evaluate_against_baseline(model, test_ds, y_train):
    model.fit(test_ds, epochs=1, verbose=0)
    scores = model.evaluate(test_ds, verbose=0, return_dict=True)
    y_test = np.concatenate([y for x, y in test_ds])
    return {**scores, "baseline_accuracy": np.mean(y_test == np.argmax(np.bincount(y_train)))}
''',
    "compiles the model again before evaluating": '''
def evaluate_against_baseline(model, test_ds, y_train):
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    scores = model.evaluate(test_ds, verbose=0, return_dict=True)
    y_test = np.concatenate([y for x, y in test_ds])
    return {**scores, "baseline_accuracy": np.mean(y_test == np.argmax(np.bincount(y_train)))}
''',
})
WRONG[PER_CLASS].update({
    "None for a class without samples": '''
def per_class_accuracy(y_true, y_pred, num_classes):
    return [np.mean(y_pred[y_true == c] == c) if np.any(y_true == c) else None for c in range(num_classes)]
''',
})
RIGHT[EVALUATE].update({
    "keyword arguments, tf.unique_with_counts, builtin names as variables": '''
def evaluate_against_baseline(model, test_ds, y_train):
    input = model.evaluate(x=test_ds, verbose=0, return_dict=True)
    values, _, counts = tf.unique_with_counts(tf.constant(y_train))
    vars = values[tf.argmax(counts)]
    y_test = tf.concat([y for _, y in test_ds], axis=0)
    hits = tf.cast(tf.equal(tf.cast(y_test, vars.dtype), vars), tf.float32)
    return {"loss": input["loss"], "accuracy": input["accuracy"], "baseline_accuracy": float(tf.reduce_mean(hits))}
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
