"""Tests for helpers.live: the live-curves callback and the figure it draws."""
import base64

import ipywidgets
import numpy as np
import pytest

from helpers.live import LiveCurves, curves_figure, metrics_present
from helpers.models import digits_classifier

PNG_MAGIC = b"\x89PNG"


@pytest.fixture(scope="module")
def small_data():
    rng = np.random.default_rng(0)
    x = rng.random((96, 64), dtype=np.float32)
    y = rng.integers(0, 10, size=96).astype(np.int32)
    return x, y


def fit(data, callbacks, epochs=3, **kwargs):
    x, y = data
    model = digits_classifier()
    return model.fit(x, y, epochs=epochs, batch_size=32, validation_split=0.25,
                     callbacks=callbacks, verbose=0, **kwargs)


def test_history_equals_keras_history(small_data):
    """Does the callback record exactly the numbers that fit's History holds?"""
    curves = LiveCurves()
    history = fit(small_data, [curves])
    assert curves.history == history.history
    assert set(curves.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert curves.epochs_drawn == 3


def test_redraws_into_output_widget_after_every_epoch(small_data):
    """Is the Output widget's content replaced by one PNG after each epoch?"""
    out = ipywidgets.Output()
    seen = []
    out.observe(lambda change: seen.append(change["new"]), "outputs")
    fit(small_data, [LiveCurves(output=out)], epochs=4)
    assert len(seen) == 4
    assert all(len(outputs) == 1 for outputs in seen)
    png = base64.b64decode(out.outputs[0]["data"]["image/png"])
    assert png.startswith(PNG_MAGIC)


def test_reused_callback_starts_fresh(small_data):
    """Does a second fit with the same callback forget the first run's epochs?"""
    curves = LiveCurves()
    fit(small_data, [curves], epochs=3)
    second = fit(small_data, [curves], epochs=2)
    assert curves.history == second.history
    assert curves.epochs_drawn == 2


def test_figure_has_a_panel_per_metric_with_train_and_val(small_data):
    """Are loss and accuracy drawn in their own panels, train and validation each?"""
    curves = LiveCurves()
    fit(small_data, [curves], epochs=2)
    axes = curves.figure.axes
    assert [ax.get_title() for ax in axes] == ["loss", "accuracy"]
    assert all(len(ax.lines) == 2 for ax in axes)


def test_earlier_runs_are_overlaid_with_their_labels(small_data):
    """Are earlier runs drawn beside this one, each labelled?"""
    earlier = [("batch 16", {"loss": [2.0, 1.5], "val_loss": [2.1, 1.7]})]
    curves = LiveCurves(earlier=earlier, label="batch 64", metrics=("loss",))
    fit(small_data, [curves], epochs=2)
    labels = [line.get_label() for line in curves.figure.axes[0].lines]
    assert labels == ["batch 16 (train)", "batch 16 (val)", "batch 64 (train)", "batch 64 (val)"]


def test_figure_is_not_left_open_in_pyplot(small_data):
    """Does drawing leave pyplot's figure list alone (no duplicate inline plot)?"""
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fit(small_data, [LiveCurves()], epochs=1)
    assert plt.get_fignums() == before


def test_falls_back_to_the_metrics_a_run_has():
    """Does a model compiled without accuracy still get its loss drawn?"""
    runs = [("run", {"loss": [1.0], "mae": [0.5], "val_loss": [1.2]})]
    assert metrics_present(runs, ("loss", "accuracy")) == ["loss"]
    assert metrics_present(runs, ("accuracy",)) == ["loss", "mae"]
    fig = curves_figure(runs, ("accuracy",))
    assert [ax.get_title() for ax in fig.axes] == ["loss", "mae"]
