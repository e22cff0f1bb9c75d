"""helpers.checks.nb07: the step and loop checks accept the reference answers and name each mistake."""
from __future__ import annotations

import pytest

from helpers import checks, tf
from helpers.checks import CheckFailed
from helpers.reference import nb07 as reference

keras = tf.keras
SMALL = dict(seed=7, n_samples=12, n_features=20, hidden_units=7, n_classes=3)


def step_in_inference_mode(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


def step_over_all_weights(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, model.weights)
    optimizer.apply_gradients(zip(gradients, model.weights))
    return loss


def step_returning_a_float(model, optimizer, loss_fn, x, y):
    return float(reference.train_step(model, optimizer, loss_fn, x, y))


def test_the_reference_answers_pass():
    """Do the checks accept the reference answers, with visible and hidden-style arguments?"""
    checks.nb07.train_step(reference.train_step)
    checks.nb07.train_step(reference.train_step, **SMALL, model_seed=4, learning_rate=0.2, momentum=0.9, steps=2)
    checks.nb07.train_step(reference.train_step, **SMALL, model_seed=5, steps=2, compiled=True)
    checks.nb07.eval_step(reference.eval_step, **SMALL, model_seed=3, scale=2, one_hot=True)
    checks.nb07.train_loop(reference.train_loop, seed=3, n_train=40, n_val=20, batch_size=10, val_batch_size=5,
                           n_features=20, hidden_units=8, n_classes=3, model_seed=6, epochs=2)


def test_a_step_in_inference_mode_gets_the_training_hint():
    """Is a forward pass without training=True rejected with the hint that names it?"""
    with pytest.raises(CheckFailed, match="before the update(.|\n)*hint: +Call the model with training=True"):
        checks.nb07.train_step(step_in_inference_mode)


def test_a_step_that_moves_frozen_weights_is_named():
    """Is a step that takes gradients over model.weights told that a frozen layer changed?"""
    with pytest.raises(CheckFailed, match="changed the weights of a frozen layer"):
        checks.nb07.train_step(step_over_all_weights, **SMALL)


def test_a_float_result_is_rejected_by_the_judge_eagerly_too():
    """Does a step returning float(loss), which the text rules out, fail when it runs eagerly?

    (Under tf.function, AutoGraph turns float(tensor) into a cast, so the compiled step returns a tensor: the
    verdict rests on the eager calls, which every train_step test cell makes.)
    """
    with pytest.raises(CheckFailed, match="should return the loss tensor itself"):
        checks.nb07.train_step(step_returning_a_float, **SMALL)
    with pytest.raises(CheckFailed, match="should return the loss tensor itself"):
        checks.nb07.train_step(lambda *args: reference.train_step(*args).numpy(), **SMALL)


@pytest.mark.parametrize("seed", [0, 2**31 - 1])
def test_the_reference_passes_for_any_hidden_seed(seed):
    """Do the hidden tests' checks accept the reference for any seed the grader draws?"""
    checks.nb07.train_step(reference.train_step, seed=seed, n_samples=12, n_features=20, hidden_units=7, n_classes=3,
                           model_seed=4, learning_rate=0.2, momentum=0.9, steps=2)
    checks.nb07.train_loop(reference.train_loop, seed=seed, n_train=40, n_val=20, batch_size=10, val_batch_size=5,
                           n_features=20, hidden_units=8, n_classes=3, model_seed=6, epochs=2)


def test_an_eval_step_in_training_mode_is_rejected():
    """Is an evaluation in training mode rejected with the training=False hint?"""
    with pytest.raises(CheckFailed, match="hint: +Call the model with training=False"):
        checks.nb07.eval_step(lambda model, loss_fn, x, y: loss_fn(y, model(x, training=True)))


def test_a_loop_that_fits_is_told_to_write_the_loop():
    """Is a train_loop that calls compile and fit rejected, with the message that asks for a GradientTape?"""
    def fit_instead(model, train_ds, val_ds, epochs, optimizer, loss_fn):
        model.compile(optimizer=optimizer, loss=loss_fn, metrics=["accuracy"])
        return model.fit(train_ds, validation_data=val_ds, epochs=epochs, shuffle=False, verbose=0).history

    with pytest.raises(CheckFailed, match="Do not call model.compile or model.fit"):
        checks.nb07.train_loop(fit_instead, epochs=1)


def clipped_step_per_tensor(model, optimizer, loss_fn, x, y, max_norm):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    gradients = [tf.clip_by_norm(g, max_norm) for g in tape.gradient(loss, model.trainable_variables)]
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


def clipped_step_without_penalties(model, optimizer, loss_fn, x, y, max_norm):
    with tf.GradientTape() as tape:
        data_loss = loss_fn(y, model(x, training=True))
    loss = data_loss + sum(model.losses)  # reported, but outside the tape: never minimised
    gradients, _ = tf.clip_by_global_norm(tape.gradient(data_loss, model.trainable_variables), max_norm)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


def clipped_step_unclipped(model, optimizer, loss_fn, x, y, max_norm):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
    return loss


def test_the_reference_clipped_step_passes_with_and_without_clipping_and_penalties():
    """Does the check accept the reference with clipping active or not, with L2 penalties or none, and compiled?"""
    checks.nb07.clipped_train_step(reference.clipped_train_step)
    checks.nb07.clipped_train_step(reference.clipped_train_step, **SMALL, model_seed=5, l2=0.05, clip_ratio=2.0)
    checks.nb07.clipped_train_step(reference.clipped_train_step, **SMALL, model_seed=6, l2=0.0, clip_ratio=0.4,
                                   momentum=0.9)
    checks.nb07.clipped_train_step(reference.clipped_train_step, **SMALL, model_seed=7, compiled=True)


@pytest.mark.parametrize("seed", [0, 2**31 - 1])
def test_the_reference_clipped_step_passes_for_any_hidden_seed(seed):
    """Does the clipped-step check accept the reference for any seed the grader draws?"""
    checks.nb07.clipped_train_step(reference.clipped_train_step, seed=seed, n_samples=12, n_features=20,
                                   hidden_units=7, n_classes=3, model_seed=4, l2=0.05, clip_ratio=0.3)


@pytest.mark.parametrize(("student", "hint"), [
    (clipped_step_per_tensor, "Clip all the gradients together with tf.clip_by_global_norm"),
    (clipped_step_without_penalties, "Add sum\\(model.losses\\) to the loss inside the tape"),
    (clipped_step_unclipped, "Clip the gradients with tf.clip_by_global_norm\\(gradients, max_norm\\) before"),
])
def test_a_clipped_step_mistake_is_named_from_the_weights(student, hint):
    """Is each way of getting the weights wrong (per-tensor clipping, penalties outside the tape, no clipping) named?"""
    with pytest.raises(CheckFailed, match=f"after step 1, the weights(.|\\n)*hint: +{hint}"):
        checks.nb07.clipped_train_step(student, **SMALL)


def test_clipping_below_the_norm_is_not_required():
    """With max_norm above the gradients' norm, is an unclipped step accepted (the text's 'at most max_norm')?"""
    checks.nb07.clipped_train_step(clipped_step_unclipped, **SMALL, clip_ratio=2.0, steps=1)


def test_a_data_only_loss_is_told_to_add_the_penalties():
    """Is a step that returns the data loss alone told to return the total loss?"""
    def returns_data_loss(model, optimizer, loss_fn, x, y, max_norm):
        with tf.GradientTape() as tape:
            data_loss = loss_fn(y, model(x, training=True))
            loss = data_loss + sum(model.losses)
        gradients, _ = tf.clip_by_global_norm(tape.gradient(loss, model.trainable_variables), max_norm)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return data_loss

    with pytest.raises(CheckFailed, match="total loss(.|\\n)*hint: +Return loss_fn\\(y, predictions\\) \\+ sum"):
        checks.nb07.clipped_train_step(returns_data_loss, **SMALL)


class UnclippedModel(reference.ClippedModel):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        self.optimizer.apply(tape.gradient(loss, self.trainable_variables), self.trainable_variables)
        for metric in self.metrics:
            metric.update_state(loss) if metric.name == "loss" else metric.update_state(y, y_pred)
        return {metric.name: metric.result() for metric in self.metrics}


LOOP_DATA = dict(seed=17, n_train=40, n_val=20, batch_size=10, n_features=20, hidden_units=8, n_classes=3)


def test_the_reference_model_passes_compiled_and_eagerly():
    """Does the ClippedModel check accept the reference, with clipping active, inactive, eagerly, without penalties?"""
    checks.nb07.clipped_model(reference.ClippedModel)
    checks.nb07.clipped_model(reference.ClippedModel, **LOOP_DATA, model_seed=4, l2=0.0, max_norm=100.0, eager=True)


def test_an_unclipped_model_fails_only_when_clipping_is_active():
    """Is a train_step that never clips rejected with a small max_norm, and accepted when max_norm is never reached?"""
    with pytest.raises(CheckFailed, match="after fit, weight tensor"):
        checks.nb07.clipped_model(UnclippedModel, **LOOP_DATA, max_norm=0.05)
    checks.nb07.clipped_model(UnclippedModel, **LOOP_DATA, max_norm=100.0, eager=True)


def test_a_function_instead_of_a_class_is_told_to_extend_model():
    """Is something that is not a keras.Model subclass rejected with the message that asks for one?"""
    with pytest.raises(CheckFailed, match="extends keras.Model"):
        checks.nb07.clipped_model(reference.clipped_train_step)
