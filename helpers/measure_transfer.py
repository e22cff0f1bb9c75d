"""Measure transfer against training from scratch: ``python -m helpers.measure_transfer``.

Notebook 10's setting, on several seeds: the target task's 24 labelled images
per class (the notebook's training split of them), MobileNetV2 (alpha 0.35,
96 px) under the notebook's head (preprocessing and augmentation,
GlobalAveragePooling2D, Dropout 0.2, softmax), Adam at 1e-3, the same epochs.

- **transfer**: the course's pretrained weights, the base frozen;
- **scratch**: the same network from random weights, every layer trainable.

Each run is scored on the 150 held-out test images. The record (each seed's
accuracy, mean and standard deviation, time, versions) goes to
``helpers/weights/transfer_vs_scratch.json``, which notebook 10 and the README
quote.

Used for notebook 10's measured gain.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from helpers.images import write_task
from helpers.reference import nb10 as reference
from helpers.transfer import (COURSE_MOBILENET_WEIGHTS, MOBILENET_CONFIG, TRANSFER_VS_SCRATCH_RECORD,
                              compile_classifier, keras, tf)

RECORD = TRANSFER_VS_SCRATCH_RECORD


def _data() -> tuple:
    train_ds = keras.utils.image_dataset_from_directory(
        write_task("target", per_class=24), validation_split=0.25, subset="training", seed=1, image_size=(96, 96),
        batch_size=30, verbose=False).cache()
    test_ds = keras.utils.image_dataset_from_directory(write_task("target", per_class=30, split="test"),
                                                       image_size=(96, 96), batch_size=150, shuffle=False,
                                                       verbose=False)
    x_test, y_test = next(iter(test_ds))
    return train_ds, x_test.numpy(), y_test.numpy()


def run(pretrained: bool, seed: int, epochs: int, data: tuple) -> float:
    """Held-out accuracy of one run: transfer (``pretrained``) or from scratch."""
    train_ds, x_test, y_test = data
    keras.utils.set_random_seed(seed)
    base = keras.applications.MobileNetV2(**MOBILENET_CONFIG,
                                          weights=str(COURSE_MOBILENET_WEIGHTS) if pretrained else None)
    model = reference.build_transfer_model(base, 5, reference.build_image_preprocessing())
    base.trainable = not pretrained
    compile_classifier(model, 1e-3).fit(train_ds, epochs=epochs, verbose=0)
    predicted = model.predict(x_test, batch_size=150, verbose=0).argmax(axis=1)
    return float(np.mean(predicted == y_test))


def measure(seeds: list[int], epochs: int) -> dict:
    """Run both arms on every seed and summarise them."""
    data = _data()
    start = time.perf_counter()
    arms = {arm: [round(run(arm == "transfer", seed, epochs, data), 4) for seed in seeds]
            for arm in ("transfer", "scratch")}
    summary = {arm: {"accuracies": accs, "mean": round(float(np.mean(accs)), 4),
                     "std": round(float(np.std(accs)), 4)} for arm, accs in arms.items()}
    return {"setting": "target task, 90 training images (24 per class, 25 % held for validation), 150 held-out "
                       "test images; MobileNetV2 alpha 0.35 at 96 px, notebook 10's head; Adam 1e-3, batch 30",
            "epochs": epochs, "seeds": seeds, **summary,
            "gain_points": round(100 * (summary["transfer"]["mean"] - summary["scratch"]["mean"]), 1),
            "seconds": round(time.perf_counter() - start, 1), "tensorflow": tf.__version__,
            "keras": keras.__version__, "command": "python -m helpers.measure_transfer"}


def main(argv: list[str] | None = None) -> dict:
    """Measure and write the record (``--seeds``, ``--epochs``, ``--out``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=RECORD)
    args = parser.parse_args(argv)
    record = measure(args.seeds, args.epochs)
    args.out.write_text(json.dumps(record, indent=2) + "\n")
    t, s = record["transfer"], record["scratch"]
    print(f"transfer {t['mean']:.1%} ± {t['std']:.1%}, scratch {s['mean']:.1%} ± {s['std']:.1%} "
          f"over seeds {args.seeds}; wrote {args.out}")
    return record


if __name__ == "__main__":
    main()
