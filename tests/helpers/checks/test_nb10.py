"""helpers.checks.nb10: the transfer checks accept the reference and other right answers, and reject the classic
mistakes."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import CheckFailed, nb10
from helpers.checks.rebuild import pack_model
from helpers.reference import nb10 as reference
from helpers.transfer import compile_classifier, keras, tf

layers = keras.layers


def test_reference_answers_pass_the_visible_and_hidden_checks():
    """Do the reference answers pass every check, with the notebook's visible and hidden arguments for many seeds?"""
    for seed in (None, 1, 2):
        nb10.build_image_preprocessing(reference.build_image_preprocessing, seed=seed)
        nb10.unfreeze_from(reference.unfreeze_from, layer_name=None if seed else "block_13_expand", seed=seed)
        nb10.unfreeze_from(reference.unfreeze_from, layer_name=None if seed else "conv_b", base="tiny", seed=seed)
    for seed in range(12):  # every layer of the tiny base as a start, with and without a starting state
        nb10.unfreeze_from(reference.unfreeze_from, layer_name=None, base="tiny", seed=seed)
    nb10.build_transfer_model(reference.build_transfer_model)
    nb10.build_transfer_model(reference.build_transfer_model, num_classes=3, dropout_rate=0.5, filters=3, seed=4)
    nb10.prepare_fine_tuning(reference.prepare_fine_tuning)
    nb10.prepare_fine_tuning(reference.prepare_fine_tuning, layer_name=None, learning_rate=None, seed=9)


def test_drawn_start_layers_exist_in_the_base_the_student_gets():
    """Is every layer a seed draws one the freshly built base has? (Keras numbers default input names per process.)"""
    for seed in range(60):
        start, _ = nb10._unfreeze_case("tiny", None, seed)
        assert start in [layer.name for layer in nb10._fresh_base("tiny", None, seed).layers], seed


# ---- exercise 1 -------------------------------------------------------------------------------------------------

def _preprocess_with_lambda():
    """Right, written differently: rotation as a range, flip, an extra Random layer, then preprocess_input."""
    return keras.Sequential([layers.RandomRotation((-0.1, 0.1)), layers.RandomFlip(mode="horizontal"),
                             layers.RandomContrast(0.1),
                             layers.Lambda(keras.applications.mobilenet_v2.preprocess_input)])


def test_preprocessing_written_differently_passes():
    """Does an answer that scales with preprocess_input after other augmentation layers pass?"""
    nb10.build_image_preprocessing(_preprocess_with_lambda, seed=3)


PREPROCESSING_MUTANTS = {
    "scales to [0, 1]": lambda: keras.Sequential([layers.RandomFlip("horizontal"), layers.Rescaling(1 / 255)]),
    "no scaling": lambda: keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)]),
    "no augmentation": lambda: keras.Sequential([layers.Rescaling(1 / 127.5, offset=-1)]),
    "augments at inference": lambda: keras.Sequential([
        layers.Lambda(lambda x: tf.image.flip_left_right(x)), layers.Rescaling(1 / 127.5, offset=-1)]),
    "resizes": lambda: keras.Sequential([layers.RandomFlip("horizontal"), layers.Resizing(16, 16),
                                         layers.Rescaling(1 / 127.5, offset=-1)]),
    "returns a function": lambda: keras.applications.mobilenet_v2.preprocess_input,
    "rotates by another amount": lambda: keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.3),
                                                           layers.Rescaling(1 / 127.5, offset=-1)]),
    "flips upside down": lambda: keras.Sequential([layers.RandomFlip("vertical"), layers.RandomRotation(0.1),
                                                   layers.Rescaling(1 / 127.5, offset=-1)]),
}


@pytest.mark.parametrize("mistake", sorted(PREPROCESSING_MUTANTS))
def test_preprocessing_mistakes_are_rejected(mistake):
    """Is each classic preprocessing mistake rejected with a message?"""
    with pytest.raises(CheckFailed):
        nb10.build_image_preprocessing(PREPROCESSING_MUTANTS[mistake], seed=2)


# ---- exercise 2 -------------------------------------------------------------------------------------------------

def _transfer(preprocess=True, training=False, pool="gap", dropout=True, activation="softmax", freeze=True):
    def build(base_model, num_classes, preprocessing, dropout_rate):
        base_model.trainable = not freeze
        inputs = keras.Input(shape=base_model.input_shape[1:])
        x = preprocessing(inputs) if preprocess else inputs
        x = base_model(x, training=training)
        x = layers.GlobalAveragePooling2D()(x) if pool == "gap" else layers.Flatten()(x)
        x = layers.Dropout(dropout_rate)(x) if dropout else x
        return keras.Model(inputs, layers.Dense(num_classes, activation=activation)(x))
    return build


def _transfer_sequential(base_model, num_classes, preprocessing, dropout_rate):
    """Right, written differently: a Sequential model, with an explicit Activation layer."""
    base_model.trainable = False
    return keras.Sequential([keras.Input(shape=base_model.input_shape[1:]), preprocessing, base_model,
                             layers.GlobalAveragePooling2D(), layers.Dropout(rate=dropout_rate),
                             layers.Dense(num_classes), layers.Activation("softmax")])


def test_transfer_model_written_differently_passes():
    """Does a Sequential answer with a separate softmax Activation pass (a frozen base runs in inference mode)?"""
    nb10.build_transfer_model(_transfer_sequential, seed=5)


TRANSFER_MUTANTS = {
    "pixels not rescaled": _transfer(preprocess=False),
    "base in training mode": _transfer(training=True),
    "Flatten": _transfer(pool="flatten"),
    "no Dropout": _transfer(dropout=False),
    "no softmax": _transfer(activation=None),
    "base not frozen": _transfer(freeze=False),
}


@pytest.mark.parametrize("mistake", sorted(TRANSFER_MUTANTS))
def test_transfer_model_mistakes_are_rejected(mistake):
    """Is each classic mistake in the transfer model rejected?"""
    with pytest.raises(CheckFailed):
        nb10.build_transfer_model(TRANSFER_MUTANTS[mistake], num_classes=3, dropout_rate=0.3, seed=6)


# ---- exercise 3 -------------------------------------------------------------------------------------------------

def _unfreeze(offset=0, keep_bn=True, order="base_first", reset_below=True):
    def unfreeze(base_model, layer_name):
        if order == "base_first":
            base_model.trainable = True
        names = [layer.name for layer in base_model.layers]
        start = names.index(layer_name) + offset
        for i, layer in enumerate(base_model.layers):
            if i >= start:
                layer.trainable = not (keep_bn and isinstance(layer, layers.BatchNormalization))
            elif reset_below:
                layer.trainable = False
        if order == "base_last":
            base_model.trainable = True
        return base_model
    return unfreeze


def _unfreeze_by_slices(base_model, layer_name):
    """Right, written differently: freeze all, then unfreeze a slice found with get_layer."""
    base_model.trainable = True
    start = base_model.layers.index(base_model.get_layer(layer_name))
    for layer in base_model.layers[:start]:
        layer.trainable = False
    for layer in base_model.layers[start:]:
        layer.trainable = type(layer).__name__ != "BatchNormalization"
    return base_model


def test_unfreeze_written_differently_passes():
    """Does an answer with slices and get_layer pass, on MobileNetV2 and on drawn starting states?"""
    nb10.unfreeze_from(_unfreeze_by_slices)
    for seed in range(4):
        nb10.unfreeze_from(_unfreeze_by_slices, layer_name=None, base="tiny", seed=seed)


UNFREEZE_MUTANTS = {
    "off by one": _unfreeze(offset=1),
    "BatchNormalization unfrozen": _unfreeze(keep_bn=False),
    "base.trainable set last": _unfreeze(order="base_last"),
    "base left frozen": _unfreeze(order="never"),
    "layers below not refrozen": _unfreeze(reset_below=False),
}


@pytest.mark.parametrize("mistake", sorted(UNFREEZE_MUTANTS))
def test_unfreeze_mistakes_are_rejected(mistake):
    """Is each classic unfreezing mistake rejected, by the visible call or a hidden one?"""
    student = UNFREEZE_MUTANTS[mistake]
    with pytest.raises(CheckFailed):
        nb10.unfreeze_from(student)
        for seed in range(3):
            nb10.unfreeze_from(student, layer_name=None, seed=seed)


# ---- exercise 4 -------------------------------------------------------------------------------------------------

def _no_recompile(model, base_model, layer_name, learning_rate):
    reference.unfreeze_from(base_model, layer_name)
    model.optimizer.learning_rate.assign(learning_rate)
    return model


FINE_TUNING_MUTANTS = {
    "no recompile": _no_recompile,
    "SGD": lambda m, b, n, lr: (reference.unfreeze_from(b, n), m.compile(keras.optimizers.SGD(lr),
                                "sparse_categorical_crossentropy", metrics=["accuracy"]), m)[-1],
    "old learning rate": lambda m, b, n, lr: (reference.unfreeze_from(b, n), compile_classifier(m, 1e-2))[-1],
    "no accuracy": lambda m, b, n, lr: (reference.unfreeze_from(b, n), m.compile(keras.optimizers.Adam(lr),
                                        "sparse_categorical_crossentropy"), m)[-1],
    "whole base unfrozen": lambda m, b, n, lr: (setattr(b, "trainable", True), compile_classifier(m, lr))[-1],
}


@pytest.mark.parametrize("mistake", sorted(FINE_TUNING_MUTANTS))
def test_fine_tuning_mistakes_are_rejected(mistake):
    """Is each classic fine-tuning mistake rejected?"""
    with pytest.raises(CheckFailed):
        nb10.prepare_fine_tuning(FINE_TUNING_MUTANTS[mistake], layer_name="pool", learning_rate=3e-4, seed=2)


# ---- exercise 5: the challenge ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def reference_run() -> dict:
    """The reference answer's observation: trained once, as the notebook's test cells do."""
    return nb10.train_best_model.observe(reference.train_best_model, min_accuracy=0.4, seed=None)


def test_challenge_reference_reaches_both_thresholds(reference_run):
    """Does the reference answer pass the 30 % and 40 % cells, judged on the hidden images?"""
    for threshold in (0.3, 0.4):
        nb10.train_best_model.judge(reference_run, min_accuracy=threshold)


def test_challenge_hidden_labels_follow_the_folders_order():
    """Are the hidden images' labels numbered as image_dataset_from_directory numbers the folders (alphabetically)?"""
    x, y = nb10.hidden_images(seed=5, per_class=2)
    assert x.shape == (10, 96, 96, 3) and x.dtype == "float32"
    classes = sorted(nb10.TARGET_CLASSES)
    assert [classes[label] for label in y[::2]] == list(nb10.TARGET_CLASSES)


def _observation(model: keras.Model, seconds: float = 1.0) -> dict:
    return {"seconds": seconds, **pack_model(model, list(nb10._pretrained()))}


def test_challenge_observation_fits_the_graders_output_limit(reference_run):
    """Is the reference model's observation, as sent, under the 1 MB of output the grader keeps per cell?"""
    import json

    from helpers.checks.observed import encode
    assert len(json.dumps(encode(reference_run))) < 200_000


def _untrained_model() -> keras.Model:
    inputs = keras.Input(shape=(96, 96, 3))
    x = layers.Rescaling(1 / 127.5, offset=-1)(inputs)
    x = layers.Conv2D(4, 3, strides=8)(x)
    return keras.Model(inputs, layers.Dense(5, activation="softmax")(layers.GlobalAveragePooling2D()(x)))


def test_challenge_rejects_an_untrained_model():
    """Does a model that learned nothing (about chance, 20 %) fail the 30 % cell?"""
    with pytest.raises(CheckFailed, match="hidden images"):
        nb10.train_best_model.judge(_observation(_untrained_model()), min_accuracy=0.3)


def test_challenge_rejects_a_run_over_the_budget(reference_run):
    """Does a training call longer than the budget fail, however good its model?"""
    with pytest.raises(CheckFailed, match="budget"):
        nb10.train_best_model.judge({**reference_run, "seconds": nb10.CHALLENGE_SECONDS + 1}, min_accuracy=0.3)


def test_challenge_refuses_a_model_that_runs_code():
    """Is a model holding a Lambda layer (code the grader would run) refused before Keras reads it?"""
    inputs = keras.Input(shape=(96, 96, 3))
    x = layers.Lambda(keras.applications.mobilenet_v2.preprocess_input)(inputs)
    model = keras.Model(inputs, layers.Dense(5, activation="softmax")(layers.GlobalAveragePooling2D()(x)))
    with pytest.raises(CheckFailed, match="does not rebuild"):
        nb10.train_best_model.judge(_observation(model), min_accuracy=0.3)


def test_challenge_rejects_a_model_for_scaled_pixels():
    """Does a model that expects pixels already scaled (its Rescaling left outside) fail on raw pixels?"""
    inputs = keras.Input(shape=(96, 96, 3))
    x = layers.Conv2D(4, 3, strides=8)(inputs)
    model = keras.Model(inputs, layers.Dense(7, activation="softmax")(layers.GlobalAveragePooling2D()(x)))
    with pytest.raises(CheckFailed, match="one output per class"):
        nb10.train_best_model.judge(_observation(model), min_accuracy=0.3)


@pytest.mark.parametrize("forged", ["labels as weights", "malformed config"])
def test_challenge_forged_observations_fail(reference_run, forged):
    """Does a kernel that sends made-up data instead of a model fail (it never sees the hidden images)?"""
    if forged == "labels as weights":
        observed = {**reference_run, "weights": [np.arange(300) % 5]}
    else:
        observed = {**reference_run, "config": np.frombuffer(__import__("zlib").compress(
            b'{"class_name": "Functional", "config": {"layers": 3}}'), dtype=np.uint8)}
    with pytest.raises(CheckFailed):
        nb10.train_best_model.judge(observed, min_accuracy=0.3)


def test_challenge_scores_the_model_packed_here_as_the_grader_scores_its_rebuild(reference_run):
    """In JupyterLab the check scores the model it packed (no rebuild): the same probabilities as the grader's rebuilt
    model gets, and the student's model keeps its own weights afterwards."""
    from helpers.checks.rebuild import rebuild_model, unpack_model

    config, arrays = unpack_model(reference_run["config"], reference_run["weights"], list(nb10._pretrained()))
    weights = nb10._Weights(arrays)
    packed_here = nb10._packed_here[config, weights.digest]
    own = packed_here.get_weights()
    here = nb10._predictions.__wrapped__(config, weights.digest, weights)
    assert all(np.array_equal(a, b) for a, b in zip(packed_here.get_weights(), own))
    rebuilt = nb10._score(rebuild_model(config, arrays, "test"))
    np.testing.assert_allclose(here, rebuilt, atol=1e-5)


def test_challenge_refuses_code_in_a_model_packed_here():
    """Is a Lambda model refused in the kernel too, where its live model would be scored without a rebuild?"""
    inputs = keras.Input(shape=(96, 96, 3))
    x = layers.Lambda(keras.applications.mobilenet_v2.preprocess_input)(inputs)
    model = keras.Model(inputs, layers.Dense(5, activation="softmax")(layers.GlobalAveragePooling2D()(x)))
    with pytest.raises(CheckFailed, match="does not rebuild"):
        nb10.train_best_model(lambda base, train_ds, val_ds: model, min_accuracy=0.3, seed=7)
