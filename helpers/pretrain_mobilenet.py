"""Recreate the course's pretrained MobileNetV2: ``python -m helpers.pretrain_mobilenet``.

Trains ``keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35,
include_top=False, weights=None)`` with a temporary softmax head on the source
task of ``helpers.images`` (8 shapes: circle, square, triangle, ...), on fresh
images every epoch (a fixed set of 2,000 is learned by heart: 100 % right on
them, 32 % on new ones), with its
inputs scaled to [-1, 1] as for ImageNet weights. It keeps the base's weights
in ``helpers/weights/mobilenetv2_0.35_96_course.h5`` and records the
run (data, epochs, accuracy on held-out source images, time, versions) in
``mobilenetv2_0.35_96_course.json`` beside it. The target task's shapes
(arrow, heart, bolt, crescent, tee) are never seen, so notebook 10 can learn
them by transfer. Takes a few minutes on a laptop CPU.

Used to build the weights that ``helpers.transfer.load_mobilenet_v2`` loads.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from helpers.images import SOURCE_CLASSES, render
from helpers.transfer import COURSE_MOBILENET_RECORD, COURSE_MOBILENET_WEIGHTS, MOBILENET_CONFIG, keras, tf


def set_batch_norm_momentum(base: keras.Model, momentum: float) -> None:
    """Set the momentum of every BatchNormalization layer of ``base`` (how slowly its statistics follow)."""
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = momentum


def recalibrate_batch_norm(base: keras.Model, x: np.ndarray, batches: int = 40, batch_size: int = 64) -> None:
    """Set BatchNormalization's moving statistics to those of the trained network on ``x``, weights unchanged.

    Inference uses the moving mean and variance. After a short training run
    they still lag behind the last weights, and a network right on every
    training batch can be at chance in inference. Forward passes in training
    mode (no gradient step) with momentum 0.9 let them catch up.
    """
    set_batch_norm_momentum(base, 0.9)
    rng = np.random.default_rng(0)
    for _ in range(batches):
        batch = x[rng.choice(len(x), size=min(batch_size, len(x)), replace=False)].astype("float32") / 127.5 - 1
        base(batch, training=True)


def pretrain(per_class: int = 250, epochs: int = 16, seed: int = 0) -> tuple[keras.Model, dict]:
    """Train MobileNetV2 (alpha 0.35, 96 px) from random weights on the source task.

    Args:
        per_class: Training images per source class. Defaults to 250.
        epochs: Training epochs. Defaults to 16.
        seed: Seed for the weights and the batch order. Defaults to 0.

    Returns:
        The trained base (without its temporary head) and a dict of results.
    """
    keras.utils.set_random_seed(seed)
    x_train, y_train = render("source", per_class, "train")  # epoch 0's images, for the step count
    x_test, y_test = render("source", 50, "test")
    base = keras.applications.MobileNetV2(**MOBILENET_CONFIG, weights=None)
    set_batch_norm_momentum(base, 0.9)  # Keras's 0.999 needs far more steps than a short run takes
    inputs = keras.Input(shape=MOBILENET_CONFIG["input_shape"])
    x = keras.layers.Rescaling(1 / 127.5, offset=-1)(inputs)
    x = keras.layers.GlobalAveragePooling2D()(base(x))
    outputs = keras.layers.Dense(len(SOURCE_CLASSES), activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    steps = epochs * int(np.ceil(len(x_train) / 32))
    schedule = keras.optimizers.schedules.CosineDecay(2e-3, decay_steps=steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], jit_compile=False)
    start = time.perf_counter()
    accuracy = []
    for epoch in range(epochs):  # fresh images every epoch: the network cannot learn them by heart
        x_train, y_train = render("source", per_class, "train", seed=epoch)
        history = model.fit(x_train.astype("float32"), y_train, epochs=1, batch_size=32, verbose=2)
        accuracy += history.history["accuracy"]
    # BatchNormalization's moving statistics, used in inference, are set last (see recalibrate_batch_norm).
    recalibrate_batch_norm(base, x_train)
    seconds = time.perf_counter() - start
    test = model.evaluate(x_test.astype("float32"), y_test, verbose=0, return_dict=True)
    record = {
        "source_task": "helpers.images source task: " + ", ".join(SOURCE_CLASSES) + " (96x96 RGB)",
        "data": f"fresh images each epoch: render('source', {per_class}, 'train', seed=epoch); "
                "held out: render('source', 50, 'test')",
        "train_images": int(len(x_train)) * epochs,
        "epochs": epochs,
        "seed": seed,
        "train_accuracy": round(float(accuracy[-1]), 4),
        "test_accuracy": round(float(test["accuracy"]), 4),
        "test_images": int(len(x_test)),
        "base_params": int(base.count_params()),
        "train_seconds": round(seconds, 1),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "command": "python -m helpers.pretrain_mobilenet",
    }
    return base, record


def save_weights_as_keras_applications(base: keras.Model, path: Path) -> None:
    """Write ``base``'s weights in the HDF5 layout of Keras's own ImageNet files (one group per layer).

    ``keras.applications`` loads that layout about twice as fast as the ``.weights.h5`` format of
    ``model.save_weights`` (0.4 against 0.9 s for this base on the course's 2-core VM), and every notebook 10 kernel
    loads the file twice: the notebook's base, and the checks' copy of its weights. Keras 3 writes the layout only
    inside ``model.save("….h5")``, which adds the model's description; its own writer for the weights alone lives
    in ``keras.src``.
    """
    import h5py
    from keras.src.legacy.saving import legacy_h5_format

    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, base)


def main(argv: list[str] | None = None) -> dict:
    """Pretrain the base, save its weights and write the record beside them.

    Args:
        argv: Command-line arguments (``--per-class``, ``--epochs``, ``--seed``,
            ``--out``). Defaults to ``sys.argv[1:]``.

    Returns:
        The record written as JSON.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=250)
    parser.add_argument("--epochs", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=COURSE_MOBILENET_WEIGHTS,
                        help="weights file to write (must end in .h5); the record goes beside it")
    args = parser.parse_args(argv)
    if args.out.suffix != ".h5" or args.out.name.endswith(".weights.h5"):
        parser.error(f"--out must end in .h5 (not .weights.h5), got {args.out.name}")
    base, record = pretrain(args.per_class, args.epochs, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_weights_as_keras_applications(base, args.out)
    record["weights_bytes"] = args.out.stat().st_size
    record["weights_format"] = "HDF5, one group per layer, as Keras's ImageNet files"
    record_path = (COURSE_MOBILENET_RECORD if args.out == COURSE_MOBILENET_WEIGHTS
                   else args.out.with_suffix(".json"))
    record_path.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {args.out} ({record['weights_bytes']:,} bytes) and {record_path.name}: "
          f"held-out source accuracy {record['test_accuracy']:.1%} after {record['train_seconds']} s")
    return record


if __name__ == "__main__":
    main()
