"""helpers.explorer.results: the runs as table rows, as HTML, and as overlaid curves."""
import math

import numpy as np
import pytest

from helpers.explorer.results import runs_figure, runs_table, table_html
from helpers.explorer.runs import RunRecord
from helpers.explorer.settings import RunSettings

RECORDS = [
    RunRecord(RunSettings(epochs=2, batch_size=16), {"loss": [1.0, 0.8], "val_loss": [1.1, 0.9],
                                                     "val_accuracy": [0.4, 0.6]}, [0.5, 0.3], num_train=40),
    RunRecord(RunSettings(epochs=3, optimizer="sgd"), {"loss": [2.0, 1.5]}, [], num_train=40),
]


def test_runs_table_has_one_row_per_run_with_its_cost():
    """Does each row give the run's number, settings, final val accuracy, seconds per epoch and updates?"""
    first, second = runs_table(RECORDS)
    assert (first["run"], first["batch size"], first["epochs"], first["updates"]) == (1, 16, 2, 2 * 3)
    assert first["final val accuracy"] == 0.6 and first["s / epoch"] == pytest.approx(0.4)
    assert (second["run"], second["optimizer"], second["epochs"], second["updates"]) == (2, "sgd", 2, 2 * 2)
    assert second["final val accuracy"] is None and math.isnan(second["s / epoch"])


def test_runs_figure_labels_each_run_by_number_and_settings():
    """Are both runs drawn, each labelled '#n settings', the latest on top with thicker lines?"""
    lines = runs_figure(RECORDS, metrics=("loss",)).axes[0].lines
    assert [line.get_label() for line in lines] == [
        "#1 adam lr=0.001 batch=16 epochs=2 (train)", "#1 adam lr=0.001 batch=16 epochs=2 (val)",
        "#2 sgd lr=0.001 batch=32 epochs=3 (train)"]
    np.testing.assert_allclose(lines[2].get_ydata(), [2.0, 1.5])
    assert lines[2].get_linewidth() > lines[0].get_linewidth()


def test_table_html_escapes_and_formats():
    """Does the HTML table format floats briefly, show a dash for no value, and escape text?"""
    html = table_html([{"run": 1, "optimizer": "<b>", "final val accuracy": None, "s": 0.123456}])
    assert "&lt;b&gt;" in html and "–" in html and "0.123" in html and "0.1234" not in html
    assert table_html([]) == ""
