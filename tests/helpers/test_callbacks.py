"""helpers.callbacks: a real fit whose logs follow a script."""
from __future__ import annotations

import numpy as np

from helpers.callbacks import scripted_fit, tiny_model


def test_scripted_fit_is_a_real_fit_with_scripted_logs():
    """Does scripted_fit train (weights change each epoch) while History records the scripted values?"""
    model, recorder, history = scripted_fit([], {"val_loss": [0.3, 0.2, 0.1]})
    assert history["val_loss"] == [0.3, 0.2, 0.1] and len(history["loss"]) == 3
    assert not np.array_equal(recorder.weights[0][0], recorder.weights[2][0])
    np.testing.assert_array_equal(model.get_weights()[0], recorder.weights[2][0])


def test_scripted_fit_runs_as_many_epochs_as_the_shortest_script():
    """With two scripts of different lengths, does fit stop where the shorter one ends, on the model given?"""
    model = tiny_model(1)
    trained, recorder, history = scripted_fit([], {"val_loss": [0.3, 0.2], "val_accuracy": [0.5, 0.6, 0.7]}, model)
    assert trained is model and len(recorder.weights) == 2 and history["val_accuracy"] == [0.5, 0.6]
