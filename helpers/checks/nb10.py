"""Checks for notebook 10: a frozen base with a new head, trainable weights, and fine-tuning.

Each check builds small models from a seed (the instruments below), calls
the student's function on them, then compares what came back or was left
behind (trainable flags, weights before and after a ``fit``, the optimizer)
with the reference answers of ``helpers.reference.nb10``, applied to separate
copies built the same way.

Instruments: ``tiny_base`` (a tiny random conv base with a Dropout layer that
shows a base called in training mode), ``digits_base`` (the course's digits
base, random weights), ``transfer_probe`` and ``dense_probe`` (models whose
trainable weights are known).

Used by notebook 10's test cells (``checks.nb10.build_transfer_model(build_transfer_model)``).
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from helpers.checks.core import check, check_close, check_equal, check_instance
from helpers.quiet import import_tensorflow
from helpers.reference import nb10 as reference
from helpers.transfer import build_digits_base, compile_classifier

keras = import_tensorflow().keras

ModelMaker = Callable[[], keras.Model]


def tiny_base(input_shape: tuple[int, int, int] = (8, 8, 1), filters: int = 4, seed: int = 0) -> keras.Model:
    """A tiny random conv base for fast tests: Conv-BN-ReLU, Dropout, MaxPool, Conv-BN-ReLU.

    Its ``Dropout`` layer makes a base called in training mode visible: a
    model built with ``base(inputs, training=True)`` then gives different
    outputs for ``model(x)`` and ``model(x, training=False)``.

    Args:
        input_shape: One image's shape. Defaults to ``(8, 8, 1)``.
        filters: Filters of the first conv layer (the second has twice as
            many, the base's output features). Defaults to 4.
        seed: Seed of the random weights (and of Keras's global seed). Defaults to 0.

    Returns:
        An uncompiled Functional model named ``"tiny_base"``.
    """
    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(filters, 3, padding="same", name="conv_a")(inputs)
    x = keras.layers.BatchNormalization(name="bn_a")(x)
    x = keras.layers.ReLU(name="relu_a")(x)
    x = keras.layers.Dropout(0.5, name="dropout")(x)
    x = keras.layers.MaxPooling2D(name="pool")(x)
    x = keras.layers.Conv2D(2 * filters, 3, padding="same", name="conv_b")(x)
    x = keras.layers.BatchNormalization(name="bn_b")(x)
    x = keras.layers.ReLU(name="relu_b")(x)
    return keras.Model(inputs, x, name="tiny_base")


def digits_base(name: str, frozen: bool = False) -> keras.Model:
    """The course's digits base with random weights, named ``name``, frozen or not."""
    base = build_digits_base(name=name)
    base.trainable = not frozen
    return base


def transfer_probe(input_shape: tuple[int, int, int], filters: int, num_classes: int, seed: int,
                   unfreeze: int = 0) -> keras.Model:
    """The reference transfer model on a ``tiny_base``, its top ``unfreeze`` layers unfrozen when not 0."""
    base = tiny_base(input_shape, filters, seed=seed)
    model = reference.build_transfer_model(base, num_classes)
    if unfreeze:
        reference.unfreeze_top_layers(base, unfreeze)
    return model


def dense_probe(inputs: int, units: int, batch_norm: bool = False, frozen: bool = False) -> keras.Model:
    """``Sequential([Input(inputs), (BatchNormalization), Dense(units)])``, frozen or not."""
    layers = [keras.layers.BatchNormalization()] if batch_norm else []
    model = keras.Sequential([keras.Input(shape=(inputs,)), *layers, keras.layers.Dense(units)])
    model.trainable = not frozen
    return model


#: The visible ``count_trainable_params`` cases: ``(story, make_model)``.
VISIBLE_COUNTS: tuple[tuple[str, ModelMaker], ...] = (
    ("Dense(3) on 4 inputs.", lambda: dense_probe(4, 3)),
    ("a frozen tiny base (8 features) and a 3-class head: 8 x 3 + 3.",
     lambda: transfer_probe((8, 8, 1), filters=4, num_classes=3, seed=0)),
)

#: The visible ``unfreeze_top_layers`` case: ``(make_base, n, story)``.
VISIBLE_UNFREEZE: tuple[tuple[ModelMaker, int, str], ...] = (
    (lambda: tiny_base((8, 8, 1), 4, seed=0), 4, "the tiny test base"),
)


def _batch(input_shape: tuple[int, ...], num_classes: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, size=(16, *input_shape)).astype("float32")
    return x, rng.integers(0, num_classes, size=16)


def _changed(before: list[np.ndarray], after: list[np.ndarray]) -> bool:
    return any(not np.allclose(p, q) for p, q in zip(before, after))


def build_transfer_model(student: Callable, input_shape: tuple[int, int, int] = (8, 8, 1), filters: int = 4,
                         num_classes: int = 3, seed: int = 0) -> None:
    """Check exercise 1: ``student(base, num_classes)`` freezes a ``tiny_base`` and puts the reference head on it.

    Args:
        student: The student's ``build_transfer_model``.
        input_shape: The tiny base's input shape. Defaults to ``(8, 8, 1)``.
        filters: The tiny base's first filters. Defaults to 4.
        num_classes: Classes of the head. Defaults to 3.
        seed: Seed of the base's weights and of the batch. Defaults to 0.

    Raises:
        CheckFailed: With what was expected, what came back and a hint.
    """
    name = f"build_transfer_model(tiny base {input_shape}, {num_classes})"
    x, y = _batch(input_shape, num_classes, seed)
    base = tiny_base(input_shape, filters, seed=seed)
    model = student(base, num_classes)

    check_instance(model, keras.Model, f"{name} should return a Keras model.", "End with `return model`.")
    check(base.trainable is False, f"{name}: the base should be frozen.", "base_model.trainable == False",
          f"base_model.trainable == {base.trainable}", "Set base_model.trainable = False.")
    check_equal(tuple(model.output_shape), (None, num_classes), f"{name}: one output per class.",
                "The last Dense layer needs num_classes units.")
    head = 2 * filters * num_classes + num_classes
    check_equal(reference.count_trainable_params(model), head, f"{name}: only the head's weights should be trainable "
                f"({2 * filters} pooled features x {num_classes} classes + {num_classes} biases).",
                "Freeze the base and pool with GlobalAveragePooling2D (Flatten keeps every position).")
    a, b = np.asarray(model(x)), np.asarray(model(x, training=False))
    check(bool(np.allclose(a, b, atol=1e-6)),
          f"{name}: called without a training argument, the base should run in inference mode.",
          "model(x) == model(x, training=False)", "different outputs (the base's Dropout was active)",
          "Call the base as base_model(inputs, training=False).")
    check(bool(np.allclose(b.sum(axis=1), 1.0, atol=1e-4)) and bool((b >= 0).all()),
          f"{name}: each output row should be probabilities that sum to 1.", "rows summing to 1",
          f"rows summing to {np.round(b.sum(axis=1)[:3], 3)}", "Give the Dense layer activation='softmax'.")
    expected = reference.build_transfer_model(tiny_base(input_shape, filters, seed=seed), num_classes)
    check_equal([tuple(w.shape) for w in model.get_weights()], [tuple(w.shape) for w in expected.get_weights()],
                f"{name}: the weights should be the base's, then one Dense kernel and bias.",
                "base -> GlobalAveragePooling2D -> Dense(num_classes, softmax), nothing else.")
    model.set_weights(expected.get_weights())
    check_close(np.asarray(model(x, training=False)), np.asarray(expected(x, training=False)),
                f"{name}: with the reference weights, the outputs should match.",
                "Average the feature map with GlobalAveragePooling2D, then Dense with softmax.", rtol=1e-4, atol=1e-5)
    _check_trains_only_the_head(model, base, x, y, name)


def _check_trains_only_the_head(model: keras.Model, base: keras.Model, x: np.ndarray, y: np.ndarray,
                                name: str) -> None:
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy", run_eagerly=True)
    base_before = [w.copy() for w in base.get_weights()]
    head_before = [w.copy() for w in model.get_weights()[-2:]]
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    check(not _changed(base_before, base.get_weights()),
          f"{name}: after fit, the base's weights (BatchNorm statistics included) should be unchanged.",
          "an unchanged base", "the base's weights changed",
          "Freeze the base (trainable = False) and call it with training=False.")
    check(_changed(head_before, model.get_weights()[-2:]), f"{name}: after fit, the head's weights should have changed.",
          "a trained head", "an unchanged head", "Leave the Dense head trainable.")


def count_trainable_params(student: Callable, cases: Sequence[tuple[str, ModelMaker]] = VISIBLE_COUNTS) -> None:
    """Check exercise 2: ``student(model)`` counts what the reference counts, on each case's model.

    Args:
        student: The student's ``count_trainable_params``.
        cases: ``(story, make_model)`` each; ``make_model()`` builds a fresh
            model, once for the student and once for the reference.
            Defaults to ``VISIBLE_COUNTS``.

    Raises:
        CheckFailed: For the first case counted wrong, with its story.
    """
    counts = [student(make_model()) for _, make_model in cases]
    for (story, make_model), got in zip(cases, counts):
        check_equal(got, reference.count_trainable_params(make_model()), f"count_trainable_params: {story}",
                    "Add up int(np.prod(w.shape)) over model.trainable_weights.")


def unfreeze_top_layers(student: Callable, cases: Sequence[tuple[ModelMaker, int, str]] = VISIBLE_UNFREEZE) -> None:
    """Check exercise 3: ``student(base, n)`` sets the trainable flags the reference sets.

    Args:
        student: The student's ``unfreeze_top_layers``.
        cases: ``(make_base, n, story)`` each; ``make_base()`` builds a fresh
            base, once for the student and once for the reference.
            Defaults to ``VISIBLE_UNFREEZE``.

    Raises:
        CheckFailed: With what was expected, what came back and a hint.
    """
    for make_base, n, story in cases:
        base = make_base()
        returned = student(base, n)
        want = [bool(layer.trainable) for layer in reference.unfreeze_top_layers(make_base(), n).layers]
        _compare_unfrozen(base, returned, want, n, story)


def _flags(layers: list, values: list[bool]) -> list[str]:
    return [f"{layer.name}={'T' if t else 'F'}" for layer, t in zip(layers, values)]


def _compare_unfrozen(base: keras.Model, returned: object, want: list[bool], n: int, story: str) -> None:
    layers = base.layers
    check(returned is base, "unfreeze_top_layers should return the base it changed.", "base_model",
          type(returned).__name__, "End with `return base_model`.")
    check(base.trainable is True, f"unfreeze_top_layers(base, {n}): the base itself should be trainable.",
          "base_model.trainable == True", f"base_model.trainable == {base.trainable}",
          "Set base_model.trainable = True first; a frozen model freezes all its layers.")
    got = [bool(layer.trainable) for layer in layers]
    check(got == want, f"unfreeze_top_layers(base, {n}) on {story}: the layers' trainable flags are wrong.",
          _flags(layers, want), _flags(layers, got),
          "Only the last n layers (base_model.layers[-n:]) are trainable, and never a BatchNormalization layer.")
    want_weights = sorted(w.path for layer, t in zip(layers, want) if t for w in layer.trainable_weights)
    check_equal(sorted(w.path for w in base.trainable_weights), want_weights,
                f"unfreeze_top_layers(base, {n}): the base's trainable weights.",
                "Set base_model.trainable = True, then each layer's trainable flag.")


def prepare_fine_tuning(student: Callable, n: int = 4, learning_rate: float = 1e-3, seed: int = 0) -> None:
    """Check exercise 4: after ``student(model, base, n, learning_rate)``, a fit moves exactly the top layers.

    The reference transfer model on a ``tiny_base`` is compiled and fitted
    first (the head is trained), then handed to the student's function, then
    fitted again.

    Args:
        student: The student's ``prepare_fine_tuning``.
        n: Layers to unfreeze. Defaults to 4.
        learning_rate: The new learning rate. Defaults to 1e-3.
        seed: Seed of the base's weights and of the batch. Defaults to 0.

    Raises:
        CheckFailed: With what was expected, what came back and a hint.
    """
    name = f"prepare_fine_tuning(model, base, {n}, {learning_rate})"
    x, y = _batch((8, 8, 1), 3, seed)
    base = tiny_base((8, 8, 1), 4, seed=seed)
    model = compile_classifier(reference.build_transfer_model(base, 3), learning_rate=0.05)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)           # the head is trained first
    returned = student(model, base, n, learning_rate)

    check(returned is model, f"{name} should return the model.", "the same model", type(returned).__name__,
          "End with `return model`.")
    check_instance(model.optimizer, keras.optimizers.Adam, f"{name}: recompile with Adam.",
                   "model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), ...)")
    check_close(float(model.optimizer.learning_rate), learning_rate, f"{name}: the new learning rate.",
                "Give the new Adam optimizer learning_rate=learning_rate.", rtol=1e-6)
    result = model.evaluate(x, y, verbose=0, return_dict=True)
    check("accuracy" in result, f"{name}: keep the 'accuracy' metric.", "'accuracy' in the results", sorted(result),
          'Pass metrics=["accuracy"].')
    before = {layer.name: [w.copy() for w in layer.get_weights()] for layer in base.layers}
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    moved = {layer.name for layer in base.layers if _changed(before[layer.name], layer.get_weights())}
    unfrozen = reference.unfreeze_top_layers(tiny_base((8, 8, 1), 4, seed=seed), n)
    top = {layer.name for layer in unfrozen.layers if layer.trainable_weights}
    check(moved == top, f"{name}: after fit, exactly the unfrozen top layers should have changed.",
          sorted(top), sorted(moved),
          "Unfreeze with unfreeze_top_layers, then call model.compile(...) again: "
          "Keras only sees new trainable flags after a compile.")
