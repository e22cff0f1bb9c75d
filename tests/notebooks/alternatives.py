"""Correct answers to exercises 01-10, written the ways students write them (issue #17's false-positive corpus).

Other APIs than the reference, float32 idioms (``tf.reduce_mean(tf.cast(...,
tf.float32))``), helper functions, type hints, extra prints, builtin names
(``vars``, ``sum``, ``input``) used as variables, a layer named ``"input"``.
Every one of them must get full marks. ``test_alternatives.py`` grades them
in-process and, as ``alternative-N`` students, with real ``nbgrader autograde``.

``FAILING`` lists the ones that lose marks today, with the reason: the checks'
owners fix the checks; the answers stay as they are.
"""
from __future__ import annotations

import functools
from typing import Callable

from nbformat import NotebookNode

ALTERNATIVES: dict[str, dict[str, str]] = {
    "01_build_sequential": {
        "add() calls and a layer named 'input'": '''
def build_sequential_model(input_dim: int, hidden_units: int, num_classes: int) -> keras.Sequential:
    model = keras.Sequential(name="digits")
    model.add(keras.layers.Input(shape=(input_dim,), name="input"))
    model.add(keras.layers.Dense(hidden_units, activation=tf.nn.relu, name="hidden"))
    model.add(keras.layers.Dense(num_classes, activation=tf.nn.softmax, name="output"))
    print(model.summary())
    return model
''',
        "builtin `input` and `vars` as variable names": '''
def build_sequential_model(input_dim, hidden_units, num_classes):
    input = keras.Input((input_dim,))
    layers = [input, keras.layers.Dense(units=hidden_units, activation="relu"),
              keras.layers.Dense(units=num_classes, activation="softmax")]
    model = keras.Sequential(layers)
    vars = model.trainable_variables
    print("trainable variables:", len(vars))
    return model
''',
    },
    "01_build_functional": {
        "a helper function and an input layer named 'input'": '''
def dense_block(x, units, activation):
    return keras.layers.Dense(units, activation=activation)(x)


def build_functional_model(input_dim, hidden_units, num_classes):
    inputs = keras.Input(shape=(input_dim,), name="input")
    hidden = dense_block(inputs, hidden_units, "relu")
    return keras.Model(inputs=inputs, outputs=dense_block(hidden, num_classes, "softmax"))
''',
        "separate Activation layers": '''
def build_functional_model(input_dim, hidden_units, num_classes):
    x = keras.layers.Input(shape=[input_dim])
    h = keras.layers.Activation("relu")(keras.layers.Dense(hidden_units)(x))
    out = keras.layers.Softmax()(keras.layers.Dense(num_classes)(h))
    return keras.Model(x, out)
''',
    },
    "01_build_subclassed": {
        "type hints, tf.zeros and a super() with arguments": '''
class MLP(keras.Model):
    def __init__(self, hidden_units: int, num_classes: int):
        super(MLP, self).__init__()
        self.dense1 = keras.layers.Dense(hidden_units)
        self.dense2 = keras.layers.Dense(num_classes)

    def call(self, inputs, training=False):
        h = tf.nn.relu(self.dense1(inputs))
        return tf.nn.softmax(self.dense2(h))


def build_subclassed_model(input_dim: int, hidden_units: int, num_classes: int) -> MLP:
    model = MLP(hidden_units, num_classes)
    model(tf.zeros((1, input_dim)))
    return model
''',
        "build() instead of a call on zeros, then a call": '''
class MLP(keras.Model):
    def __init__(self, hidden_units, num_classes):
        super().__init__()
        self.hidden = keras.layers.Dense(hidden_units, activation="relu")
        self.out = keras.layers.Dense(num_classes, activation="softmax")

    def call(self, x, training=None):
        x = self.hidden(x)
        return self.out(x)


def build_subclassed_model(input_dim, hidden_units, num_classes):
    model = MLP(hidden_units=hidden_units, num_classes=num_classes)
    zeros = np.zeros(shape=(1, input_dim), dtype=np.float32)
    _ = model.predict(zeros, verbose=0)
    return model
''',
    },
    "01_compile_model": {
        "metric objects named 'accuracy' and a loss function": '''
def compile_model(model, learning_rate):
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.sparse_categorical_crossentropy,
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
    return model
''',
        "strings, from_logits=False spelled out, an extra print": '''
def compile_model(model, learning_rate):
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=False)
    opt = keras.optimizers.Adam(learning_rate=learning_rate)
    model.compile(opt, loss, metrics=["accuracy"])
    print("compiled with learning rate", learning_rate)
    return model
''',
    },
    "02_train": {
        "a dict of index lists per class, fit arguments in another order, History kept in a variable": '''
def train(model, x, y, epochs, batch_size, val_fraction):
    by_class = {}
    for i, label in enumerate(y):
        by_class.setdefault(int(label), []).append(i)
    val_idx, train_idx = [], []
    for label, idx in by_class.items():
        n_val = math.ceil(len(idx) * val_fraction)
        val_idx.extend(idx[-n_val:])
        train_idx.extend(idx[:-n_val])
    history = model.fit(x=x[train_idx], y=y[train_idx], batch_size=batch_size,
                        validation_data=[x[val_idx], y[val_idx]], epochs=epochs, verbose=0, shuffle=True)
    print("final val_loss:", history.history["val_loss"][-1])
    return history
''',
    },
    "02_balanced_class_weights": {
        "a loop over classes with an if, `sum` and `vars` shadowed": '''
def balanced_class_weights(y, num_classes):
    sum = len(y)
    vars = [int(np.sum(y == c)) for c in range(num_classes)]
    k = len([n for n in vars if n > 0])
    weights = {}
    for c in range(num_classes):
        if vars[c] == 0:
            weights[c] = 1.0
        else:
            weights[c] = sum / (k * vars[c])
    return weights
''',
        "scikit-learn's compute_class_weight, absent classes filled in": '''
from sklearn.utils.class_weight import compute_class_weight


def balanced_class_weights(y, num_classes):
    present = np.unique(y)
    balanced = compute_class_weight("balanced", classes=present, y=y)
    weights = dict.fromkeys(range(num_classes), 1.0)
    weights.update({int(c): float(w) for c, w in zip(present, balanced)})
    return weights
''',
        "float32 arithmetic and NumPy float values": '''
def balanced_class_weights(y: np.ndarray, num_classes: int) -> dict:
    counts = np.bincount(y, minlength=num_classes).astype(np.float32)
    k = np.float32(np.count_nonzero(counts))
    n = np.float32(len(y))
    return {int(c): (n / (k * counts[c]) if counts[c] > 0 else np.float32(1.0)) for c in range(num_classes)}
''',
    },
    "02_train_balanced": {
        "sample weights for both, from a NumPy lookup table": '''
def train_balanced(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    weights = balanced_class_weights(y_train, model.output_shape[-1])
    table = np.array([weights[c] for c in sorted(weights)])
    history = model.fit(x_train, y_train, sample_weight=table[y_train], batch_size=batch_size, epochs=epochs,
                        validation_data=(x_val, y_val, table[y_val]), verbose=0)
    print("class weights:", weights)
    return history
''',
        "class_weight with a list comprehension and .get": '''
def train_balanced(model, x_train, y_train, x_val, y_val, epochs, batch_size):
    num_classes = model.output_shape[-1]
    class_weight = balanced_class_weights(y_train, num_classes)
    val_sample_weight = np.asarray([class_weight.get(int(label), 1.0) for label in y_val], dtype=np.float32)
    return model.fit(x=x_train, y=y_train, epochs=epochs, batch_size=batch_size, shuffle=True,
                     class_weight=class_weight, validation_data=(x_val, y_val, val_sample_weight), verbose=0)
''',
    },
    "03_make_random_shift": {
        "a generator kept in a closure, the corner drawn as two ints": '''
def make_random_shift(seed):
    g = tf.random.Generator.from_seed(seed)

    def shift(image, label):
        img = tf.reshape(image, [8, 8])
        img = tf.pad(img, paddings=[[1, 1], [1, 1]], constant_values=0.0)
        dy = g.uniform(shape=[], minval=0, maxval=3, dtype=tf.int32)
        dx = g.uniform(shape=[], minval=0, maxval=3, dtype=tf.int32)
        img = img[dy:dy + 8, dx:dx + 8]
        return tf.reshape(img, [64]), label
    return shift
''',
        "tf.roll, then zeros where the pixels wrapped round": '''
def make_random_shift(seed):
    rng = tf.random.Generator.from_seed(seed)
    rows = tf.range(8)[:, None]
    cols = tf.range(8)[None, :]

    def shift(image, label):
        dy, dx = tf.unstack(rng.uniform((2,), -1, 2, dtype=tf.int32))
        rolled = tf.roll(tf.reshape(image, (8, 8)), shift=[dy, dx], axis=[0, 1])
        keep = (rows - dy >= 0) & (rows - dy < 8) & (cols - dx >= 0) & (cols - dx < 8)
        return tf.reshape(tf.where(keep, rolled, tf.zeros_like(rolled)), (64,)), label
    return shift
''',
    },
    "03_make_train_pipeline": {
        "one chained expression, reshuffle left at its default": '''
def make_train_pipeline(x, y, batch_size, shuffle_buffer, seed, augment=None):
    ds = (tf.data.Dataset.from_tensor_slices((x, y))
          .map(lambda img, lab: (tf.cast(img, tf.float32) / 16, lab), num_parallel_calls=tf.data.AUTOTUNE)
          .cache()
          .shuffle(buffer_size=shuffle_buffer, seed=seed))
    if augment is not None:
        ds = ds.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size, drop_remainder=False).prefetch(buffer_size=tf.data.AUTOTUNE)
''',
        "tf.data.experimental.AUTOTUNE, a helper, and an identity map when there is no augment": '''
AUTOTUNE = tf.data.experimental.AUTOTUNE


def _scale(image, label):
    image = tf.cast(image, dtype="float32")
    return image / tf.constant(16.0), label


def make_train_pipeline(x, y, batch_size, shuffle_buffer, seed, augment=None):
    if augment is None:
        augment = lambda image, label: (image, label)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).map(_scale, AUTOTUNE).cache()
    ds = ds.shuffle(shuffle_buffer, seed=seed, reshuffle_each_iteration=True)
    ds = ds.map(augment, num_parallel_calls=AUTOTUNE)
    return ds.batch(batch_size).prefetch(AUTOTUNE)
''',
    },
    "03_make_eval_pipeline": {
        "keyword arguments": '''
def make_eval_pipeline(x, y, batch_size):
    ds = tf.data.Dataset.from_tensor_slices(tensors=(x, y))
    ds = ds.map(map_func=lambda a, b: (tf.cast(a, tf.float32) / 16.0, b), num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.batch(batch_size=batch_size, drop_remainder=False)
    ds = ds.prefetch(buffer_size=tf.data.AUTOTUNE)
    return ds
''',
        "normalise whole batches, then cache": '''
def make_eval_pipeline(x, y, batch_size):
    def to_unit(images, labels):
        return tf.math.divide(tf.cast(images, tf.float32), 16.0), labels

    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size)
    return ds.map(to_unit, num_parallel_calls=tf.data.AUTOTUNE).cache().prefetch(tf.data.AUTOTUNE)
''',
    },
    "04_fit_repeated": {
        "math.ceil on the division, the History's dict copied": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    steps_per_epoch = int(math.ceil(n_train / batch_size))
    h = model.fit(train_ds, validation_data=val_ds, epochs=epochs, steps_per_epoch=steps_per_epoch, verbose=0)
    return dict(h.history)
''',
        "integer rounding up by hand": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    batches_per_pass = (n_train + batch_size - 1) // batch_size
    return model.fit(train_ds, epochs=epochs, steps_per_epoch=batches_per_pass,
                     validation_data=val_ds, verbose=0).history
''',
        "np.ceil, converted to int": '''
def fit_repeated(model, train_ds, val_ds, n_train, batch_size, epochs):
    steps = int(np.ceil(n_train / batch_size))
    history = model.fit(train_ds, epochs=epochs, steps_per_epoch=steps, validation_data=val_ds, verbose=0)
    return history.history
''',
    },
    "04_best_epoch": {
        "a plain loop with strict comparisons": '''
def best_epoch(history, monitor, mode):
    values = history[monitor]
    best_i = 0
    for i, v in enumerate(values):
        if (mode == "min" and v < values[best_i]) or (mode == "max" and v > values[best_i]):
            best_i = i
    return best_i + 1
''',
        "list.index of min / max": '''
def best_epoch(history: dict, monitor: str, mode: str) -> int:
    vals = list(history[monitor])
    pick = min if mode == "min" else max
    return vals.index(pick(vals)) + 1
''',
        "tf.argmin / tf.argmax": '''
def best_epoch(history, monitor, mode):
    values = tf.constant(history[monitor], dtype=tf.float32)
    i = tf.argmin(values) if mode == "min" else tf.argmax(values)
    return int(i.numpy()) + 1
''',
    },
    "04_overfitting_epoch": {
        "a plain loop with an early return": '''
def overfitting_epoch(history, metric, mode, threshold):
    train = history[metric]
    val = history["val_" + metric]
    for i in range(len(train)):
        if mode == "max":
            gap = train[i] - val[i]
        else:
            gap = val[i] - train[i]
        if gap > threshold:
            return i + 1
    return None
''',
        "np.where on the comparison": '''
def overfitting_epoch(history, metric, mode, threshold):
    diff = np.array(history[metric]) - np.array(history["val_" + metric])
    if mode == "min":
        diff = -diff
    idx = np.where(diff > threshold)[0]
    return None if idx.size == 0 else int(idx[0] + 1)
''',
        "float32 TensorFlow tensors and tf.where": '''
def overfitting_epoch(history, metric, mode, threshold):
    train = tf.constant(history[metric], tf.float32)
    val = tf.constant(history["val_" + metric], tf.float32)
    gap = train - val if mode == "max" else val - train
    above = tf.where(gap > threshold)
    if tf.size(above) == 0:
        return None
    return int(above[0, 0]) + 1
''',
    },
    "05_evaluate_against_baseline": {
        "np.unique counts and a running sum over the batches": '''
def evaluate_against_baseline(model, test_ds, y_train):
    results = model.evaluate(test_ds, verbose=0, return_dict=True)
    classes, counts = np.unique(y_train, return_counts=True)
    majority = classes[np.argmax(counts)]
    hits = total = 0
    for _, labels in test_ds:
        labels = labels.numpy()
        hits += int(np.sum(labels == majority))
        total += len(labels)
    return {"loss": float(results["loss"]), "accuracy": float(results["accuracy"]), "baseline_accuracy": hits / total}
''',
        "zip with metrics_names, statistics.mode, labels unbatched": '''
def evaluate_against_baseline(model, test_ds, y_train):
    import statistics

    values = model.evaluate(test_ds, verbose=0)
    named = dict(zip(["loss", "accuracy"], values))
    majority = statistics.mode(list(y_train))
    y_test = np.array([int(y) for _, y in test_ds.unbatch()])
    named["baseline_accuracy"] = float((y_test == majority).mean())
    return named
''',
        "a float32 mean of a comparison in TensorFlow": '''
def evaluate_against_baseline(model, test_ds, y_train):
    scores = model.evaluate(test_ds, verbose=0, return_dict=True)
    majority = int(np.bincount(y_train).argmax())
    y_test = np.concatenate([y.numpy() for _, y in test_ds])
    baseline = tf.reduce_mean(tf.cast(tf.equal(y_test, majority), tf.float32))
    return {"loss": scores["loss"], "accuracy": scores["accuracy"], "baseline_accuracy": float(baseline)}
''',
    },
    "05_accuracy_by_hand": {
        "float32 reduce_mean of casts": '''
def accuracy_by_hand(model, x, y):
    probs = model.predict(x, verbose=0)
    pred = tf.argmax(probs, axis=1)
    correct = tf.equal(pred, tf.cast(y, pred.dtype))
    return float(tf.reduce_mean(tf.cast(correct, tf.float32)))
''',
        "count over the length, `sum` shadowed": '''
def accuracy_by_hand(model, x, y):
    predicted = model.predict(x, verbose=0).argmax(axis=-1)
    sum = np.sum(predicted == np.asarray(y))
    return sum / len(y)
''',
        "keras Accuracy metric on the labels": '''
def accuracy_by_hand(model, x, y):
    labels = np.argmax(model.predict(x, verbose=0), axis=1)
    metric = keras.metrics.Accuracy()
    metric.update_state(y, labels)
    return float(metric.result())
''',
    },
    "05_per_class_accuracy": {
        "np.nan for absent classes via a list": '''
def per_class_accuracy(y_true, y_pred, num_classes):
    y_true = np.array(y_true)
    y_pred = np.array(y_pred)
    out = []
    for c in range(num_classes):
        mask = y_true == c
        n = mask.sum()
        out.append((y_pred[mask] == c).sum() / n if n > 0 else np.nan)
    return np.array(out, dtype=float)
''',
        "bincount with a nan division": '''
def per_class_accuracy(y_true, y_pred, num_classes):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    totals = np.bincount(y_true, minlength=num_classes).astype(float)
    hits = np.bincount(y_true[y_true == y_pred], minlength=num_classes).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(totals > 0, hits / totals, np.nan)
''',
    },
    "06_predict_labels": {
        "argmax method on the prediction and a cast": '''
def predict_labels(model, x):
    return model.predict(x, verbose=0).argmax(axis=1).astype(np.int64)
''',
        "tf.argmax on a direct call": '''
def predict_labels(model, x):
    return tf.argmax(model(x, training=False), axis=-1).numpy()
''',
    },
    "06_predict_top_k": {
        "tf.math.top_k": '''
def predict_top_k(model, x, k):
    probs = model.predict(x, verbose=0)
    return tf.math.top_k(probs, k=k).indices.numpy()
''',
        "argsort reversed": '''
def predict_top_k(model, x, k):
    probs = model.predict(x, verbose=0)
    order = np.argsort(probs, axis=1)[:, ::-1]
    return order[:, :k]
''',
    },
    "06_confusion_matrix": {
        "np.add.at": '''
def confusion_matrix(y_true, y_pred, num_classes):
    m = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(m, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return m
''',
        "bincount of combined indices": '''
def confusion_matrix(y_true, y_pred, num_classes):
    idx = np.asarray(y_true) * num_classes + np.asarray(y_pred)
    return np.bincount(idx, minlength=num_classes * num_classes).reshape(num_classes, num_classes)
''',
        "tf.math.confusion_matrix": '''
def confusion_matrix(y_true, y_pred, num_classes):
    return tf.math.confusion_matrix(y_true, y_pred, num_classes=num_classes).numpy()
''',
    },
    "06_logits_to_probabilities": {
        "tf.nn.softmax": '''
def logits_to_probabilities(logits):
    return tf.nn.softmax(tf.convert_to_tensor(logits, dtype=tf.float64), axis=-1).numpy()
''',
        "float32 NumPy with the max subtracted": '''
def logits_to_probabilities(logits):
    z = np.asarray(logits, dtype=np.float32)
    z = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)
''',
    },
    "07_train_step": {
        "gradients zipped in a list, `vars` shadowed": '''
def train_step(model, optimizer, loss_fn, x, y):
    vars = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, vars)
    optimizer.apply_gradients(list(zip(grads, vars)))
    return loss
''',
    },
    "07_eval_step": {
        "a helper for the forward pass, a tensor input": '''
def _forward(model, x):
    return model(tf.convert_to_tensor(x), training=False)


def eval_step(model, loss_fn, x, y):
    return loss_fn(y, _forward(model, x))
''',
    },
    "07_train_loop": {
        "a train_step helper and float32 means of lists": '''
def _step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        predictions = model(x, training=True)
        loss = loss_fn(y, predictions)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss, predictions


def train_loop(model, train_ds, val_ds, epochs, optimizer, loss_fn):
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    for epoch in range(epochs):
        losses, hits, count = [], 0.0, 0
        for x, y in train_ds:
            loss, predictions = _step(model, optimizer, loss_fn, x, y)
            losses.append(float(loss))
            correct = tf.equal(tf.argmax(predictions, axis=-1), tf.cast(y, tf.int64))
            hits += float(tf.reduce_sum(tf.cast(correct, tf.float32)))
            count += int(tf.shape(y)[0])
        val_losses, val_hits, val_count = [], 0.0, 0
        for x, y in val_ds:
            predictions = model(x, training=False)
            val_losses.append(float(loss_fn(y, predictions)))
            correct = tf.equal(tf.argmax(predictions, axis=-1), tf.cast(y, tf.int64))
            val_hits += float(tf.reduce_sum(tf.cast(correct, tf.float32)))
            val_count += int(tf.shape(y)[0])
        history["loss"].append(float(np.mean(losses)))
        history["accuracy"].append(hits / count)
        history["val_loss"].append(float(np.mean(val_losses)))
        history["val_accuracy"].append(val_hits / val_count)
        print(f"epoch {epoch + 1}: loss {history['loss'][-1]:.3f}")
    return history
''',
    },
    "07_clipped_train_step": {
        "a helper for the total loss, `vars` shadowed, clip_norm by keyword": '''
def total_loss(model, loss_fn, x, y):
    predictions = model(x, training=True)
    penalty = sum(model.losses) if model.losses else 0.0
    return loss_fn(y, predictions) + penalty


def clipped_train_step(model, optimizer, loss_fn, x, y, max_norm):
    vars = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = total_loss(model, loss_fn, x, y)
    grads = tape.gradient(loss, vars)
    grads, global_norm = tf.clip_by_global_norm(t_list=grads, clip_norm=max_norm)
    optimizer.apply_gradients(list(zip(grads, vars)))
    return loss
''',
        "tf.where on tf.linalg.global_norm, reduce_sum of the penalties": '''
def clipped_train_step(model, optimizer, loss_fn, x, y, max_norm):
    with tf.GradientTape() as tape:
        y_pred = model(x, training=True)
        loss = loss_fn(y, y_pred)
        loss += tf.reduce_sum(model.losses)
    grads = tape.gradient(loss, model.trainable_variables)
    norm = tf.linalg.global_norm(grads)
    factor = tf.where(norm > max_norm, max_norm / norm, 1.0)
    grads = [g * factor for g in grads]
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
''',
    },
    "07_clipped_model": {
        "results collected in the metric loop, positional compute_loss, a `vars` variable": '''
class ClippedModel(keras.Model):
    max_norm = 1.0

    def train_step(self, data):
        x, y = data
        vars = self.trainable_variables
        with tf.GradientTape() as tape:
            probs = self(x, training=True)
            loss = self.compute_loss(x, y, probs)
        grads, norm = tf.clip_by_global_norm(tape.gradient(loss, vars), self.max_norm)
        self.optimizer.apply(grads, vars)
        results = {}
        for m in self.metrics:
            if m.name == "loss":
                m.update_state(loss)
            else:
                m.update_state(y, probs)
            results[m.name] = m.result()
        return results
''',
        "max_norm read with getattr, the loss metric updated before the others": '''
class ClippedModel(keras.Model):
    max_norm = 1.0

    def train_step(self, data):
        features, labels = data
        with tf.GradientTape() as tape:
            outputs = self(features, training=True)
            total_loss = self.compute_loss(x=features, y=labels, y_pred=outputs)
        gradients = tape.gradient(total_loss, self.trainable_variables)
        limit = getattr(self, "max_norm", 1.0)
        gradients = tf.clip_by_global_norm(gradients, limit)[0]
        self.optimizer.apply(gradients, self.trainable_variables)
        loss_metric = [m for m in self.metrics if m.name == "loss"][0]
        loss_metric.update_state(total_loss)
        for m in self.metrics:
            if m is not loss_metric:
                m.update_state(labels, outputs)
        return {m.name: m.result() for m in self.metrics}
''',
    },
    "08_train_with_checkpoint": {
        "a str path built with an f-string, callbacks listed inline, positional fit": '''
def train_with_checkpoint(model, train, val, folder, patience, epochs):
    best_file = f"{folder}/best_model.keras"
    model.fit(train[0], train[1], None, epochs, 0, [
        keras.callbacks.EarlyStopping("val_loss", patience=patience),
        keras.callbacks.ModelCheckpoint(best_file, "val_loss", save_best_only=True),
    ], validation_data=val)
    return best_file
''',
        "mode='min' spelled out, verbose checkpoint messages silenced, the stopper listed first": '''
def train_with_checkpoint(model, train, val, folder, patience, epochs):
    checkpoint_path = os.path.join(folder, "digits.keras")
    checkpoint = keras.callbacks.ModelCheckpoint(checkpoint_path, monitor="val_loss", mode="min",
                                                 save_best_only=True, verbose=0)
    early = keras.callbacks.EarlyStopping(monitor="val_loss", mode="min", patience=patience, min_delta=0)
    x_train, y_train = train
    model.fit(x_train, y_train, validation_data=val, epochs=epochs, callbacks=[early, checkpoint], verbose=0)
    return checkpoint_path
''',
    },
    "08_epochs_until_stop": {
        "best starts at infinity": '''
def epochs_until_stop(val_losses, patience, min_delta):
    best = float("inf")
    wait = 0
    for i in range(len(val_losses)):
        if val_losses[i] < best - min_delta:
            best = val_losses[i]
            wait = 0
        else:
            wait += 1
        if wait >= patience and wait > 0:
            return i + 1
    return len(val_losses)
''',
        "np.inf and a counter of epochs run": '''
def epochs_until_stop(val_losses, patience, min_delta):
    best, wait, ran = np.inf, 0, 0
    for loss in val_losses:
        ran += 1
        if best - loss > min_delta:
            best, wait = loss, 0
            continue
        wait += 1
        if wait >= patience:
            break
    return ran
''',
    },
    "08_patience_stopping": {
        "a helper for the comparison and np.inf as the start": '''
class PatienceStopping(keras.callbacks.Callback):
    def __init__(self, monitor="val_loss", patience=0, min_delta=0.0, mode="min", restore_best_weights=False):
        super().__init__()
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.monitor = monitor
        self.patience = patience
        self.min_delta = abs(min_delta)
        self.mode = mode
        self.restore_best_weights = restore_best_weights

    def _better(self, value):
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def on_train_begin(self, logs=None):
        self.best = np.inf if self.mode == "min" else -np.inf
        self.best_epoch = None
        self.best_weights = None
        self.wait = 0

    def on_epoch_end(self, epoch, logs=None):
        current = logs.get(self.monitor)
        if self._better(current):
            self.best = current
            self.best_epoch = epoch
            self.wait = 0
            if self.restore_best_weights:
                self.best_weights = [w.copy() for w in self.model.get_weights()]
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.restore_best_weights and self.best_weights:
            self.model.set_weights(self.best_weights)
''',
    },
    "09_plot_history": {
        "plt.figure and fig.legend": '''
def plot_history(history_dict, metric):
    fig = plt.figure()
    ax = fig.add_subplot(1, 1, 1)
    n = len(history_dict[metric])
    epochs = np.arange(1, n + 1)
    ax.plot(epochs, history_dict[metric], label="train")
    ax.plot(epochs, history_dict[f"val_{metric}"], label="validation")
    ax.set(xlabel="epoch", ylabel=metric)
    fig.legend()
    return fig
''',
        "a list of epochs and a title": '''
def plot_history(history_dict: dict, metric: str):
    fig, ax = plt.subplots()
    train = history_dict[metric]
    val = history_dict["val_" + metric]
    epochs = list(range(1, len(train) + 1))
    ax.plot(epochs, train, "b-", label="train")
    ax.plot(epochs, val, "r--", label="validation")
    ax.set_title(f"{metric} per epoch")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.legend(loc="best")
    return fig
''',
    },
    "09_plot_all_metrics": {
        "a helper per panel and plt.subplots with ncols": '''
def _panel(ax, history_dict, metric):
    epochs = range(1, len(history_dict[metric]) + 1)
    ax.plot(epochs, history_dict[metric], label="train")
    ax.plot(epochs, history_dict["val_" + metric], label="validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.legend()


def plot_all_metrics(history_dict):
    metrics = [k for k in history_dict.keys() if not k.startswith("val_")]
    fig, axes = plt.subplots(nrows=1, ncols=len(metrics), figsize=(5 * len(metrics), 4))
    axes = np.atleast_1d(axes)
    for ax, metric in zip(axes, metrics):
        _panel(ax, history_dict, metric)
    return fig
''',
        "add_subplot in a loop": '''
def plot_all_metrics(history_dict):
    names = [k for k in history_dict if "val_" != k[:4]]
    fig = plt.figure(figsize=(4 * len(names), 3))
    for i, name in enumerate(names):
        ax = fig.add_subplot(1, len(names), i + 1)
        xs = [e + 1 for e in range(len(history_dict[name]))]
        ax.plot(xs, history_dict[name], label="train")
        ax.plot(xs, history_dict["val_" + name], label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.legend()
    return fig
''',
    },
    "09_diagnose_fit": {
        "named thresholds and np.min": '''
def diagnose_fit(history_dict, target_loss):
    loss = np.asarray(history_dict["loss"], dtype=np.float64)
    val = np.asarray(history_dict["val_loss"], dtype=np.float64)
    if val[-1] > 1.1 * np.min(val):
        return "overfitting"
    high_bias = loss[-1] > target_loss
    train_falling = loss[-1] < 0.95 * loss[-4]
    val_falling = val[-1] < 0.95 * val[-4]
    if high_bias or (train_falling and val_falling):
        return "underfitting"
    return "good fit"
''',
        "one return with a conditional expression": '''
def diagnose_fit(history_dict, target_loss):
    l, v = history_dict["loss"], history_dict["val_loss"]
    over = v[-1] > 1.1 * min(v)
    under = l[-1] > target_loss or (l[-1] < 0.95 * l[len(l) - 4] and v[-1] < 0.95 * v[len(v) - 4])
    return "overfitting" if over else ("underfitting" if under else "good fit")
''',
    },
    # ---- 10 · transfer learning with MobileNetV2 ----
    "10_build_image_preprocessing": {
        "a list of layers built first, scaling with preprocess_input in a Lambda, then augmentation": '''
def build_image_preprocessing():
    steps = [keras.layers.Lambda(keras.applications.mobilenet_v2.preprocess_input)]
    steps += [keras.layers.RandomFlip(mode="horizontal"), keras.layers.RandomRotation(factor=(-0.1, 0.1))]
    return keras.Sequential(steps, name="augment_and_scale")
''',
    },
    "10_train_best_model": {
        "features from model.predict on an unshuffled rebatch of one pass, a Sequential head, 40 epochs": '''
def train_best_model(base_model, train_ds, val_ds):
    base_model.trainable = False
    extractor = keras.Sequential([keras.Input(shape=(96, 96, 3)), keras.layers.Rescaling(1 / 127.5, offset=-1),
                                  base_model, keras.layers.GlobalAveragePooling2D()])
    images, labels = [], []
    for x, y in train_ds.concatenate(val_ds):      # one pass: images and labels stay together
        images.append(x.numpy())
        labels.append(y.numpy())
    features = extractor.predict(np.concatenate(images), batch_size=64, verbose=0)
    head = keras.Sequential([keras.Input(shape=(1280,)), keras.layers.Dropout(0.25),
                             keras.layers.Dense(len(train_ds.class_names), activation="softmax")])
    head.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    head.fit(features, np.concatenate(labels), epochs=40, batch_size=24, verbose=0)
    return keras.Sequential([keras.Input(shape=(96, 96, 3)), extractor, head])
''',
        "a Functional extractor called per batch, a Functional head, 50 epochs at 5e-3": '''
def train_best_model(base_model, train_ds, val_ds):
    base_model.trainable = False
    inputs = keras.Input(shape=(96, 96, 3))
    scaled = keras.layers.Rescaling(scale=1 / 127.5, offset=-1.0)(inputs)
    features = keras.layers.GlobalAveragePooling2D()(base_model(scaled, training=False))
    extractor = keras.Model(inputs, features)
    x, y = [], []
    for images, labels in train_ds.concatenate(val_ds):
        x.append(extractor(images, training=False))
        y.append(labels)
    x, y = tf.concat(x, axis=0), tf.concat(y, axis=0)
    head_inputs = keras.Input(shape=(x.shape[-1],))
    head = keras.Model(head_inputs, keras.layers.Dense(5, activation="softmax")(keras.layers.Dropout(0.3)(head_inputs)))
    head.compile(optimizer=keras.optimizers.Adam(learning_rate=0.005), loss="sparse_categorical_crossentropy",
                 metrics=["accuracy"])
    head.fit(x, y, epochs=50, batch_size=32, verbose=0)
    return keras.Model(inputs, head(features))
''',
    },
}

#: (exercise, description) -> why the answer loses marks today (integration-16). Checks are fixed, not answers.
FAILING: dict[tuple[str, str], str] = {}


def assignment_of(exercise: str) -> str:
    """The assignment id (``01-training-steps``) that exercise ``01_build_sequential`` belongs to."""
    from tests import harness

    return next(a for a in harness.assignments() if a[:2] == exercise[:2])


def students(assignment: str) -> dict[str, Callable[[], NotebookNode]]:
    """``alternative-N`` students of ``assignment``: the N-th alternative of each exercise, else the reference.

    Alternatives listed in ``FAILING`` are left out: they are known to lose marks.
    """
    from tests import harness

    usable = {
        exercise: [source for name, source in named.items() if (exercise, name) not in FAILING]
        for exercise, named in ALTERNATIVES.items() if assignment_of(exercise) == assignment
    }

    def build(k: int) -> NotebookNode:
        answers = harness.reference_answers(assignment)
        answers.update({exercise: sources[k] for exercise, sources in usable.items() if k < len(sources)})
        return harness.make_submission(assignment, answers)

    count = max((len(sources) for sources in usable.values()), default=0)
    return {f"alternative-{k + 1}": functools.partial(build, k) for k in range(count)}
