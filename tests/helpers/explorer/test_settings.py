"""helpers.explorer.settings: the batch sizes on offer, and settings that cannot train named in words."""
import pytest

from helpers.explorer.settings import RunSettings, SettingsError, batch_size_options, check_settings


def test_batch_size_options_are_powers_of_two_up_to_the_data():
    """Are the offered batch sizes 8, 16, ... and the whole training set?"""
    assert batch_size_options(100) == [8, 16, 32, 64, 100]
    assert batch_size_options(64) == [8, 16, 32, 64]
    assert batch_size_options(5) == [5]


@pytest.mark.parametrize(
    "settings, num_train, expected",
    [
        (RunSettings(batch_size=200), 100, "larger than the 100 training samples"),
        (RunSettings(epochs=0), 100, "Epochs must be at least 1"),
        (RunSettings(learning_rate=0.0), 100, "Learning rate must be positive"),
        (RunSettings(optimizer="adagrad"), 100, "Optimizer must be one of"),
        (RunSettings(), 0, "leaves no training samples"),
    ],
)
def test_check_settings_names_the_problem(settings, num_train, expected):
    """Does each impossible setting raise a SettingsError that says what to change?"""
    with pytest.raises(SettingsError, match=expected):
        check_settings(settings, num_train)
