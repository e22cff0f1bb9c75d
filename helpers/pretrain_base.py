"""Recreate the offline pretrained base: ``python -m helpers.pretrain_base``.

Trains ``helpers.transfer.build_digits_base`` on digits 0-4 (the source task)
with two temporary heads on its pooled features: a softmax over the five
digits, and a decoder that redraws the 8x8 input. The second task keeps the
features general: a base trained only to tell 0-4 apart throws away what
does not separate those five digits, and transfers worse to new ones
(a linear probe on 5 images of each of 5-9 scored about 0.7 instead of 0.85
when we tried). The script keeps the base's weights in
``helpers/weights/digits_base.weights.h5`` and records how well the source task
was learned in ``helpers/weights/digits_base.json``. Digits 5-9 are never
seen, so notebook 10 can use them as the new task. Takes about half a minute
on a laptop CPU and gives the same weights on every run on the same machine.

Used to build the weights that notebook 10 loads.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from helpers.data import load_digits
from helpers.transfer import (DIGITS_BASE_RECORD, DIGITS_BASE_WEIGHTS, SOURCE_CLASSES,
                              build_digits_base, compile_classifier, keras, tf)

#: Weight of the redrawing loss (pixel MSE, about 0.005 once learned) next to the cross-entropy.
RECONSTRUCTION_WEIGHT = 20.0


def source_task() -> tuple[np.ndarray, ...]:
    """Train, validation and test images and labels of digits 0-4, from the course's usual split."""
    data = load_digits(view="image")
    out = []
    for x, y in [(data.x_train, data.y_train), (data.x_val, data.y_val), (data.x_test, data.y_test)]:
        keep = np.isin(y, SOURCE_CLASSES)
        out += [x[keep], y[keep]]
    return tuple(out)


def pretrain(epochs: int = 40, seed: int = 0) -> tuple[keras.Model, dict]:
    """Train the digits base on digits 0-4 and return it with a record of the run.

    Args:
        epochs: Training epochs. Defaults to 40.
        seed: Seed for the weights and the batch order. Defaults to 0.

    Returns:
        The trained base (without its temporary head) and a dict of results.
    """
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    x_train, y_train, x_val, y_val, x_test, y_test = source_task()
    base = build_digits_base()
    pooled = keras.layers.GlobalAveragePooling2D()(base.output)
    digit = keras.layers.Dense(len(SOURCE_CLASSES), activation="softmax", name="digit")(pooled)
    redrawn = keras.layers.Dense(64, activation="sigmoid")(pooled)
    redrawn = keras.layers.Reshape((8, 8, 1), name="redrawn")(redrawn)
    model = keras.Model(base.input, [digit, redrawn])
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=["sparse_categorical_crossentropy", "mse"], loss_weights=[1.0, RECONSTRUCTION_WEIGHT],
                  metrics=[["accuracy"], []])
    start = time.perf_counter()
    history = model.fit(x_train, (y_train, x_train), epochs=epochs, batch_size=32,
                        validation_data=(x_val, (y_val, x_val)), verbose=0)
    seconds = time.perf_counter() - start
    test = model.evaluate(x_test, (y_test, x_test), verbose=0, return_dict=True)
    record = {
        "source_task": f"digits {SOURCE_CLASSES[0]}-{SOURCE_CLASSES[-1]}, 8x8 images, pixels in [0, 1]",
        "train_images": int(len(x_train)),
        "epochs": epochs,
        "seed": seed,
        "reconstruction_weight": RECONSTRUCTION_WEIGHT,
        "train_accuracy": round(float(history.history["digit_accuracy"][-1]), 4),
        "val_accuracy": round(float(history.history["val_digit_accuracy"][-1]), 4),
        "test_accuracy": round(float(test["digit_accuracy"]), 4),
        "test_reconstruction_mse": round(float(test["redrawn_loss"]), 5),
        "test_images": int(len(x_test)),
        "base_params": int(base.count_params()),
        "train_seconds": round(seconds, 1),
        "tensorflow": tf.__version__,
        "command": "python -m helpers.pretrain_base",
    }
    return base, record


def main(argv: list[str] | None = None) -> dict:
    """Pretrain the digits base, save its weights and write the record beside them.

    Args:
        argv: Command-line arguments (``--epochs``, ``--seed``, ``--out``).
            Defaults to ``sys.argv[1:]``.

    Returns:
        The record written as JSON.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DIGITS_BASE_WEIGHTS,
                        help="weights file to write (must end in .weights.h5); the record goes beside it")
    args = parser.parse_args(argv)
    if not args.out.name.endswith(".weights.h5"):
        parser.error(f"--out must end in .weights.h5, got {args.out.name}")
    base, record = pretrain(args.epochs, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    base.save_weights(args.out)
    record["weights_bytes"] = args.out.stat().st_size
    record_path = (DIGITS_BASE_RECORD if args.out == DIGITS_BASE_WEIGHTS
                   else args.out.with_name(args.out.name.replace(".weights.h5", ".json")))
    record_path.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {args.out} ({record['weights_bytes']:,} bytes) and {record_path.name}: "
          f"test accuracy on digits 0-4 {record['test_accuracy']:.1%}")
    return record


if __name__ == "__main__":
    main()
