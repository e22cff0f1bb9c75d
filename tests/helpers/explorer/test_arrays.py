"""helpers.explorer.arrays: the explorer's data read into arrays, and the validation split."""
import numpy as np

from helpers import tf
from helpers.explorer.arrays import as_arrays, split_validation


def test_tf_data_input_batched_or_not_gives_the_same_arrays(small):
    """Is a tf.data.Dataset read back into the same arrays, batched or not?"""
    x, y = small
    unbatched = tf.data.Dataset.from_tensor_slices((x, y))
    for dataset in (unbatched, unbatched.batch(32)):
        got_x, got_y = as_arrays(dataset)
        np.testing.assert_array_equal(got_x, x)
        np.testing.assert_array_equal(got_y, y)


def test_split_validation_keeps_the_last_fraction():
    """Is the validation set the last val_fraction of the samples?"""
    x, y = np.arange(20).reshape(10, 2), np.arange(10)
    (xt, yt), (xv, yv) = split_validation(x, y, 0.3)
    assert yt.tolist() == list(range(7)) and yv.tolist() == [7, 8, 9]
    assert split_validation(x, y, 0.0)[1] is None
