"""Checks for notebook 03: a random-shift augmentation, and training and evaluation pipelines with ``tf.data``.

Each check observes in the kernel and judges from the observation
(``helpers.checks.observed``). ``make_random_shift`` is observed by mapping
the function it returns over digits (real ones, or generated from ``seed``)
for two epochs, and one epoch each of a new function with the same and with the
next seed; the judge shifts its own copies of the digits in the nine ways
allowed and names which one each image is.

The pipeline checks feed the student's function *id data*: samples whose 64
pixels all hold the sample's id (labels are ``id % 10``), so that they can
follow every sample through two epochs with ``helpers.pipelines.read_epoch``
(a normalised sample holds ``id / 16``). The training check can pass an
augmentation that writes a new random mark into each sample's last pixel:
marks show that it ran once per sample per epoch, after the cache. The kernel
sends what the returned dataset gave: its ``element_spec``, its stages
(``helpers.pipelines.pipeline_stages``), and the batch sizes, first and last
pixels and labels of each epoch; the judge builds the reference pipeline
itself and compares.

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
_NORMALIZE_HINT = ("Map a function that returns (tf.cast(image, tf.float32) / 16.0, label): the digits' pixels go "
                   "to 16, not 255, and every image is divided by the same 16, not by its own maximum.")
_TRAIN_ORDER_HINT = ("from_tensor_slices((x, y)), .map(normalize, num_parallel_calls=tf.data.AUTOTUNE), .cache(), "
                     ".shuffle(...), .batch(...), and .prefetch(tf.data.AUTOTUNE) last.")

_SHIFTS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]


def _digit_rows(n: int, split: str | None, seed: int | None) -> tuple[np.ndarray, np.ndarray]:
    """``n`` normalised digit rows of 64 pixels and their int32 labels: of ``split``, or generated from ``seed``."""
    if seed is None:
        from helpers.data import load_digits

        digits = load_digits()
        return getattr(digits, f"x_{split}")[:n].astype(np.float32), getattr(digits, f"y_{split}")[:n].astype(np.int32)
    rng = np.random.default_rng(seed)
    return ((rng.integers(0, 17, size=(n, 64)) / 16).astype(np.float32),
            rng.integers(0, 10, size=n).astype(np.int32))


def _shifted(rows: np.ndarray, dy: int, dx: int, wrap: bool = False) -> np.ndarray:
    """``rows`` as 8 x 8 images moved ``dy`` pixels down and ``dx`` right; what moves in is 0 (or wraps round)."""
    images = rows.reshape(-1, 8, 8)
    if wrap:
        return np.roll(images, (dy, dx), axis=(1, 2)).reshape(-1, 64)
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    return padded[:, 1 - dy:9 - dy, 1 - dx:9 - dx].reshape(-1, 64)


def _shift_indices(rows: np.ndarray, got: np.ndarray) -> np.ndarray:
    """For each row, the index in ``_SHIFTS`` of the shift that turns it into ``got``'s row; -1 where none does."""
    found = np.full(len(rows), -1)
    for index, (dy, dx) in enumerate(_SHIFTS):
        match = np.all(np.abs(_shifted(rows, dy, dx) - got) <= 1e-6, axis=1) & (found < 0)
        found[match] = index
    return found


def _map_epochs(shift: Any, rows: np.ndarray, labels: np.ndarray, epochs: int) -> dict[str, Any]:
    """``epochs`` epochs of ``Dataset.map(shift)`` over ``(rows, labels)``: its spec, images and labels."""
    ds = tf.data.Dataset.from_tensor_slices((rows, labels)).map(shift)
    seen: dict[str, Any] = {"spec": _spec(ds), "epochs": []}
    if seen["spec"] == [[[64], "float32"], [[], "int32"]]:
        for _ in range(epochs):
            pairs = list(ds.as_numpy_iterator())
            seen["epochs"].append({"images": np.stack([p[0] for p in pairs]),
                                   "labels": np.array([p[1] for p in pairs])})
    return seen


def make_random_shift(student: Callable[[int], Any], n: int = 60, split: str | None = "train",
                      seed: int | None = None) -> dict[str, Any]:
    """Check ``student(seed)``: a ``map`` function that shifts each digit by at most one pixel.

    The returned function is mapped over ``n`` digits (of ``split``, or
    generated from ``seed``) for two epochs; then a new one made with the same
    seed and one made with the next seed for one epoch each.

    Args:
        student: The student's ``make_random_shift``.
        n: Digits. Defaults to 60.
        split: Real digits of this split when ``seed`` is ``None``. Defaults to ``"train"``.
        seed: Generate the digits, and make the shifts, from this seed. Defaults to ``None`` (seed 0 for the
            shifts).

    Raises:
        CheckFailed: with expected / got / hint.
    """
    rows, labels = _digit_rows(n, split, seed)
    made = student(seed or 0)
    if not callable(made):
        return {"callable": False, "returned": type(made).__name__}
    seen = {"callable": True, **_map_epochs(made, rows.copy(), labels.copy(), 2)}
    if seen["epochs"]:
        seen["again"] = _map_epochs(student(seed or 0), rows.copy(), labels.copy(), 1)["epochs"][0]["images"]
        seen["other"] = _map_epochs(student((seed or 0) + 1), rows.copy(), labels.copy(), 1)["epochs"][0]["images"]
    return seen


@observed_check(make_random_shift)
def make_random_shift(observed, n=60, split="train", seed=None) -> None:
    name = f"make_random_shift({seed or 0}) mapped over {n} digits"
    rows, labels = _digit_rows(n, split, seed)
    check(observed["callable"] is True, f"make_random_shift({seed or 0}) should return a function.",
          "a function shift(image, label)", observed.get("returned"), "Define shift inside and return it.")
    check_equal(observed["spec"], [[[64], "float32"], [[], "int32"]],
                f"{name}: element_spec as [shape, dtype] of the image and the label.",
                "Return (image, label): the image as a row of 64 float32 pixels (reshape back), the label as it was.")
    check(len(observed["epochs"]) == 2, f"{name}: two epochs read.", 2, len(observed["epochs"]), "Run the test again.")
    shifts = []
    for number, epoch in enumerate(observed["epochs"], start=1):
        check(np.array_equal(epoch["labels"], labels), f"{name}: the labels (epoch {number}).", labels[:8],
              epoch["labels"][:8], "Return the label unchanged: a shifted digit is still the same digit.")
        found = _shift_indices(rows, epoch["images"])
        bad = int(np.argmin(found)) if found.min() < 0 else None
        if bad is not None:
            got = epoch["images"][bad]
            flipped = any(np.allclose(got, rows[bad].reshape(8, 8)[::a, ::b].ravel()) for a, b in [(1, -1), (-1, 1)])
            wrapped = any(np.allclose(got, _shifted(rows[bad:bad + 1], dy, dx, wrap=True)[0]) for dy, dx in _SHIFTS)
            hint = ("A flipped digit is another digit, or none: shift it, do not flip it." if flipped else
                    "tf.roll wraps the pixels round the edge: the pixels that move in should be 0." if wrapped else
                    "Pad the 8 x 8 image with one pixel of 0 on each side and cut out 8 x 8 at a random corner "
                    "(0, 1 or 2 in each direction).")
            check(False, f"{name}: each image should be the digit moved by -1, 0 or 1 pixel in each direction "
                  f"(epoch {number}, digit {bad}).", "a shift of at most one pixel, 0 moved in",
                  "something else", hint)
        shifts.append(found)
    first, second = shifts
    check(len(set(first.tolist())) >= 4, f"{name}: each digit should get a shift of its own.",
          "several different shifts in one epoch", sorted({_SHIFTS[i] for i in first}),
          "Draw the shift inside shift() with TensorFlow random ops: NumPy's random numbers are drawn once, "
          "when map traces the function, and every digit gets the same shift.")
    changed = float(np.mean(first != second))
    check(changed > 0.5, f"{name}: the second epoch should draw new shifts.", "most digits shifted anew",
          f"{changed:.0%} changed", "Draw from a tf.random.Generator made once from the seed: tf.random.uniform "
          "inside map starts its sequence again every epoch when a seed is set.")
    check(len(set(first.tolist()) | set(second.tolist())) == len(_SHIFTS),
          f"{name}: all nine shifts should come up over two epochs.", "each (dy, dx) in {-1, 0, 1} x {-1, 0, 1}",
          sorted({_SHIFTS[i] for i in np.concatenate(shifts)}),
          "Draw the row and the column of the corner separately, each from 0, 1 and 2 (maxval=3 is exclusive).")
    check(_shift_indices(rows, observed["again"]).tolist() == first.tolist(),
          f"{name}: a new function made with the same seed should draw the same shifts.", first[:8].tolist(),
          _shift_indices(rows, observed["again"])[:8].tolist(), "Make the generator from the seed: "
          "tf.random.Generator.from_seed(seed), once, outside shift.")
    check(_shift_indices(rows, observed["other"]).tolist() != first.tolist(),
          f"{name}: another seed should draw other shifts.", "other shifts", "the same shifts",
          "Make the generator from the seed you are given, not a fixed number.")


def _id_data(n: int, dtype: str = "float32") -> tuple[np.ndarray, np.ndarray]:
    """Samples whose 64 pixels all hold the sample's id, so a check can follow each one; labels are id % 10."""
    sample_ids = np.arange(n)
    return np.repeat(sample_ids[:, None], 64, axis=1).astype(dtype), (sample_ids % 10).astype(np.int32)


def _marking_augment(seed: int) -> Callable[[Any, Any], tuple[Any, Any]]:
    """An augmentation that sets each sample's last pixel to a new random mark in (-2, -1] on every call
    (to -10 when it was marked already).

    No pixel of a normalised sample is negative, so a mark shows that the sample
    was augmented once after its normalisation; a new mark every epoch shows
    that no cache replays the augmentation; marks that differ inside a batch
    show that it was applied to samples, not to batches.
    """
    rng = tf.random.Generator.from_seed(seed)

    def augment(image: Any, label: Any) -> tuple[Any, Any]:
        last = image[..., 63:]
        mark = tf.cast(-1.0 - rng.uniform(()), image.dtype)
        mark = tf.where(last < 0, tf.cast(-10.0, image.dtype), mark)  # marked twice: out of the marks' range
        return tf.concat([image[..., :63], mark + tf.zeros_like(last)], axis=-1), label

    return augment


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
    """What a returned dataset gives: its spec and stages, and ``epochs`` epochs of batch sizes, first and last
    pixels and labels.

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
            seen["epochs"].append({"sizes": sizes, "first": xs[:, 0], "last": xs[:, -1], "labels": ys})
    return seen


def _judge_dataset(got: dict[str, Any], want: dict[str, Any], name: str, hint: str) -> None:
    check(got["dataset"] is True, f"{name} should return a tf.data.Dataset.", "a tf.data.Dataset",
          got["returned"], _SLICES_HINT)
    check_equal(got["spec"], want["spec"], f"{name}: element_spec as [shape, dtype] of x_batch and y_batch.", hint)
    check(len(got["epochs"]) >= 1, f"{name}: the dataset should give batches.", "batches", "none", hint)


def _sample_ids(first: np.ndarray, n: int, name: str) -> np.ndarray:
    """The ids of the samples in the order they came, after checking that every pixel was divided by 16."""
    check_close(np.sort(first), np.arange(n) / np.float32(16), f"{name}: the pixels, normalised, in one epoch.",
                _NORMALIZE_HINT)
    return np.rint(first * 16).astype(np.int64)


def _judge_stages(stages: list[str], wanted: list[str], name: str, hint: str) -> None:
    """``wanted`` (parts of stage names) must come in that order, and the last stage must be a prefetch."""
    position = 0
    for stage in stages:
        if position < len(wanted) and wanted[position] in stage:
            position += 1
    check(position == len(wanted) and "Prefetch" in stages[-1],
          f"{name}: the pipeline's stages, first to last.", " -> ".join(wanted) + " (prefetch last)",
          " -> ".join(stages), hint)


def make_train_pipeline(student: Callable[..., Any], n: int = 100, batch_size: int = 16, seed: int = 0,
                        augment: bool = False, dtype: str = "float32") -> dict:
    """Check ``student(x, y, batch_size, n, seed[, augment=...])`` on ``n`` id samples over two epochs.

    Every sample normalised, once per epoch, with its own label, shuffled before
    batching, a new order each epoch, repeatable with the seed, the last batch
    kept; with ``augment``, a marking augmentation applied to every sample after
    the cache (new marks each epoch); and the stages in the stated order.

    Args:
        student: The student's ``make_train_pipeline``.
        n: Samples (the shuffle buffer is ``n`` too). Defaults to 100.
        batch_size: Batch size to ask for. Defaults to 16.
        seed: Seed to ask for. Defaults to 0.
        augment: Pass an augmentation (``augment=...``); without, leave the argument out. Defaults to ``False``.
        dtype: dtype of the pixels given. Defaults to ``"float32"``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    x, y = _id_data(n, dtype)

    def build(seed: int) -> Any:
        extra = {"augment": _marking_augment(seed)} if augment else {}
        return student(x.copy(), y.copy(), batch_size, n, seed, **extra)

    got = _observe(build(seed), epochs=2)
    if got["epochs"]:
        got["again"] = _observe(build(seed), 1)["epochs"][0]["first"]
        got["other"] = _observe(build(seed + 1), 1)["epochs"][0]["first"]
    return got


def _judge_augmented(epochs: list[dict[str, Any]], orders: list[np.ndarray], name: str) -> None:
    """Every sample marked once per epoch after normalising, one mark per sample, new marks in the second epoch."""
    first, second = epochs
    for epoch in epochs:
        check(bool(np.all((epoch["last"] > -2) & (epoch["last"] <= -1))),
              f"{name}: augment should change every sample once, after the normalising map.",
              "every sample augmented", f"{int(np.sum(epoch['last'] > -1))} samples not augmented",
              "map augment once, after .cache() (the normalising map comes before the cache).")
        for batch in np.split(epoch["last"], np.cumsum(epoch["sizes"])[:-1]):
            check(len(np.unique(batch)) == len(batch), f"{name}: augment should change each sample on its own.",
                  "a new random change per sample", "one change shared by a whole batch",
                  "augment takes one (image, label): map it before .batch().")
    marks = [epoch["last"][np.argsort(order)] for epoch, order in zip(epochs, orders)]
    check(float(np.mean(marks[0] != marks[1])) > 0.9, f"{name}: the second epoch should be augmented anew.",
          "new random changes", "the first epoch's changes again",
          "Cache before you augment: a cache after a random map stores its first results and replays them.")


@observed_check(make_train_pipeline)
def make_train_pipeline(observed, n=100, batch_size=16, seed=0, augment=False, dtype="float32") -> None:
    name = (f"make_train_pipeline(<{n} samples of {dtype}>, batch_size={batch_size}, shuffle_buffer={n}, "
            f"seed={seed}{', augment=<a random map>' if augment else ''})")
    x, y = _id_data(n, dtype)
    want = _observe(reference.make_train_pipeline(x.copy(), y.copy(), batch_size, n, seed), 1)
    got = observed
    _judge_dataset(got, want, name, "Normalise to float32, batch with drop_remainder=False (the default) so the "
                   "last batch can be smaller, and keep the labels as they are.")
    check(len(got["epochs"]) == 2, f"{name}: two epochs read.", 2, len(got["epochs"]), "Run the test again.")
    first, second = got["epochs"]
    sizes, labels = first["sizes"], first["labels"]
    order = _sample_ids(first["first"], n, name)
    every_id = list(range(n))
    check_equal(sorted(order.tolist()), every_id, f"{name}: the samples seen in one epoch.",
                "Every sample exactly once per epoch: no repeat(), no take(), no drop_remainder=True.")
    check(np.array_equal(labels, order % 10), f"{name}: each image should keep its own label.",
          "labels equal to id % 10", labels[:8],
          "Shuffle (x, y) pairs together: from_tensor_slices((x, y)) ... .shuffle(...).")
    if not augment:
        check_close(first["last"], first["first"], f"{name}: without augment, every pixel of a sample as given "
                    "(normalised).", "Apply augment only when one is given (augment is not None).")
    check(order.tolist() != every_id, f"{name}: the epoch should not come in the original order.",
          "a shuffled order", order[:10], "Shuffle with a buffer of shuffle_buffer elements, not 1.")
    batches = np.split(order, np.cumsum(sizes)[:-1])
    runs = sum(2 < len(b) < n and bool(np.all(np.diff(np.sort(b)) == 1)) for b in batches)
    check(runs == 0, f"{name}: each batch should mix samples from all over the data set.",
          "no batch of consecutive ids", f"{runs} of {len(batches)} batches hold consecutive ids, e.g. {batches[0]}",
          "Shuffle before you batch: .shuffle(...) then .batch(...); batching first only shuffles whole batches.")
    check_equal(list(sizes), list(want["epochs"][0]["sizes"]), f"{name}: the sizes of the batches in one epoch.",
                "Use .batch(batch_size) after the shuffle and keep the last, smaller batch.")
    order_2 = _sample_ids(second["first"], n, name)
    check_equal(sorted(order_2.tolist()), every_id, f"{name}: the samples seen in the second epoch.",
                "Every epoch should see every sample exactly once.")
    check(order_2.tolist() != order.tolist(), f"{name}: the second epoch should come in a new order.",
          "a different order from epoch 1", "the same order twice",
          "Shuffle after the cache (a cache after the shuffle replays the first order), and keep "
          "reshuffle_each_iteration=True (the default).")
    if augment:
        _judge_augmented(got["epochs"], [order, order_2], name)
    again, other = np.rint(got["again"] * 16), np.rint(got["other"] * 16)
    check(again.tolist() == order.tolist(), f"{name}: the same seed should give the same first epoch.",
          order[:8], again[:8], "Pass seed=seed to .shuffle().")
    check(other.tolist() != order.tolist(), f"{name}: another seed should give another order.",
          "a different order", "the same order", "Pass seed=seed to .shuffle() instead of a fixed number.")
    _judge_stages(got["stages"], ["ParallelMap", "Cache", "Shuffle", "Batch", "Prefetch"], name, _TRAIN_ORDER_HINT)
    if augment:
        _judge_stages(got["stages"], ["Cache", "ParallelMap", "Batch", "Prefetch"], name,
                      "Map augment after .cache() and before .batch(), with num_parallel_calls=tf.data.AUTOTUNE.")


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
    order = _sample_ids(observed["epochs"][0]["first"], n, what)
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


def make_eval_pipeline(student: Callable[..., Any], n: int = 50, batch_size: int = 16,
                       dtype: str = "float32") -> dict[str, Any]:
    """Check ``student(x, y, batch_size)`` on ``n`` id samples over two epochs.

    The samples normalised and in their original order with their labels, in
    batches of ``batch_size`` with the last one kept, no shuffle, and the stages
    a parallel map and a batch, then a prefetch (last).

    Args:
        student: The student's ``make_eval_pipeline``.
        n: Samples. Defaults to 50.
        batch_size: Batch size to ask for. Defaults to 16.
        dtype: dtype of the pixels given. Defaults to ``"float32"``.

    Raises:
        CheckFailed: with expected / got / hint.
    """
    x, y = _id_data(n, dtype)
    return _observe(student(x.copy(), y.copy(), batch_size), epochs=2)


@observed_check(make_eval_pipeline)
def make_eval_pipeline(observed, n=50, batch_size=16, dtype="float32") -> None:
    name = f"make_eval_pipeline(<{n} samples of {dtype}>, batch_size={batch_size})"
    x, y = _id_data(n, dtype)
    want = _observe(reference.make_eval_pipeline(x.copy(), y.copy(), batch_size), 1)
    _judge_dataset(observed, want, name, "Normalise to float32, batch with drop_remainder=False (the default), and "
                   "keep the labels as they are.")
    want_epoch = want["epochs"][0]
    check(len(observed["epochs"]) == 2, f"{name}: two epochs read.", 2, len(observed["epochs"]), "Run the test again.")
    for number, epoch in enumerate(observed["epochs"], start=1):
        check_equal(list(epoch["sizes"]), list(want_epoch["sizes"]),
                    f"{name}: the sizes of the batches (epoch {number}).",
                    "Use .batch(batch_size) and keep the last, smaller batch: no drop_remainder=True.")
        check_close(epoch["first"], want_epoch["first"],
                    f"{name}: the samples, normalised, in their original order (epoch {number}).",
                    "Do not shuffle an evaluation pipeline. " + _NORMALIZE_HINT)
        check_close(epoch["last"], want_epoch["last"], f"{name}: every pixel normalised (epoch {number}).",
                    _NORMALIZE_HINT)
        check(np.array_equal(epoch["labels"], want_epoch["labels"]),
              f"{name}: the labels should come in their original order.", want_epoch["labels"][:8],
              epoch["labels"][:8], "Build the dataset from the (x, y) pair and do not shuffle it.")
    for wanted in (["ParallelMap", "Prefetch"], ["Batch", "Prefetch"]):
        _judge_stages(observed["stages"], wanted, name,
                      "from_tensor_slices((x, y)), then .map(normalize, num_parallel_calls=tf.data.AUTOTUNE), "
                      "then .batch(batch_size), and .prefetch(tf.data.AUTOTUNE) last.")
