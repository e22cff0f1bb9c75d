"""Notebook 03's tests judged in-process: realistic wrong answers are rejected, differently written right ones accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "03-data-pipelines"
NORMALIZE = "03_normalize_images"
TRAIN = "03_make_train_pipeline"
EVAL = "03_make_eval_pipeline"


def train_pipeline(body: str) -> str:
    return f"def make_train_pipeline(x, y, batch_size, shuffle_buffer, seed):\n    {body.strip()}\n"


def eval_pipeline(body: str) -> str:
    return f"def make_eval_pipeline(x, y, batch_size):\n    {body.strip()}\n"


SLICES = "tf.data.Dataset.from_tensor_slices((x, y))"

WRONG = {
    NORMALIZE: {
        "divides by 255 although the digits go to 16": '''
def normalize_images(x):
    return np.asarray(x, dtype=np.float32) / 255.0
''',
        "divides by the batch's own maximum": '''
def normalize_images(x):
    x = np.asarray(x, dtype=np.float32)
    return x / x.max()
''',
        "min-max scaling of the batch": '''
def normalize_images(x):
    x = np.asarray(x, dtype=np.float32)
    return (x - x.min()) / (x.max() - x.min())
''',
        "no float32 cast, so integer pixels become float64": '''
def normalize_images(x):
    return x / 16
''',
        "divides in place, changing the caller's array": '''
def normalize_images(x):
    x /= 16.0
    return x
''',
    },
    TRAIN: {
        "batch before shuffle": train_pipeline(
            f"return {SLICES}.batch(batch_size).shuffle(shuffle_buffer, seed=seed).prefetch(tf.data.AUTOTUNE)"),
        "a shuffle buffer of 1": train_pipeline(
            f"return {SLICES}.shuffle(1, seed=seed).batch(batch_size).prefetch(tf.data.AUTOTUNE)"),
        "reshuffle_each_iteration=False": train_pipeline(
            f"return {SLICES}.shuffle(shuffle_buffer, seed=seed, reshuffle_each_iteration=False)"
            ".batch(batch_size).prefetch(tf.data.AUTOTUNE)"),
        "drop_remainder=True": train_pipeline(
            f"return {SLICES}.shuffle(shuffle_buffer, seed=seed).batch(batch_size, drop_remainder=True)"
            ".prefetch(tf.data.AUTOTUNE)"),
        "no prefetch": train_pipeline(
            f"return {SLICES}.shuffle(shuffle_buffer, seed=seed).batch(batch_size)"),
        "seed ignored": train_pipeline(
            f"return {SLICES}.shuffle(shuffle_buffer).batch(batch_size).prefetch(tf.data.AUTOTUNE)"),
        "shuffle_buffer ignored (the whole set)": train_pipeline(
            f"return {SLICES}.shuffle(len(x), seed=seed).batch(batch_size).prefetch(tf.data.AUTOTUNE)"),
        "a hard-coded buffer of 10": train_pipeline(
            f"return {SLICES}.shuffle(10, seed=seed).batch(batch_size).prefetch(tf.data.AUTOTUNE)"),
        "images and labels shuffled separately": train_pipeline('''
    xs = tf.data.Dataset.from_tensor_slices(x).shuffle(shuffle_buffer, seed=seed)
    ys = tf.data.Dataset.from_tensor_slices(y).shuffle(shuffle_buffer)
    return tf.data.Dataset.zip((xs, ys)).batch(batch_size).prefetch(tf.data.AUTOTUNE)'''),
        "repeat() makes the epoch endless": train_pipeline(
            f"return {SLICES}.shuffle(shuffle_buffer, seed=seed).repeat().batch(batch_size).prefetch(tf.data.AUTOTUNE)"),
    },
    EVAL: {
        "shuffled evaluation data": eval_pipeline(
            f"return {SLICES}.shuffle(len(x)).batch(batch_size).prefetch(tf.data.AUTOTUNE)"),
        "drop_remainder=True": eval_pipeline(
            f"return {SLICES}.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)"),
        "no prefetch": eval_pipeline(f"return {SLICES}.batch(batch_size)"),
        "batch_size ignored": eval_pipeline(f"return {SLICES}.batch(32).prefetch(tf.data.AUTOTUNE)"),
        "never batched": eval_pipeline(f"return {SLICES}.prefetch(tf.data.AUTOTUNE)"),
    },
}

RIGHT = {
    NORMALIZE: {
        "astype after dividing": '''
def normalize_images(x):
    return (np.array(x) / 16).astype("float32")
''',
        "a TensorFlow tensor": '''
def normalize_images(x):
    return tf.cast(x, tf.float32) / 16.0
''',
        "np.divide with a dtype": '''
def normalize_images(x):
    return np.divide(x, 16, dtype=np.float32)
''',
    },
    TRAIN: {
        "keywords everywhere and prefetch(1)": train_pipeline(
            f"return ({SLICES}.shuffle(buffer_size=shuffle_buffer, seed=seed, reshuffle_each_iteration=True)"
            ".batch(batch_size=batch_size, drop_remainder=False).prefetch(buffer_size=1))"),
        "cache, an identity map and a zip of two datasets": train_pipeline('''
    pairs = tf.data.Dataset.zip((tf.data.Dataset.from_tensor_slices(x), tf.data.Dataset.from_tensor_slices(y)))
    pairs = pairs.cache().shuffle(shuffle_buffer, seed=seed).map(lambda a, b: (a, b))
    return pairs.batch(batch_size).prefetch(tf.data.AUTOTUNE)'''),
    },
    EVAL: {
        "cache and a fixed prefetch buffer": eval_pipeline(
            f"return {SLICES}.batch(batch_size, drop_remainder=False).cache().prefetch(2)"),
    },
}

# Issue 17: stages that exist but sit in the wrong place, and answers written other ways.
WRONG[NORMALIZE].update({
    "divides by 16 but keeps float64": '''
def normalize_images(x):
    return np.asarray(x) / 16.0
''',
})
WRONG[TRAIN].update({
    "prefetch before batch": train_pipeline(
        f"return {SLICES}.shuffle(shuffle_buffer, seed=seed).prefetch(tf.data.AUTOTUNE).batch(batch_size)"),
    "prefetch in the middle, a cache last": train_pipeline(
        f"return {SLICES}.shuffle(shuffle_buffer, seed=seed).batch(batch_size).prefetch(tf.data.AUTOTUNE).cache()"),
})
WRONG[EVAL].update({
    "prefetch before batch": eval_pipeline(f"return {SLICES}.prefetch(tf.data.AUTOTUNE).batch(batch_size)"),
})
RIGHT[NORMALIZE].update({
    "a helper function and builtin names as variables": '''
def _scale(values: np.ndarray, top: float = 16.0) -> np.ndarray:
    return values * np.float32(1.0 / top)


def normalize_images(x):
    input = np.array(x, dtype="float32", copy=True)
    sum = _scale(input)
    return sum
''',
})
RIGHT[TRAIN].update({
    "batch with num_parallel_calls, every step on its own line": train_pipeline('''
    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    dataset = dataset.shuffle(shuffle_buffer, seed=seed)
    dataset = dataset.batch(batch_size, num_parallel_calls=tf.data.AUTOTUNE)
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    return dataset'''),
})
RIGHT[EVAL].update({
    "an identity map before batching": eval_pipeline(
        f"return {SLICES}.map(lambda a, b: (a, b)).batch(batch_size).prefetch(tf.data.AUTOTUNE)"),
})
