"""Offline image data sets for notebook 10: shapes drawn on varied backgrounds, written as image files.

Every image is 96x96 RGB: one filled shape, in a random colour (sometimes
striped), scaled, rotated and moved, on a background that is a flat colour, a
gradient, stripes, a checkerboard or smooth blotches, with pixel noise on
top. Two tasks use different shapes:

- the **source** task (``SOURCE_CLASSES``, 8 shapes, many images each), on
  which ``python -m helpers.pretrain_mobilenet`` pretrains MobileNetV2;
- the **target** task (``TARGET_CLASSES``, 5 other shapes, a few labelled
  images each), which notebook 10 learns by transfer, with a hidden test set
  drawn from other seeds.

Each image is drawn from its own seed (task, class, index, split), so the
same call always gives the same pixels, on any machine. ``write_task`` saves a
folder per class, the layout ``keras.utils.image_dataset_from_directory``
reads, under a cache directory (never inside the course), and reuses it when
it is already there.

Used in notebook 10 and by ``helpers.pretrain_mobilenet``.
"""
from __future__ import annotations

import functools
import hashlib
import json
import tempfile
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from PIL import Image, ImageDraw

IMAGE_SIZE = 96
SOURCE_CLASSES = ("circle", "square", "triangle", "star", "cross", "ring", "hexagon", "diamond")
TARGET_CLASSES = ("arrow", "heart", "bolt", "crescent", "tee")
_SPLITS = {"train": 0, "test": 1, "extra": 2, "hidden": 3}
_VERSION = 1  # bump when the drawing changes, so that old caches are not reused

Polygon = list[tuple[float, float]]


def _regular(sides: int, radius: float = 1.0, start: float = -np.pi / 2) -> Polygon:
    angles = start + 2 * np.pi * np.arange(sides) / sides
    return [(radius * np.cos(a), radius * np.sin(a)) for a in angles]


def _star() -> Polygon:
    outer, inner = _regular(5), _regular(5, 0.42, -np.pi / 2 + np.pi / 5)
    return [p for pair in zip(outer, inner) for p in pair]


def _heart() -> Polygon:
    t = np.linspace(0, 2 * np.pi, 60, endpoint=False)
    x, y = 16 * np.sin(t) ** 3, 13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t)
    return list(zip(x / 17, -y / 17 - 0.1))


#: Each shape as polygons in [-1, 1]^2: (polygon, filled?) pairs drawn in order (False cuts a hole).
SHAPES: dict[str, Callable[[], list[tuple[Polygon, bool]]]] = {
    "circle": lambda: [(_regular(48), True)],
    "square": lambda: [(_regular(4, 1.0, np.pi / 4), True)],
    "triangle": lambda: [(_regular(3), True)],
    "star": lambda: [(_star(), True)],
    "cross": lambda: [([(-.3, -1), (.3, -1), (.3, -.3), (1, -.3), (1, .3), (.3, .3), (.3, 1), (-.3, 1),
                        (-.3, .3), (-1, .3), (-1, -.3), (-.3, -.3)], True)],
    "ring": lambda: [(_regular(48), True), (_regular(48, 0.55), False)],
    "hexagon": lambda: [(_regular(6, 1.0, 0.0), True)],
    "diamond": lambda: [([(0, -1), (0.6, 0), (0, 1), (-0.6, 0)], True)],
    "arrow": lambda: [([(-1, -.25), (.2, -.25), (.2, -.65), (1, 0), (.2, .65), (.2, .25), (-1, .25)], True)],
    "heart": lambda: [(_heart(), True)],
    "bolt": lambda: [([(.1, -1), (-.6, .15), (-.05, .15), (-.25, 1), (.6, -.2), (.05, -.2), (.35, -1)], True)],
    "crescent": lambda: [(_regular(48), True), ([(x + 0.45, y - 0.1) for x, y in _regular(48, 0.85)], False)],
    "tee": lambda: [([(-1, -1), (1, -1), (1, -.5), (.25, -.5), (.25, 1), (-.25, 1), (-.25, -.5), (-1, -.5)],
                     True)],
}


def _mask(shape: str, rng: np.random.Generator) -> np.ndarray:
    """The shape's coverage in [0, 1], drawn at 3x and averaged down (smooth edges), scaled, rotated, moved."""
    big = 3 * IMAGE_SIZE
    scale = rng.uniform(0.28, 0.45) * big
    angle = rng.uniform(0, 2 * np.pi)
    centre = big / 2 + rng.uniform(-0.15, 0.15, size=2) * big
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    canvas = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(canvas)
    for polygon, filled in SHAPES[shape]():
        points = np.asarray(polygon) @ rotation.T * scale + centre
        draw.polygon([tuple(p) for p in points], fill=255 if filled else 0)
    # The mean of each 3x3 block, as exact integer sums of strided views (ten times faster than .mean over two
    # axes, and the same float32 values: a sum of nine bytes is exact, then divided once)
    pixels = np.asarray(canvas).astype(np.uint16)
    rows = pixels[0::3] + pixels[1::3] + pixels[2::3]
    coverage = (rows[:, 0::3] + rows[:, 1::3] + rows[:, 2::3]).astype(np.float32) / np.float32(9)
    return coverage / 255.0


@functools.lru_cache(maxsize=1)
def _grid() -> tuple[np.ndarray, np.ndarray]:
    """x and y in [-1, 1] at every pixel, computed once (read-only: callers make new arrays from them)."""
    xx, yy = np.meshgrid(np.linspace(-1, 1, IMAGE_SIZE), np.linspace(-1, 1, IMAGE_SIZE))
    xx.flags.writeable = yy.flags.writeable = False
    return xx, yy


def _background(rng: np.random.Generator) -> np.ndarray:
    """A 96x96x3 background in [0, 255]: flat, gradient, stripes, checkerboard or blotches."""
    a, b = rng.uniform(0, 255, size=3), rng.uniform(0, 255, size=3)
    xx, yy = _grid()
    kind = rng.integers(5)
    if kind == 0:
        mix = np.zeros_like(xx)
    elif kind == 1:
        theta = rng.uniform(0, 2 * np.pi)
        mix = (np.cos(theta) * xx + np.sin(theta) * yy + 1.4) / 2.8
    elif kind == 2:
        theta, period = rng.uniform(0, np.pi), rng.uniform(0.15, 0.5)
        mix = (np.sin((np.cos(theta) * xx + np.sin(theta) * yy) * np.pi / period) > 0).astype(float)
    elif kind == 3:
        cells = rng.integers(3, 9)
        mix = ((np.floor((xx + 1) * cells / 2) + np.floor((yy + 1) * cells / 2)) % 2).astype(float)
    else:
        coarse = rng.uniform(0, 1, size=(4, 4))
        mix = np.asarray(Image.fromarray((coarse * 255).astype(np.uint8)).resize(
            (IMAGE_SIZE, IMAGE_SIZE), Image.BICUBIC), dtype=float) / 255.0
    return a + (b - a) * mix[..., None] * rng.uniform(0.3, 1.0)


def draw_image(shape: str, seed: Sequence[int]) -> np.ndarray:
    """One 96x96x3 ``uint8`` image of ``shape``, the same for the same ``seed``.

    Args:
        shape: A name in ``SHAPES``.
        seed: Entropy for ``numpy.random.default_rng`` (ints).

    Returns:
        The image as a ``uint8`` array of shape ``(96, 96, 3)``.
    """
    rng = np.random.default_rng(list(seed))
    background = _background(rng)
    colour = rng.uniform(0, 255, size=3)
    while np.abs(colour - background.mean(axis=(0, 1))).sum() < 150:  # keep the shape visible
        colour = rng.uniform(0, 255, size=3)
    foreground = np.broadcast_to(colour, background.shape).copy()
    if rng.random() < 0.3:  # a striped shape
        xx, _ = _grid()
        foreground *= (0.65 + 0.35 * (np.sin(xx * rng.uniform(8, 20)) > 0))[..., None]
    coverage = _mask(shape, rng)[..., None]
    image = background * (1 - coverage) + foreground * coverage
    image += rng.normal(0, rng.uniform(2, 18), size=image.shape)
    return np.clip(image, 0, 255).astype(np.uint8)


def _task_id(task: str) -> int:
    if task not in ("source", "target"):
        raise ValueError(f"task must be 'source' or 'target', got {task!r}")
    return 0 if task == "source" else 1


def task_classes(task: str) -> tuple[str, ...]:
    """The class names of ``task`` (``"source"`` or ``"target"``), in label order."""
    return SOURCE_CLASSES if _task_id(task) == 0 else TARGET_CLASSES


def render(task: str, per_class: int, split: str = "train", seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``per_class`` images of each class of ``task`` in memory, with integer labels in class order.

    Args:
        task: ``"source"`` or ``"target"``.
        per_class: Images per class.
        split: ``"train"``, ``"test"`` (the notebook's held-out test set), ``"extra"`` (the checks' fixed
            images) or ``"hidden"`` (the challenge's test images, drawn by the judge from a seed of its own):
            disjoint streams of images. Defaults to ``"train"``.
        seed: Which images of the split. Defaults to 0.

    Returns:
        ``(images, labels)``: ``uint8`` of shape ``(n, 96, 96, 3)`` and ``int32`` of shape ``(n,)``.

    >>> x, y = render("target", 2)
    >>> x.shape, y.tolist()
    ((10, 96, 96, 3), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
    """
    if per_class < 1:
        raise ValueError(f"per_class must be a positive int, got {per_class}")
    classes = task_classes(task)
    images = [draw_image(name, (_VERSION, _task_id(task), _SPLITS[split], seed, label, i))
              for label, name in enumerate(classes) for i in range(per_class)]
    return np.stack(images), np.repeat(np.arange(len(classes), dtype=np.int32), per_class)


def cache_root() -> Path:
    """Where image folders are written: ``$TFCOURSE_CACHE`` or the temp directory's ``tfcourse``."""
    import os  # here, so that no `os` attribute is reachable from this module

    return Path(os.environ.get("TFCOURSE_CACHE") or Path(tempfile.gettempdir()) / "tfcourse")


def write_task(task: str, per_class: int, split: str = "train", seed: int = 0, root: Path | None = None) -> Path:
    """Write ``render(task, per_class, split, seed)`` as PNG files, a folder per class; reuse them if present.

    Args:
        task: ``"source"`` or ``"target"``.
        per_class: Images per class.
        split: ``"train"``, ``"test"`` or ``"extra"``. Defaults to ``"train"``.
        seed: Which images. Defaults to 0.
        root: Parent directory. Defaults to ``cache_root()``.

    Returns:
        The directory holding one sub-folder per class (``arrow/``, ``heart/``, ...),
        ready for ``keras.utils.image_dataset_from_directory``.

    Used in notebook 10 and by ``helpers.pretrain_mobilenet``.
    """
    spec = {"version": _VERSION, "task": task, "per_class": per_class, "split": split, "seed": seed}
    key = hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:10]
    directory = Path(root or cache_root()) / "images" / f"{task}-{split}-{per_class}-{seed}-{key}"
    if (directory / "done.json").exists():
        return directory
    x, y = render(task, per_class, split, seed)
    staging = Path(tempfile.mkdtemp(prefix=directory.name, dir=directory.parent if directory.parent.exists()
                                    else _make(directory.parent)))
    classes = task_classes(task)
    for i, (image, label) in enumerate(zip(x, y)):
        folder = staging / classes[label]
        folder.mkdir(exist_ok=True)
        Image.fromarray(image).save(folder / f"{i:05d}.png", compress_level=1)
    (staging / "done.json").write_text(json.dumps(spec) + "\n")
    try:
        staging.rename(directory)
    except OSError:  # another kernel wrote it first: use theirs
        import shutil  # here, so that no module handing out `os` is reachable from this one

        shutil.rmtree(staging, ignore_errors=True)
    return directory


def _make(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
