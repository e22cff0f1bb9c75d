"""helpers.explorer.widget: the TrainingExplorer driven headless, through its Train and Clear handlers.

The same widget in a real JupyterLab is tested in ``tests/browser/``.
"""
import base64

import numpy as np
import pytest

from helpers import tf
from helpers.explorer import TrainingExplorer
from helpers.explorer.arrays import as_arrays
from helpers.explorer.results import runs_figure, runs_table
from helpers.explorer.settings import RunSettings
from helpers.models import digits_classifier

keras = tf.keras


class CountingFactory:
    """digits_classifier that remembers the models it built (and so their History)."""

    def __init__(self):
        self.models = []

    def __call__(self):
        self.models.append(digits_classifier())
        return self.models[-1]


def explorer_for(data, factory=None):
    return TrainingExplorer(data=data, model_factory=factory or CountingFactory())


def set_controls(explorer, epochs=3, batch_size=16, learning_rate=1e-2,
                 optimizer="sgd", val_fraction=0.25):
    explorer.val_fraction.value = val_fraction
    explorer.epochs.value = epochs
    explorer.batch_size.value = batch_size
    explorer.learning_rate.value = learning_rate
    explorer.optimizer.value = optimizer


def test_building_the_explorer_trains_nothing(small):
    """Does building (and so displaying) the explorer leave every model unbuilt?"""
    factory = CountingFactory()
    explorer = explorer_for(small, factory)
    assert factory.models == []
    assert explorer.records == [] and explorer.plot.outputs == ()
    assert "Train" in explorer.message.value


def test_train_records_the_chosen_settings_and_keras_history(small):
    """Does pressing Train keep the settings, the epochs run and curves equal to Keras's History?"""
    factory = CountingFactory()
    explorer = explorer_for(small, factory)
    set_controls(explorer)
    explorer.train_button.click()
    [record] = explorer.records
    assert record.settings == RunSettings(3, 16, pytest.approx(1e-2), "sgd", 0.25)
    assert record.epochs_run == 3
    assert record.history == factory.models[0].history.history
    assert record.num_train == 150 and record.updates == 3 * 10
    assert len(record.epoch_seconds) == 3
    assert type(factory.models[0].optimizer).__name__ == "SGD"
    assert float(factory.models[0].optimizer.learning_rate) == pytest.approx(1e-2)
    drawn = runs_figure(explorer.records).axes[0].lines
    np.testing.assert_allclose(drawn[0].get_ydata(), record.history["loss"])
    np.testing.assert_allclose(drawn[1].get_ydata(), record.history["val_loss"])
    png = base64.b64decode(explorer.plot.outputs[0]["data"]["image/png"])
    assert png.startswith(b"\x89PNG")
    assert "explorer-done" in explorer.message.value
    assert not explorer.train_button.disabled


def test_curves_redraw_after_every_epoch(small):
    """Is the plot redrawn once per epoch while the run trains?"""
    explorer = explorer_for(small)
    set_controls(explorer, epochs=4)
    redraws = []
    explorer.plot.observe(lambda change: redraws.append(change), "outputs")
    explorer.train()
    assert len(redraws) == 4


def test_table_has_one_row_per_run(small):
    """After two runs with different batch sizes, does the table list both?"""
    explorer = explorer_for(small)
    set_controls(explorer, epochs=2, batch_size=16)
    explorer.train()
    set_controls(explorer, epochs=2, batch_size=128)
    explorer.train()
    rows = runs_table(explorer.records)
    assert [r["batch size"] for r in rows] == [16, 128]
    assert [r["updates"] for r in rows] == [2 * 10, 2 * 2]
    assert explorer.table.value.count("<tr>") == 1 + 2
    assert all(0 <= r["final val accuracy"] <= 1 for r in rows)


def test_clear_forgets_every_run(small):
    """Does Clear empty the records, the plot and the table?"""
    explorer = explorer_for(small)
    set_controls(explorer, epochs=1)
    explorer.train()
    explorer.clear_button.click()
    assert explorer.records == [] and explorer.plot.outputs == () and explorer.table.value == ""


@pytest.mark.parametrize(
    "data, expected",
    [
        (None, "No data loaded"),
        ((np.zeros((0, 64)), np.zeros(0)), "empty"),
        ((np.zeros((10, 64)), np.zeros(9)), "x has 10 samples but y has 9"),
    ],
    ids=["no-data", "empty", "mismatched"],
)
def test_bad_data_gives_a_message_not_a_traceback(data, expected):
    """Does Train with no (or broken) data explain itself in the widget?"""
    factory = CountingFactory()
    explorer = explorer_for(data, factory)
    assert explorer.train() is None
    assert expected in explorer.message.value and "explorer-error" in explorer.message.value
    assert factory.models == [] and explorer.records == []


def test_batch_larger_than_the_data_gives_a_message(small):
    """Does a batch size beyond the training set get a message naming the limit?"""
    explorer = explorer_for(small)
    explorer.batch_size.options = [16, 4096]  # e.g. a notebook that widened the slider
    explorer.batch_size.value = 4096
    explorer.train_button.click()
    assert "Batch size 4096 is larger than the 160 training samples" in explorer.message.value
    assert explorer.records == [] and not explorer.train_button.disabled


def test_a_failing_model_gives_a_message(small):
    """Does an error inside training (here an uncompiled model) show as a message?"""
    explorer = explorer_for(small, factory=lambda: keras.Sequential([keras.layers.Dense(10)]))
    assert explorer.train() is None
    assert "compiled model" in explorer.message.value

    explorer = explorer_for((small[0][:, :10], small[1]))  # 10 features for a 64-input model
    assert explorer.train() is None
    assert "Training failed" in explorer.message.value


def test_batch_size_slider_follows_the_validation_fraction(small):
    """Does raising the validation fraction shrink the largest batch size on offer?"""
    explorer = explorer_for(small)
    explorer.val_fraction.value = 0.2
    assert explorer.batch_size.options[-1] == 160
    explorer.val_fraction.value = 0.5
    assert explorer.batch_size.options[-1] == 100
    assert explorer.batch_size.value == 32


def test_default_explorer_uses_the_digits_training_split():
    """Without arguments, is the data the digits training split (and nothing trained)?"""
    explorer = TrainingExplorer()
    x, _ = as_arrays(explorer.data)
    assert x.shape == (1077, 64)
    assert explorer.batch_size.options == (8, 16, 32, 64, 128, 256, 512, 862)
    assert explorer.records == []


def test_any_compiled_factory_and_tf_data_input(small):
    """Does the explorer train a different model (no accuracy metric) from a batched tf.data pipeline?"""
    x, y = small

    def conv_regressor():
        model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                                  keras.layers.Flatten(), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        return model

    images = tf.data.Dataset.from_tensor_slices((x.reshape(-1, 8, 8, 1), y.astype("float32"))).batch(25)
    explorer = explorer_for(images, conv_regressor)
    set_controls(explorer, epochs=2, batch_size=32, optimizer="adam", learning_rate=1e-2)
    record = explorer.train()
    assert record is not None, explorer.message.value
    assert set(record.history) == {"loss", "mae", "val_loss", "val_mae"}
    assert record.final_val_accuracy is None and "–" in explorer.table.value
    assert [ax.get_title() for ax in runs_figure(explorer.records).axes] == ["loss"]
