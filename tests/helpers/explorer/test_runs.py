"""helpers.explorer.runs: one run trained and recorded, its optimizer swapped without touching loss and metrics."""
import pytest

from helpers import tf
from helpers.explorer.runs import train_run, with_optimizer
from helpers.explorer.settings import RunSettings
from helpers.models import digits_classifier

keras = tf.keras


def test_train_run_counts_the_epochs_actually_run(small):
    """With early stopping, are epochs and updates those that ran, not those asked for?"""
    stop_after_two = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: setattr(model_holder[0], "stop_training", epoch >= 1))
    model_holder = []

    def factory():
        model_holder.append(digits_classifier())
        return model_holder[0]

    record = train_run(RunSettings(epochs=10, batch_size=50, val_fraction=0.0), small, factory,
                       callbacks=[stop_after_two])
    assert record.epochs_run == 2 and record.updates == 2 * 4
    assert record.final_val_accuracy is None  # no validation split


def test_with_optimizer_keeps_loss_and_metrics():
    """Does swapping the optimizer keep the factory's loss and metrics?"""
    model = with_optimizer(digits_classifier(), "rmsprop", 0.05)
    assert type(model.optimizer).__name__ == "RMSprop"
    assert float(model.optimizer.learning_rate) == pytest.approx(0.05)
    assert model.get_compile_config()["metrics"] == ["accuracy"]
    assert "SparseCategoricalCrossentropy" in str(model.get_compile_config()["loss"])
