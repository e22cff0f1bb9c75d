"""Checks for notebook 03: normalising pixels, and training and evaluation pipelines with ``tf.data``.

Each check observes in the kernel and judges from the observation
(``helpers.checks.observed``). ``normalize_images`` is observed on inputs
rebuilt from the arguments (with ``seed``, on generated pixels of several
shapes and dtypes) and judged against the reference on the judge's own copies.

The pipeline checks feed the student's function *id data*: samples whose 64
inputs all hold the sample's id (labels are ``id % 10``), so that they can
follow every sample through two epochs with ``helpers.pipelines.read_epoch``.
The kernel sends what the returned dataset gave: its ``element_spec``, its
stages (``helpers.pipelines.pipeline_stages``), and the batch sizes, ids and
labels of each epoch; the judge builds the reference pipeline itself and
compares.

Used by notebook 03's test cells, e.g. ``checks.nb03.make_eval_pipeline(make_eval_pipeline, n=50, batch_size=16)``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from helpers.checks.core import check, check_close, check_equal
from helpers.checks.observed import observed_check
from helpers.checks.values import kind, plain
from helpers.pipelines import pipeline_stages, read_epoch
from helpers.quiet import import_tensorflow
from helpers.reference import nb03 as reference

tf = import_tensorflow()

_SLICES_HINT = "Start from tf.data.Dataset.from_tensor_slices((x, y)) and return the dataset."
_PREFETCH_HINT = "End the pipeline with .prefetch(tf.data.AUTOTUNE): the last call before return."

_DTYPES = ("uint8", "int32", "int64", "float32", "float64")


def _pixel_inputs(pixels: Any, split: str | None, n: int, seed: int | None) -> list[tuple[str, np.ndarray]]:
    """``(name, pixels)`` for each case: given pixels, ``n`` raw digits of ``split``, and generated ones."""
    from helpers.data import load_digits

    cases = []
    if pixels is not None:
        cases.append((f"normalize_images({np.array(pixels).tolist()})", np.array(pixels)))
    if split is not None:
        cases.append((f"normalize_images(raw.x_{split}[:{n}])", getattr(load_digits(normalize=False), f"x_{split}")[:n]))
    if seed is not None:
        rng = np.random.default_rng(seed)
        raw = load_digits(normalize=False).x_test
        rows = raw[rng.choice(len(raw), 3, replace=False)]
        cases.append(("normalize_images(<digit images of shape (3, 8, 8, 1)>)", rows.reshape(3, 8, 8, 1)))
        for dtype in _DTYPES:
            shape = tuple(int(d) for d in rng.integers(1, 6, size=int(rng.integers(1, 4))))
            top = 12 if dtype == "float32" else 16   # a batch whose brightest pixel is not 16
            values = rng.integers(0, top + 1, size=shape)
            values.flat[0] = top
            cases.append((f"normalize_images(<{dtype} pixels of shape {shape}, brightest {top}>)",
                          values.astype(dtype)))
    return cases


def normalize_images(
    student: Callable[[Any], Any], pixels: Any = None, split: str | None = None, n: int = 20,
    seed: int | None = None,
) -> dict[str, Any]:
    """Check that ``student(x)`` scales pixels by 1/16 into a new float32 array of the same shape, leaving ``x`` alone.

    Args:
        student: The student's ``normalize_images``.
        pixels: Pixels from 0 to 16 as nested lists, given to the student as an int array. Defaults to ``None``.
        split: ``"train"``, ``"val"`` or ``"test"``: also the first ``n`` raw digits of that split. Defaults to
            ``None``.
        n: How many raw digits. Defaults to 20.
        seed: With a seed, also generated pixels of several shapes and dtypes. Defaults to ``None``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    seen = []
    for _, x in _pixel_inputs(pixels, split, n, seed):
        given = x.copy()
        seen.append({"returned": plain(student(given)), "input_after": plain(given)})
    return {"cases": seen}


@observed_check(normalize_images)
def normalize_images(observed, pixels=None, split=None, n=20, seed=None) -> None:
    cases = _pixel_inputs(pixels, split, n, seed)
    check(len(observed["cases"]) == len(cases), "normalize_images: one answer per case.", len(cases),
          len(observed["cases"]), "Run the test cell again.")
    for (name, x), seen in zip(cases, observed["cases"]):
        got, expected = seen["returned"], reference.normalize_images(x.copy())
        check(isinstance(got, np.ndarray), f"{name} should return a NumPy array.", "a float32 array",
              kind(got), "Return np.asarray(x, dtype=np.float32) / 16.")
        check_equal(got.dtype.name, "float32", f"{name} should return float32 values.",
                    "Cast with np.asarray(x, dtype=np.float32) (or .astype('float32')) before dividing.")
        check_equal(got.shape, expected.shape, f"{name} should keep the shape of x.",
                    "Divide the whole array; do not flatten or reshape it.")
        check_close(got, expected, f"{name} should scale the pixels from [0, 16] to [0, 1].",
                    "Divide by 16, the brightest pixel of the digits (not 255, and not this batch's own maximum).")
        after = seen["input_after"]
        check(isinstance(after, np.ndarray) and after.dtype == x.dtype and np.array_equal(after, x),
              f"{name} should leave its input unchanged.", "x as it was", "x was modified",
              "Return a new array instead of dividing in place (x /= 16).")


def _id_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Samples whose 64 inputs all hold the sample's id, so a check can follow each one; labels are id % 10."""
    sample_ids = np.arange(n)
    return np.repeat(sample_ids[:, None], 64, axis=1).astype(np.float32), (sample_ids % 10).astype(np.int32)


def _spec(ds: tf.data.Dataset) -> list | None:
    """``element_spec`` as [shape, dtype name] of x_batch and y_batch; ``None`` when it is not a pair of tensors."""
    try:
        specs = ds.element_spec if isinstance(ds.element_spec, (tuple, list)) else (ds.element_spec,)
        return [[list(s.shape.as_list()), s.dtype.name] for s in specs]
    except Exception:  # a dict or nested structure: judged as a wrong spec
        return None


def _is_batches_of_rows(spec: list | None) -> bool:
    """Whether ``spec`` is that of (x_batch, y_batch) pairs with one row of features per sample."""
    return spec is not None and len(spec) == 2 and len(spec[0][0]) == 2 and len(spec[1][0]) == 1


def _observe(ds: Any, epochs: int) -> dict[str, Any]:
    """What a returned dataset gives: its spec and stages, and ``epochs`` epochs of (sizes, ids, labels).

    The epochs are read only from a dataset of (rows, labels) batches: reading anything else as
    batches would crash before the check could say what is wrong.
    """
    if not isinstance(ds, tf.data.Dataset):
        return {"dataset": False, "returned": type(ds).__name__}
    seen: dict[str, Any] = {"dataset": True, "returned": type(ds).__name__, "spec": _spec(ds),
                            "stages": pipeline_stages(ds), "epochs": []}
    if _is_batches_of_rows(seen["spec"]):
        for _ in range(epochs):
            sizes, xs, ys = read_epoch(ds)
            seen["epochs"].append({"sizes": sizes, "ids": xs[:, 0].astype(np.int64), "labels": ys})
    return seen


def _judge_dataset(got: dict[str, Any], want: dict[str, Any], name: str, hint: str) -> None:
    check(got["dataset"] is True, f"{name} should return a tf.data.Dataset.", "a tf.data.Dataset",
          got["returned"], _SLICES_HINT)
    check_equal(got["spec"], want["spec"], f"{name}: element_spec as [shape, dtype] of x_batch and y_batch.", hint)
    check(len(got["epochs"]) >= 1, f"{name}: the dataset should give batches.", "batches", "none", hint)


def _judge_stages(stages: list[str], wanted: list[str], name: str, hint: str) -> None:
    """``wanted`` (parts of stage names) must come in that order, and the last stage must be a prefetch."""
    position = 0
    for stage in stages:
        if position < len(wanted) and wanted[position] in stage:
            position += 1
    check(position == len(wanted) and "Prefetch" in stages[-1],
          f"{name}: the pipeline's stages, first to last.", " -> ".join(wanted) + " (prefetch last)",
          " -> ".join(stages), hint)


def make_train_pipeline(student: Callable[..., Any], n: int = 100, batch_size: int = 16, seed: int = 0) -> dict:
    """Check ``student(x, y, batch_size, n, seed)`` on ``n`` id samples over two epochs.

    Every sample once per epoch with its own label, shuffled before batching, a
    new order each epoch, repeatable with the seed, the last batch kept, and the
    stages in the stated order: shuffle, batch, then prefetch as the last stage.

    Args:
        student: The student's ``make_train_pipeline``.
        n: Samples (the shuffle buffer is ``n`` too). Defaults to 100.
        batch_size: Batch size to ask for. Defaults to 16.
        seed: Seed to ask for. Defaults to 0.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    x, y = _id_data(n)
    got = _observe(student(x.copy(), y.copy(), batch_size, n, seed), epochs=2)
    if got["epochs"]:
        got["again"] = _observe(student(x.copy(), y.copy(), batch_size, n, seed), 1)["epochs"][0]["ids"]
        got["other"] = _observe(student(x.copy(), y.copy(), batch_size, n, seed + 1), 1)["epochs"][0]["ids"]
    return got


@observed_check(make_train_pipeline)
def make_train_pipeline(observed, n=100, batch_size=16, seed=0) -> None:
    name = f"make_train_pipeline(<{n} samples>, batch_size={batch_size}, shuffle_buffer={n}, seed={seed})"
    x, y = _id_data(n)
    want = _observe(reference.make_train_pipeline(x.copy(), y.copy(), batch_size, n, seed), 1)
    got = observed
    _judge_dataset(got, want, name, "Batch with drop_remainder=False (the default) so the last batch can be "
                   "smaller, and keep x and y as they are.")
    check(len(got["epochs"]) == 2, f"{name}: two epochs read.", 2, len(got["epochs"]), "Run the test again.")
    first, second = got["epochs"]
    sizes, order, labels = first["sizes"], first["ids"], first["labels"]
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
    check_equal(list(sizes), list(want["epochs"][0]["sizes"]), f"{name}: the sizes of the batches in one epoch.",
                "Use .batch(batch_size) after the shuffle and keep the last, smaller batch.")
    order_2 = second["ids"]
    check_equal(sorted(order_2.tolist()), every_id, f"{name}: the samples seen in the second epoch.",
                "Every epoch should see every sample exactly once.")
    check(order_2.tolist() != order.tolist(), f"{name}: the second epoch should come in a new order.",
          "a different order from epoch 1", "the same order twice",
          "Keep reshuffle_each_iteration=True (the default) in .shuffle().")
    again, other = got["again"], got["other"]
    check(again.tolist() == order.tolist(), f"{name}: the same seed should give the same first epoch.",
          order[:8], again[:8], "Pass seed=seed to .shuffle().")
    check(other.tolist() != order.tolist(), f"{name}: another seed should give another order.",
          "a different order", "the same order", "Pass seed=seed to .shuffle() instead of a fixed number.")
    _judge_stages(got["stages"], ["Shuffle", "Batch", "Prefetch"], name,
                  "from_tensor_slices((x, y)), then .shuffle(...), then .batch(...), and .prefetch(tf.data.AUTOTUNE) "
                  "last.")


def make_train_pipeline_buffer(
    student: Callable[..., Any], n: int, batch_size: int, shuffle_buffer: int, seed: int
) -> dict[str, Any]:
    """Check that ``student`` shuffles with the buffer it is given, on ``n`` id samples.

    A shuffle buffer limits how far a sample can move *earlier*: with a buffer
    smaller than the data set, position ``p`` of the first epoch can only hold
    an id up to ``p + shuffle_buffer - 1`` (a sample can still come out much
    later). With a buffer of the whole set, the very first batch already draws
    from all of it (some id of ``n // 2`` or more).

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
    return _observe(student(x, y, batch_size, shuffle_buffer, seed), epochs=1)


@observed_check(make_train_pipeline_buffer)
def make_train_pipeline_buffer(observed, n, batch_size, shuffle_buffer, seed) -> None:
    what = f"make_train_pipeline(..., shuffle_buffer={shuffle_buffer})"
    hint = "Pass shuffle_buffer to .shuffle() as it is."
    x, y = _id_data(n)
    want = _observe(reference.make_train_pipeline(x, y, batch_size, shuffle_buffer, seed), 1)
    _judge_dataset(observed, want, what, hint)
    order = observed["epochs"][0]["ids"]
    check_equal(sorted(order.tolist()), list(range(n)), f"{what}: the samples seen in one epoch.",
                "Every sample exactly once per epoch.")
    if shuffle_buffer < n:
        reach = shuffle_buffer - 1
        check(bool(np.all(order <= np.arange(n) + reach)) and order.tolist() != list(range(n)),
              f"{what}: a sample should move at most {reach} places earlier.",
              f"ids at position p of at most p + {reach}", order[:12], hint)
    else:
        first = order[:batch_size]
        check(first.max() >= n // 2, f"{what}: the first batch should draw from the whole set.",
              f"some ids of {n // 2} or more", first, hint)


def make_eval_pipeline(student: Callable[..., Any], n: int = 50, batch_size: int = 16) -> dict[str, Any]:
    """Check ``student(x, y, batch_size)`` on ``n`` id samples over two epochs.

    The samples and labels in their original order, in batches of
    ``batch_size`` with the last one kept, no shuffle, and a prefetch as the
    last stage.

    Args:
        student: The student's ``make_eval_pipeline``.
        n: Samples. Defaults to 50.
        batch_size: Batch size to ask for. Defaults to 16.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    x, y = _id_data(n)
    return _observe(student(x.copy(), y.copy(), batch_size), epochs=2)


@observed_check(make_eval_pipeline)
def make_eval_pipeline(observed, n=50, batch_size=16) -> None:
    name = f"make_eval_pipeline(<{n} samples>, batch_size={batch_size})"
    x, y = _id_data(n)
    want = _observe(reference.make_eval_pipeline(x.copy(), y.copy(), batch_size), 1)
    _judge_dataset(observed, want, name, "Batch with drop_remainder=False (the default), and keep x and y as they are.")
    want_epoch = want["epochs"][0]
    check(len(observed["epochs"]) == 2, f"{name}: two epochs read.", 2, len(observed["epochs"]), "Run the test again.")
    for number, epoch in enumerate(observed["epochs"], start=1):
        check_equal(list(epoch["sizes"]), list(want_epoch["sizes"]), f"{name}: the sizes of the batches (epoch {number}).",
                    "Use .batch(batch_size) and keep the last, smaller batch: no drop_remainder=True.")
        check_equal(epoch["ids"].tolist(), want_epoch["ids"].tolist(),
                    f"{name}: the samples should come in their original order (epoch {number}).",
                    "Do not shuffle an evaluation pipeline.")
        check(np.array_equal(epoch["labels"], want_epoch["labels"]),
              f"{name}: the labels should come in their original order.", want_epoch["labels"][:8],
              epoch["labels"][:8], "Build the dataset from the (x, y) pair and do not shuffle it.")
    _judge_stages(observed["stages"], ["Batch", "Prefetch"], name,
                  "from_tensor_slices((x, y)), then .batch(batch_size), and .prefetch(tf.data.AUTOTUNE) last.")
