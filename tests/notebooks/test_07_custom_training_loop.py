"""Notebook 07's tests judged in-process: wrong GradientTape code is rejected, differently written right code accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "07-custom-training-loop"
TRAIN_STEP = "07_train_step"
EVAL_STEP = "07_eval_step"
TRAIN_LOOP = "07_train_loop"
CLIPPED_STEP = "07_clipped_train_step"
CLIPPED_MODEL = "07_clipped_model"

# One template for the loop mutants: each one changes a single marked line or block of the reference loop.
LOOP = '''
def train_loop(model, train_ds, val_ds, epochs, optimizer, loss_fn):
    loss_metric, accuracy_metric = keras.metrics.Mean(), keras.metrics.SparseCategoricalAccuracy()
    val_loss_metric, val_accuracy_metric = keras.metrics.Mean(), keras.metrics.SparseCategoricalAccuracy()
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    for epoch in range(epochs):
        RESET
        for x, y in train_ds:
            with tf.GradientTape() as tape:
                predictions = model(x, training=True)
                loss = loss_fn(y, predictions)
            gradients = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))
            TRAIN_METRICS
        for x, y in val_ds:
            VALIDATION
        history["loss"].append(LOSS_RESULT)
        history["accuracy"].append(float(accuracy_metric.result()))
        history["val_loss"].append(float(val_loss_metric.result()))
        history["val_accuracy"].append(float(val_accuracy_metric.result()))
    return history
'''
PARTS = {
    "RESET": "for metric in (loss_metric, accuracy_metric, val_loss_metric, val_accuracy_metric):\n"
             "            metric.reset_state()",
    "TRAIN_METRICS": "loss_metric.update_state(loss)\n            accuracy_metric.update_state(y, predictions)",
    "VALIDATION": "predictions = model(x, training=False)\n"
                  "            val_loss_metric.update_state(loss_fn(y, predictions))\n"
                  "            val_accuracy_metric.update_state(y, predictions)",
    "LOSS_RESULT": "float(loss_metric.result())",
}


def loop(**changes: str) -> str:
    """The reference loop with some of its marked parts replaced."""
    source = LOOP
    for key, default in PARTS.items():
        source = source.replace(key, changes.get(key, default))
    return source


STEP = '''
def train_step(model, optimizer, loss_fn, x, y):
{body}
'''

CLIPPED = '''
def clipped_train_step(model, optimizer, loss_fn, x, y, max_norm):
{body}
'''

# Exercise 5's answers: the reference class with its marked lines replaced.
MODEL = '''
class ClippedModel(keras.Model):
    max_norm = 1.0

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = FORWARD
            loss = LOSS
        gradients = tape.gradient(loss, self.trainable_variables)
        CLIP
        self.optimizer.apply(gradients, self.trainable_variables)
        METRICS
        return RESULT
'''
MODEL_PARTS = {
    "FORWARD": "self(x, training=True)",
    "LOSS": "self.compute_loss(x=x, y=y, y_pred=y_pred)",
    "CLIP": "gradients, _ = tf.clip_by_global_norm(gradients, self.max_norm)",
    "METRICS": "for metric in self.metrics:\n"
               "            if metric.name == 'loss':\n"
               "                metric.update_state(loss)\n"
               "            else:\n"
               "                metric.update_state(y, y_pred)",
    "RESULT": "{metric.name: metric.result() for metric in self.metrics}",
}


def model(**changes: str) -> str:
    """The reference ClippedModel with some of its marked parts replaced."""
    source = MODEL
    for key, default in MODEL_PARTS.items():
        source = source.replace(key, changes.get(key, default))
    return source


WRONG = {
    TRAIN_STEP: {
        "no training=True": STEP.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
        "training=False passed explicitly": STEP.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=False))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
        "forward pass outside the tape": STEP.format(body='''
    predictions = model(x, training=True)
    with tf.GradientTape() as tape:
        loss = loss_fn(y, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
        "gradients over model.weights (frozen layer moves)": STEP.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, model.weights)
    optimizer.apply_gradients(zip(gradients, model.weights))
    return loss'''),
        "gradients over the last layer only": STEP.format(body='''
    variables = model.layers[-1].trainable_variables
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return loss'''),
        "gradients over the kernels only, biases left out": STEP.format(body='''
    kernels = [v for v in model.trainable_variables if "kernel" in v.path]
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, kernels)
    optimizer.apply_gradients(zip(gradients, kernels))
    return loss'''),
        "no apply_gradients": STEP.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    return loss'''),
        "post-update loss returned": STEP.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss_fn(y, model(x, training=True))'''),
        "gradient ascent (minus sign)": STEP.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip([-g for g in gradients], model.trainable_variables))
    return loss'''),
        "manual SGD update, the optimizer ignored": STEP.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    for variable, gradient in zip(model.trainable_variables, gradients):
        variable.assign_sub(0.1 * gradient)
    return loss'''),
        "the update applied twice": STEP.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
        "per-sample losses returned, not their mean": STEP.format(body='''
    with tf.GradientTape() as tape:
        predictions = model(x, training=True)
        loss = keras.losses.categorical_crossentropy(tf.one_hot(y, tf.shape(predictions)[-1]), predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
        "returns a Python float (breaks under tf.function)": STEP.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return float(loss)'''),
    },
    EVAL_STEP: {
        "training=True": '''
def eval_step(model, loss_fn, x, y):
    return loss_fn(y, model(x, training=True))
''',
        "updates the weights (a training step with a new optimizer)": '''
def eval_step(model, loss_fn, x, y):
    optimizer = keras.optimizers.SGD(0.1)
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=False))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss
''',
        "returns the predictions": '''
def eval_step(model, loss_fn, x, y):
    return model(x, training=False)
''',
        "returns the accuracy": '''
def eval_step(model, loss_fn, x, y):
    predictions = model(x, training=False)
    return tf.reduce_mean(tf.cast(tf.argmax(predictions, -1) == tf.cast(y, tf.int64), tf.float32))
''',
        "loss hard-wired to integer labels": '''
def eval_step(model, loss_fn, x, y):
    return keras.losses.SparseCategoricalCrossentropy()(y, model(x, training=False))
''',
        "returns nothing": '''
def eval_step(model, loss_fn, x, y):
    loss = loss_fn(y, model(x, training=False))
''',
    },
    TRAIN_LOOP: {
        "metrics never reset, so epoch 2 is cumulative": loop(RESET="pass"),
        "only the training metrics reset": loop(RESET="loss_metric.reset_state(); accuracy_metric.reset_state()"),
        "epoch loss from the last batch only": loop(LOSS_RESULT="float(loss)"),
        "validation step updates the weights": loop(VALIDATION='''with tf.GradientTape() as tape:
                predictions = model(x, training=False)
                val_loss = loss_fn(y, predictions)
            gradients = tape.gradient(val_loss, model.trainable_variables)
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))
            val_loss_metric.update_state(val_loss)
            val_accuracy_metric.update_state(y, predictions)'''),
        "validation in training mode": loop(VALIDATION='''predictions = model(x, training=True)
            val_loss_metric.update_state(loss_fn(y, predictions))
            val_accuracy_metric.update_state(y, predictions)'''),
        "training accuracy from post-update predictions": loop(TRAIN_METRICS='''loss_metric.update_state(loss)
            accuracy_metric.update_state(y, model(x, training=False))'''),
        "validation only on the first batch": loop(VALIDATION='''predictions = model(x, training=False)
            val_loss_metric.update_state(loss_fn(y, predictions))
            val_accuracy_metric.update_state(y, predictions)
            break'''),
        "model.compile and model.fit instead of a loop": '''
def train_loop(model, train_ds, val_ds, epochs, optimizer, loss_fn):
    model.compile(optimizer=optimizer, loss=loss_fn, metrics=["accuracy"])
    return model.fit(train_ds, validation_data=val_ds, epochs=epochs, shuffle=False, verbose=0).history
''',
        "a new optimizer each epoch (momentum state lost)": loop(
            RESET=PARTS["RESET"] + "\n        optimizer = keras.optimizers.SGD(learning_rate=float(optimizer.learning_rate),"
                                   " momentum=float(optimizer.momentum))"),
        "history keys named like Keras 2 ('acc')": loop().replace('"accuracy"', '"acc"').replace(
            '"val_accuracy"', '"val_acc"'),
    },
    CLIPPED_STEP: {
        "penalties left out of the loss": CLIPPED.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients, _ = tf.clip_by_global_norm(tape.gradient(loss, model.trainable_variables), max_norm)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
        "penalties added after the tape (reported, never minimised)": CLIPPED.format(body='''
    with tf.GradientTape() as tape:
        data_loss = loss_fn(y, model(x, training=True))
    loss = data_loss + sum(model.losses)
    gradients, _ = tf.clip_by_global_norm(tape.gradient(data_loss, model.trainable_variables), max_norm)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
        "minimises the total loss, returns the data loss": CLIPPED.format(body='''
    with tf.GradientTape() as tape:
        data_loss = loss_fn(y, model(x, training=True))
        loss = data_loss + sum(model.losses)
    gradients, _ = tf.clip_by_global_norm(tape.gradient(loss, model.trainable_variables), max_norm)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return data_loss'''),
        "the mean of the penalties instead of their sum": CLIPPED.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
        if model.losses:
            loss = loss + tf.reduce_mean(model.losses)
    gradients, _ = tf.clip_by_global_norm(tape.gradient(loss, model.trainable_variables), max_norm)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
        "tf.add_n of the penalties (fails without regularisers)": CLIPPED.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + tf.add_n(model.losses)
    gradients, _ = tf.clip_by_global_norm(tape.gradient(loss, model.trainable_variables), max_norm)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
        "each tensor clipped on its own (tf.clip_by_norm)": CLIPPED.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    gradients = [tf.clip_by_norm(g, max_norm) for g in tape.gradient(loss, model.trainable_variables)]
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
        "the optimizer's per-tensor clipnorm": CLIPPED.format(body='''
    optimizer.clipnorm = max_norm
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
        "clipped by value, not by norm": CLIPPED.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    gradients = [tf.clip_by_value(g, -max_norm, max_norm) for g in tape.gradient(loss, model.trainable_variables)]
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
        "clipped gradients computed, the unclipped ones applied": CLIPPED.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    gradients = tape.gradient(loss, model.trainable_variables)
    clipped, _ = tf.clip_by_global_norm(gradients, max_norm)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
        "always rescaled to max_norm, even short steps (stretched)": CLIPPED.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    gradients = tape.gradient(loss, model.trainable_variables)
    norm = tf.linalg.global_norm(gradients)
    optimizer.apply_gradients(zip([g * max_norm / norm for g in gradients], model.trainable_variables))
    return loss'''),
        "forward pass in inference mode": CLIPPED.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x)) + sum(model.losses)
    gradients, _ = tf.clip_by_global_norm(tape.gradient(loss, model.trainable_variables), max_norm)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss'''),
    },
    CLIPPED_MODEL: {
        "the loss function without the penalties": model(
            LOSS="tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, y_pred))"),
        "forward pass in inference mode": model(FORWARD="self(x)"),
        "no clipping": model(CLIP="pass"),
        "clipped to a fixed 1.0, max_norm ignored": model(CLIP="gradients, _ = tf.clip_by_global_norm(gradients, 1.0)"),
        "each tensor clipped on its own": model(CLIP="gradients = [tf.clip_by_norm(g, self.max_norm) for g in gradients]"),
        "the loss metric never updated": model(METRICS="""for metric in self.metrics:
            if metric.name != 'loss':
                metric.update_state(y, y_pred)"""),
        "metrics from a second, post-update forward pass": model(METRICS="""y_after = self(x, training=False)
        for metric in self.metrics:
            if metric.name == 'loss':
                metric.update_state(loss)
            else:
                metric.update_state(y, y_after)"""),
        "returns only the step's loss (accuracy missing from the history)": model(RESULT="{'loss': loss}"),
        "calls the parent's train_step after its own update (two updates per batch)": model(
            RESULT="super().train_step(data)"),
        "overrides call instead of train_step": '''
class ClippedModel(keras.Model):
    max_norm = 1.0

    def call(self, inputs, training=False):
        return super().call(inputs, training=training)
''',
    },
}

RIGHT = {
    TRAIN_STEP: {
        "persistent tape, keyword loss call, tf.identity on the result": STEP.format(body='''
    variables = model.trainable_variables
    with tf.GradientTape(persistent=True) as tape:
        probabilities = model(x, training=True)
        batch_loss = loss_fn(y_true=y, y_pred=probabilities)
    grads = tape.gradient(batch_loss, variables)
    del tape
    optimizer.apply_gradients(list(zip(grads, variables)))
    return tf.identity(batch_loss)'''),
        "a helper for the loss, vars as a variable name": '''
def compute_loss(model, loss_fn, x, y):
    return loss_fn(y, model(x, training=True))


def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = compute_loss(model, loss_fn, x, y)
    vars = model.trainable_variables
    optimizer.apply_gradients(zip(tape.gradient(loss, vars), vars))
    return loss
''',
        "float32 reduce_mean of per-sample losses": STEP.format(body='''
    with tf.GradientTape() as tape:
        probs = model(x, training=True)
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, probs))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss'''),
        "optimizer.apply(grads, variables), Keras 3's spelling": STEP.format(body='''
    with tf.GradientTape() as tape:
        loss_value = loss_fn(y, model(x, training=True))
    optimizer.apply(tape.gradient(loss_value, model.trainable_weights), model.trainable_weights)
    return loss_value'''),
    },
    EVAL_STEP: {
        "keyword arguments, a tensor input and a float result": '''
def eval_step(model, loss_fn, x, y):
    probabilities = model(tf.convert_to_tensor(x), training=False)
    return float(loss_fn(y_true=y, y_pred=probabilities))
''',
    },
    TRAIN_LOOP: {
        "lists of batch losses and a reduce_mean of casts for the accuracy": '''
def train_loop(model, train_ds, val_ds, epochs, optimizer, loss_fn):
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}

    def hits(y, probs):
        predicted = tf.argmax(probs, axis=-1, output_type=tf.int32)
        return tf.cast(tf.equal(predicted, tf.cast(y, tf.int32)), tf.float32)

    for _ in range(epochs):
        losses, correct, val_losses, val_correct = [], [], [], []
        for x, y in train_ds:
            with tf.GradientTape() as tape:
                probs = model(x, training=True)
                loss = loss_fn(y, probs)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            losses.append(loss)
            correct.append(hits(y, probs))
        for x, y in val_ds:
            probs = model(x, training=False)
            val_losses.append(loss_fn(y, probs))
            val_correct.append(hits(y, probs))
        history["loss"].append(float(tf.reduce_mean(losses)))
        history["accuracy"].append(float(tf.reduce_mean(tf.concat(correct, axis=0))))
        history["val_loss"].append(float(tf.reduce_mean(val_losses)))
        history["val_accuracy"].append(float(tf.reduce_mean(tf.concat(val_correct, axis=0))))
    return history
''',
        "calls train_step, sample-weighted means, new metrics per epoch": '''
def train_loop(model, train_ds, val_ds, epochs, optimizer, loss_fn):
    history = {name: [] for name in ("loss", "accuracy", "val_loss", "val_accuracy")}
    for _ in range(epochs):
        seen, total, correct = 0, 0.0, 0
        for x, y in train_ds:
            with tf.GradientTape() as tape:
                probabilities = model(x, training=True)
                loss = loss_fn(y, probabilities)
            optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
            n = int(tf.shape(x)[0])
            seen, total = seen + n, total + float(loss) * n
            correct += int(np.sum(np.argmax(probabilities.numpy(), -1) == np.asarray(y)))
        history["loss"].append(total / seen)
        history["accuracy"].append(correct / seen)
        val_acc = keras.metrics.SparseCategoricalAccuracy()
        val_losses = []
        for x, y in val_ds:
            val_losses.append(float(eval_step(model, loss_fn, x, y)))
            val_acc.update_state(y, model(x, training=False))
        history["val_loss"].append(float(np.mean(val_losses)))
        history["val_accuracy"].append(float(val_acc.result()))
    return history
''',
        "a tf.function-compiled step inside the loop": '''
def train_loop(model, train_ds, val_ds, epochs, optimizer, loss_fn):
    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            p = model(x, training=True)
            loss = loss_fn(y, p)
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        return loss, p

    metrics = {"loss": keras.metrics.Mean(), "accuracy": keras.metrics.SparseCategoricalAccuracy(),
               "val_loss": keras.metrics.Mean(), "val_accuracy": keras.metrics.SparseCategoricalAccuracy()}
    history = {k: [] for k in metrics}
    for _ in range(epochs):
        for m in metrics.values():
            m.reset_state()
        for x, y in train_ds:
            loss, p = step(x, y)
            metrics["loss"].update_state(loss)
            metrics["accuracy"].update_state(y, p)
        for x, y in val_ds:
            p = model(x, training=False)
            metrics["val_loss"].update_state(loss_fn(y, p))
            metrics["val_accuracy"].update_state(y, p)
        for k, m in metrics.items():
            history[k].append(float(m.result()))
    return history
''',
    },
    CLIPPED_STEP: {
        "tf.add_n over the data loss and the penalties, optimizer.apply": CLIPPED.format(body='''
    with tf.GradientTape() as tape:
        probabilities = model(x, training=True)
        total = tf.add_n([loss_fn(y, probabilities)] + list(model.losses))
    grads = tape.gradient(total, model.trainable_variables)
    clipped, norm = tf.clip_by_global_norm(grads, clip_norm=max_norm)
    optimizer.apply(clipped, model.trainable_variables)
    return total'''),
        "the global norm computed by hand": CLIPPED.format(body='''
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
        for penalty in model.losses:
            loss += penalty
    grads = tape.gradient(loss, model.trainable_variables)
    norm = tf.sqrt(tf.add_n([tf.reduce_sum(tf.square(g)) for g in grads]))
    scale = tf.minimum(1.0, max_norm / norm)
    optimizer.apply_gradients([(g * scale, v) for g, v in zip(grads, model.trainable_variables)])
    return loss'''),
        "global_clipnorm set on the optimizer": CLIPPED.format(body='''
    optimizer.global_clipnorm = max_norm
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
    return loss'''),
    },
    CLIPPED_MODEL: {
        "compute_metrics, global_clipnorm-style helper, apply_gradients": '''
class ClippedModel(keras.Model):
    max_norm = 1.0

    def _clip(self, grads):
        clipped, _ = tf.clip_by_global_norm(grads, clip_norm=self.max_norm)
        return clipped

    def train_step(self, data):
        inputs, targets = data
        with tf.GradientTape() as tape:
            predictions = self(inputs, training=True)
            loss = self.compute_loss(x=inputs, y=targets, y_pred=predictions)
        grads = self._clip(tape.gradient(loss, self.trainable_weights))
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        for m in self.metrics:
            if m.name == "loss":
                m.update_state(loss)
        return self.compute_metrics(inputs, targets, predictions)
''',
        "compute_loss without x, the metrics by position": model(
            LOSS="self.compute_loss(y=y, y_pred=y_pred)",
            METRICS="""self.metrics[0].update_state(loss)
        for metric in self.metrics[1:]:
            metric.update_state(y, y_pred)"""),
    },
}


def test_loop_template_is_the_reference():
    """Is the unchanged mutant template a correct loop, so each mutant differs from it by its named change only?"""
    assert "RESET" not in loop() and "float(loss_metric.result())" in loop()


def test_visible_train_step_test_names_the_mistake(notebook):
    """Does the visible test tell a student who forgot training=True what to change?"""
    error = notebook.judge(TRAIN_STEP, WRONG[TRAIN_STEP]["no training=True"])["07_train_step_test"]
    assert error is not None and "training=True" in str(error)


def test_visible_clipped_step_test_names_per_tensor_clipping(notebook):
    """Does the visible test tell a student who clipped each tensor on its own to clip by the global norm?"""
    answer = WRONG[CLIPPED_STEP]["each tensor clipped on its own (tf.clip_by_norm)"]
    error = notebook.judge(CLIPPED_STEP, answer)["07_clipped_train_step_test"]
    assert error is not None and "tf.clip_by_global_norm" in str(error)
