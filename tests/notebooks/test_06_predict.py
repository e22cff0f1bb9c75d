"""Notebook 06's tests judged in-process: realistic wrong answers are rejected, differently written right ones accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "06-predict"
LABELS = "06_predict_labels"
TOP_K = "06_predict_top_k"
CONFUSION = "06_confusion_matrix"
SOFTMAX = "06_logits_to_probabilities"

WRONG = {
    LABELS: {
        "argmax over axis 0 (the samples)": '''
def predict_labels(model, x):
    return np.argmax(model.predict(x, verbose=0), axis=0)
''',
        "returns the probabilities": '''
def predict_labels(model, x):
    return model.predict(x, verbose=0)
''',
        "returns the highest probability, not its class": '''
def predict_labels(model, x):
    return np.max(model.predict(x, verbose=0), axis=-1)
''',
        "keepdims: shape (n, 1)": '''
def predict_labels(model, x):
    return np.argmax(model.predict(x, verbose=0), axis=-1, keepdims=True)
''',
        "labels as floats": '''
def predict_labels(model, x):
    return np.argmax(model.predict(x, verbose=0), axis=-1).astype(float)
''',
        "predicts the notebook's test set, not x": '''
def predict_labels(model, x):
    return np.argmax(model.predict(data.x_test, verbose=0), axis=-1)
''',
    },
    TOP_K: {
        "ascending: the k least probable classes": '''
def predict_top_k(model, x, k):
    return np.argsort(model.predict(x, verbose=0), axis=-1)[:, :k]
''',
        "the right k classes, least probable first": '''
def predict_top_k(model, x, k):
    return np.argsort(model.predict(x, verbose=0), axis=-1)[:, -k:]
''',
        "sorted over axis 0": '''
def predict_top_k(model, x, k):
    return np.argsort(-model.predict(x, verbose=0), axis=0)[:k].T
''',
        "k ignored (always 3)": '''
def predict_top_k(model, x, k):
    return np.argsort(-model.predict(x, verbose=0), axis=-1)[:, :3]
''',
        "drops the most probable class": '''
def predict_top_k(model, x, k):
    return np.argsort(-model.predict(x, verbose=0), axis=-1)[:, 1:k + 1]
''',
        "returns the top probabilities instead of the classes": '''
def predict_top_k(model, x, k):
    return tf.math.top_k(model.predict(x, verbose=0), k=k).values.numpy()
''',
    },
    CONFUSION: {
        "transposed: rows predicted, columns true": '''
def confusion_matrix(y_true, y_pred, num_classes):
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    for t, p in zip(y_true, y_pred):
        matrix[p, t] += 1
    return matrix
''',
        "fancy-index += counts repeated pairs once": '''
def confusion_matrix(y_true, y_pred, num_classes):
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    matrix[y_true, y_pred] += 1
    return matrix
''',
        "num_classes ignored: size from the largest label": '''
def confusion_matrix(y_true, y_pred, num_classes):
    n = max(y_true.max(), y_pred.max()) + 1
    matrix = np.zeros((n, n), dtype=int)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix
''',
        "rows normalised to fractions": '''
def confusion_matrix(y_true, y_pred, num_classes):
    matrix = np.zeros((num_classes, num_classes))
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
''',
        "np.histogram2d: float counts": '''
def confusion_matrix(y_true, y_pred, num_classes):
    matrix, _, _ = np.histogram2d(y_true, y_pred, bins=num_classes, range=[[0, num_classes], [0, num_classes]])
    return matrix
''',
        "only the diagonal (correct predictions)": '''
def confusion_matrix(y_true, y_pred, num_classes):
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    for t, p in zip(y_true, y_pred):
        if t == p:
            matrix[t, t] += 1
    return matrix
''',
    },
    SOFTMAX: {
        "softmax applied twice": '''
def logits_to_probabilities(logits):
    return tf.nn.softmax(tf.nn.softmax(logits, axis=-1), axis=-1).numpy()
''',
        "normalised over axis 0 (the samples)": '''
def logits_to_probabilities(logits):
    e = np.exp(logits - logits.max())
    return e / e.sum(axis=0, keepdims=True)
''',
        "sigmoid instead of softmax": '''
def logits_to_probabilities(logits):
    return 1 / (1 + np.exp(-np.asarray(logits, dtype=float)))
''',
        "exp without normalising": '''
def logits_to_probabilities(logits):
    return np.exp(logits - logits.max(axis=-1, keepdims=True))
''',
        "divides by the sum without exp": '''
def logits_to_probabilities(logits):
    return logits / logits.sum(axis=-1, keepdims=True)
''',
        "no max subtraction: exp overflows for logits of 1000": '''
def logits_to_probabilities(logits):
    e = np.exp(logits)
    return e / e.sum(axis=-1, keepdims=True)
''',
        "the batch's maximum subtracted, not each row's": '''
def logits_to_probabilities(logits):
    e = np.exp(logits - np.max(logits))
    return e / e.sum(axis=-1, keepdims=True)
''',
        "normalised over the whole batch": '''
def logits_to_probabilities(logits):
    e = np.exp(logits - logits.max())
    return e / e.sum()
''',
    },
}

RIGHT = {
    LABELS: {
        "tf.argmax on a direct model call": '''
def predict_labels(model, x):
    return tf.argmax(model(x, training=False), axis=1).numpy()
''',
        "builtin names as variables, argmax method": '''
def predict_labels(model, x):
    input = model.predict(x, verbose=0)
    sum = input.argmax(axis=1)
    return sum
''',
        "a helper function per row": '''
def best_class(row):
    return int(np.argmax(row))


def predict_labels(model, x):
    return np.array([best_class(row) for row in model.predict(x, verbose=0)], dtype=np.int64)
''',
    },
    TOP_K: {
        "tf.math.top_k indices": '''
def predict_top_k(model, x, k):
    return tf.math.top_k(model.predict(x, verbose=0), k=k).indices.numpy()
''',
        "ascending argsort, last k columns reversed": '''
def predict_top_k(model, x, k):
    order = np.argsort(model.predict(x, verbose=0), axis=1)
    return order[:, ::-1][:, :k]
''',
        "sorted() with a key, per row": '''
def predict_top_k(model, x, k):
    probs = model.predict(x, verbose=0)

    def top(row):
        return sorted(range(len(row)), key=lambda c: -row[c])[:k]

    return np.array([top(row) for row in probs])
''',
    },
    CONFUSION: {
        "tf.math.confusion_matrix": '''
def confusion_matrix(y_true, y_pred, num_classes):
    return tf.math.confusion_matrix(y_true, y_pred, num_classes=num_classes).numpy()
''',
        "np.add.at": '''
def confusion_matrix(y_true, y_pred, num_classes):
    matrix = np.zeros([num_classes] * 2, dtype=np.int32)
    np.add.at(matrix, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return matrix
''',
        "np.bincount of flat indices": '''
def confusion_matrix(y_true, y_pred, num_classes):
    flat = np.asarray(y_true) * num_classes + np.asarray(y_pred)
    return np.bincount(flat, minlength=num_classes ** 2).reshape(num_classes, num_classes)
''',
        "vars and sum as variable names": '''
def confusion_matrix(y_true, y_pred, num_classes):
    vars = np.zeros((num_classes, num_classes), dtype=np.int32)
    for sum in zip(y_true, y_pred):
        vars[sum] += 1
    return vars
''',
    },
    SOFTMAX: {
        "tf.nn.softmax once": '''
def logits_to_probabilities(logits):
    return tf.nn.softmax(logits).numpy()
''',
        "log-sum-exp in float64": '''
def logits_to_probabilities(logits):
    z = np.asarray(logits, dtype=np.float64)
    m = np.max(z, axis=-1, keepdims=True)
    log_norm = m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))
    return np.exp(z - log_norm)
''',
        "float32 with sum as a variable name": '''
def logits_to_probabilities(logits):
    z = np.asarray(logits, dtype=np.float32)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    sum = e.sum(axis=-1, keepdims=True)
    return e / sum
''',
        "keras.ops.softmax": '''
def logits_to_probabilities(logits):
    return np.asarray(keras.ops.softmax(logits, axis=-1))
''',
    },
}
