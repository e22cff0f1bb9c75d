"""Checks for notebook 03: normalising pixels, and training and evaluation pipelines with ``tf.data``.

The pipeline checks feed the student's function *id data*: samples whose 64
inputs all hold the sample's id (labels are ``id % 10``), so that they can
follow every sample through two epochs with ``helpers.pipelines.read_epoch``
and see the order, the batches, the labels and the stages
(``helpers.pipelines.pipeline_stages``) of what the function built.

Used by notebook 03's test cells, e.g. ``checks.nb03.make_eval_pipeline(make_eval_pipeline, n=50, batch_size=16)``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from helpers.checks.core import check, check_close, check_equal, check_instance
from helpers.pipelines import pipeline_stages, read_epoch
from helpers.quiet import import_tensorflow
from helpers.reference import nb03 as reference

tf = import_tensorflow()

_SLICES_HINT = "Start from tf.data.Dataset.from_tensor_slices((x, y)) and return the dataset."
_PREFETCH_HINT = "End the pipeline with .prefetch(tf.data.AUTOTUNE)."


def normalize_images(student: Callable[[Any], Any], x: Any, name: str) -> None:
    """Check that ``student(x)`` scales pixels by 1/16 into a new float32 array of the same shape, leaving ``x`` alone.

    Args:
        student: The student's ``normalize_images``.
        x: Pixels from 0 to 16, of any shape and dtype (the check works on a copy).
        name: How the messages name the call, e.g. ``"normalize_images(<int array>)"``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    before = np.array(x, copy=True)
    given = np.array(x, copy=True)

    got = np.asarray(student(given))

    expected = reference.normalize_images(np.array(x, copy=True))
    check_equal(got.dtype.name, "float32", f"{name} should return float32 values.",
                "Cast with np.asarray(x, dtype=np.float32) (or .astype('float32')) before dividing.")
    check_equal(got.shape, expected.shape, f"{name} should keep the shape of x.",
                "Divide the whole array; do not flatten or reshape it.")
    check_close(got, expected, f"{name} should scale the pixels from [0, 16] to [0, 1].",
                "Divide by 16, the brightest pixel of the digits (not 255, and not this batch's own maximum).")
    check(np.array_equal(given, before), f"{name} should leave its input unchanged.",
          "x as it was", "x was modified", "Return a new array instead of dividing in place (x /= 16).")


def _id_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Samples whose 64 inputs all hold the sample's id, so a check can follow each one; labels are id % 10."""
    sample_ids = np.arange(n)
    return np.repeat(sample_ids[:, None], 64, axis=1).astype(np.float32), (sample_ids % 10).astype(np.int32)


def _spec(ds: tf.data.Dataset) -> list[tuple[tuple, str]]:
    """``element_spec`` as (shape, dtype name) of x_batch and y_batch."""
    specs = ds.element_spec if isinstance(ds.element_spec, (tuple, list)) else (ds.element_spec,)
    return [(tuple(s.shape.as_list()), s.dtype.name) for s in specs]


def _epoch_order(ds: tf.data.Dataset) -> np.ndarray:
    """The sample ids of one epoch of ``ds``, in the order they came."""
    return read_epoch(ds)[1][:, 0].astype(int)


def _observe(ds: Any, epochs: int) -> dict[str, Any]:
    """What a returned dataset gives: its spec and stages, and ``epochs`` epochs of (sizes, ids, labels).

    The epochs are read only from a dataset of (rows, labels) batches: reading anything else as
    batches would crash before the check could say what is wrong.
    """
    if not isinstance(ds, tf.data.Dataset):
        return {"returned": ds}
    seen: dict[str, Any] = {"returned": ds, "spec": _spec(ds), "stages": pipeline_stages(ds), "epochs": []}
    if _is_batches_of_rows(seen["spec"]):
        for _ in range(epochs):
            sizes, xs, ys = read_epoch(ds)
            seen["epochs"].append((sizes, xs[:, 0].astype(int), ys))
    return seen


def _is_batches_of_rows(spec: list[tuple[tuple, str]]) -> bool:
    """Whether ``spec`` is that of (x_batch, y_batch) pairs with one row of features per sample."""
    return len(spec) == 2 and len(spec[0][0]) == 2 and len(spec[1][0]) == 1


def make_train_pipeline(student: Callable[..., Any], n: int = 100, batch_size: int = 16, seed: int = 0) -> None:
    """Check ``student(x, y, batch_size, n, seed)`` on ``n`` id samples over two epochs.

    Every sample once per epoch with its own label, shuffled before batching, a
    new order each epoch, repeatable with the seed, the last batch kept, and a
    prefetch at the end.

    Args:
        student: The student's ``make_train_pipeline``.
        n: Samples (the shuffle buffer is ``n`` too). Defaults to 100.
        batch_size: Batch size to ask for. Defaults to 16.
        seed: Seed to ask for. Defaults to 0.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    name = f"make_train_pipeline(<{n} samples>, batch_size={batch_size}, shuffle_buffer={n}, seed={seed})"
    x, y = _id_data(n)

    got = _observe(student(x.copy(), y.copy(), batch_size, n, seed), epochs=2)
    if got["epochs"]:
        got["again"] = _observe(student(x.copy(), y.copy(), batch_size, n, seed), 1)
        got["other"] = _observe(student(x.copy(), y.copy(), batch_size, n, seed + 1), 1)

    want = _observe(reference.make_train_pipeline(x.copy(), y.copy(), batch_size, n, seed), 1)
    _compare_train(got, want, name, n)


def _compare_train(got: dict[str, Any], want: dict[str, Any], name: str, n: int) -> None:
    check_instance(got["returned"], tf.data.Dataset, f"{name} should return a tf.data.Dataset.", _SLICES_HINT)
    check_equal(got["spec"], want["spec"], f"{name}: element_spec as (shape, dtype) of x_batch and y_batch.",
                "Batch with drop_remainder=False (the default) so the last batch can be smaller, "
                "and keep x and y as they are.")
    (sizes, order, labels), (_, order_2, _) = got["epochs"]
    every_id = list(range(n))
    check_equal(sorted(order.tolist()), every_id, f"{name}: the samples seen in one epoch.",
                "Every sample exactly once per epoch: no repeat(), no take(), no drop_remainder=True.")
    check(np.array_equal(labels, order % 10), f"{name}: each image should keep its own label.",
          "labels equal to id % 10", labels[:8],
          "Shuffle (x, y) pairs together: from_tensor_slices((x, y)).shuffle(...).")
    check(order.tolist() != every_id, f"{name}: the epoch should not come in the original order.",
          "a shuffled order", order[:10], "Shuffle with a buffer of shuffle_buffer elements, not 1.")
    batches = np.split(order, np.cumsum(sizes)[:-1])
    runs = sum(2 < len(b) < n and bool(np.all(np.diff(np.sort(b)) == 1)) for b in batches)
    check(runs == 0, f"{name}: each batch should mix samples from all over the data set.",
          "no batch of consecutive ids", f"{runs} of {len(batches)} batches hold consecutive ids, e.g. {batches[0]}",
          "Shuffle before you batch: .shuffle(...) then .batch(...); batching first only shuffles whole batches.")
    check_equal(sizes, want["epochs"][0][0], f"{name}: the sizes of the batches in one epoch.",
                "Use .batch(batch_size) after the shuffle and keep the last, smaller batch.")
    check_equal(sorted(order_2.tolist()), every_id, f"{name}: the samples seen in the second epoch.",
                "Every epoch should see every sample exactly once.")
    check(order_2.tolist() != order.tolist(), f"{name}: the second epoch should come in a new order.",
          "a different order from epoch 1", "the same order twice",
          "Keep reshuffle_each_iteration=True (the default) in .shuffle().")
    again, other = got["again"]["epochs"][0][1], got["other"]["epochs"][0][1]
    check(again.tolist() == order.tolist(), f"{name}: the same seed should give the same first epoch.",
          order[:8], again[:8], "Pass seed=seed to .shuffle().")
    check(other.tolist() != order.tolist(), f"{name}: another seed should give another order.",
          "a different order", "the same order", "Pass seed=seed to .shuffle() instead of a fixed number.")
    check("Prefetch" in got["stages"], f"{name} should prefetch.", "a Prefetch stage", got["stages"], _PREFETCH_HINT)


def make_train_pipeline_buffer(
    student: Callable[..., Any], n: int, batch_size: int, shuffle_buffer: int, seed: int
) -> None:
    """Check that ``student`` shuffles with the buffer it is given, on ``n`` id samples.

    With a buffer smaller than the data set, the sample at position ``p`` of the
    first epoch can only have an id up to ``p + shuffle_buffer - 1``. With a
    buffer of the whole set, the very first batch already draws from all of it
    (some id of ``n // 2`` or more).

    Args:
        student: The student's ``make_train_pipeline``.
        n: Samples.
        batch_size: Batch size to ask for.
        shuffle_buffer: Buffer to ask for.
        seed: Seed to ask for.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    x, y = _id_data(n)
    ds = student(x, y, batch_size, shuffle_buffer, seed)
    what = f"make_train_pipeline(..., shuffle_buffer={shuffle_buffer})"
    hint = "Pass shuffle_buffer to .shuffle() as it is."
    if shuffle_buffer < n:
        order = _epoch_order(ds)
        reach = shuffle_buffer - 1
        check(bool(np.all(order <= np.arange(n) + reach)) and order.tolist() != list(range(n)),
              f"{what}: a sample should move at most {reach} places forward.",
              f"ids at position p of at most p + {reach}", order[:12], hint)
    else:
        first = next(iter(ds))[0].numpy()[:, 0]
        check(first.max() >= n // 2, f"{what}: the first batch should draw from the whole set.",
              f"some ids of {n // 2} or more", first, hint)


def make_eval_pipeline(student: Callable[..., Any], n: int = 50, batch_size: int = 16) -> None:
    """Check ``student(x, y, batch_size)`` on ``n`` id samples over two epochs.

    The samples and labels in their original order, in batches of
    ``batch_size`` with the last one kept, and a prefetch at the end.

    Args:
        student: The student's ``make_eval_pipeline``.
        n: Samples. Defaults to 50.
        batch_size: Batch size to ask for. Defaults to 16.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    name = f"make_eval_pipeline(<{n} samples>, batch_size={batch_size})"
    x, y = _id_data(n)

    got = _observe(student(x.copy(), y.copy(), batch_size), epochs=2)

    want = _observe(reference.make_eval_pipeline(x.copy(), y.copy(), batch_size), 1)
    check_instance(got["returned"], tf.data.Dataset, f"{name} should return a tf.data.Dataset.", _SLICES_HINT)
    check_equal(got["spec"], want["spec"], f"{name}: element_spec as (shape, dtype) of x_batch and y_batch.",
                "Batch with drop_remainder=False (the default), and keep x and y as they are.")
    want_sizes, want_order, want_labels = want["epochs"][0]
    for epoch, (sizes, order, labels) in enumerate(got["epochs"], start=1):
        check_equal(sizes, want_sizes, f"{name}: the sizes of the batches (epoch {epoch}).",
                    "Use .batch(batch_size) and keep the last, smaller batch: no drop_remainder=True.")
        check_equal(order.tolist(), want_order.tolist(),
                    f"{name}: the samples should come in their original order (epoch {epoch}).",
                    "Do not shuffle an evaluation pipeline.")
        check(np.array_equal(labels, want_labels), f"{name}: the labels should come in their original order.",
              want_labels[:8], labels[:8], "Build the dataset from the (x, y) pair and do not shuffle it.")
    check("Prefetch" in got["stages"], f"{name} should prefetch.", "a Prefetch stage", got["stages"], _PREFETCH_HINT)
