"""Notebook 03's tests judged in-process: realistic wrong answers are rejected, differently written right ones accepted."""
from __future__ import annotations


from tests.notebooks.answers import (  # noqa: F401 - collected by pytest, parametrized in conftest
    test_differently_written_answer_is_accepted,
    test_reference_answers_pass_in_process,
    test_wrong_answer_is_rejected,
)

ASSIGNMENT = "03-data-pipelines"
SHIFT = "03_make_random_shift"
TRAIN = "03_make_train_pipeline"
EVAL = "03_make_eval_pipeline"

NORMALIZE = "def normalize(image, label):\n    return tf.cast(image, tf.float32) / 16.0, label\n\n"
SLICES = "tf.data.Dataset.from_tensor_slices((x, y))"
MAP = ".map(normalize, num_parallel_calls=tf.data.AUTOTUNE)"
AUGMENT = ".map(augment, num_parallel_calls=tf.data.AUTOTUNE)"


def train_pipeline(body: str, normalize: str = NORMALIZE) -> str:
    return (f"{normalize}def make_train_pipeline(x, y, batch_size, shuffle_buffer, seed, augment=None):\n"
            f"    {body.strip()}\n")


def train_chain(middle: str, tail: str = ".batch(batch_size).prefetch(tf.data.AUTOTUNE)") -> str:
    """A training pipeline: ``middle`` after from_tensor_slices, augment (when given) just before ``tail``."""
    return train_pipeline(f'''
    ds = {SLICES}{middle}
    if augment is not None:
        ds = ds{AUGMENT}
    return ds{tail}''')


def eval_pipeline(body: str, normalize: str = NORMALIZE) -> str:
    return f"{normalize}def make_eval_pipeline(x, y, batch_size):\n    {body.strip()}\n"


def random_shift(draw: str, cut: str = "tf.slice(padded, corner, (8, 8))", pad: str = "[[1, 1], [1, 1]]",
                 make: str = "rng = tf.random.Generator.from_seed(seed)") -> str:
    return f'''
def make_random_shift(seed):
    {make}

    def shift(image, label):
        padded = tf.pad(tf.reshape(image, (8, 8)), {pad})
        corner = {draw}
        return tf.reshape({cut}, (64,)), label
    return shift
'''


GENERATOR = "rng.uniform((2,), minval=0, maxval=3, dtype=tf.int32)"
GOOD = f"{MAP}.cache().shuffle(shuffle_buffer, seed=seed)"

WRONG = {
    SHIFT: {
        "NumPy random numbers: drawn once, when map traces the function": random_shift(
            "tf.constant(np.random.randint(0, 3, size=2), tf.int32)"),
        "tf.random.uniform with the seed: the same shifts every epoch": random_shift(
            "tf.random.uniform((2,), 0, 3, dtype=tf.int32, seed=seed)", make="pass"),
        "maxval=2: shifts of -1 and 0 only": random_shift("rng.uniform((2,), minval=0, maxval=2, dtype=tf.int32)"),
        "one draw for both directions: diagonal shifts only": random_shift(
            "tf.repeat(rng.uniform((1,), minval=0, maxval=3, dtype=tf.int32), 2)"),
        "shifts only left and right": random_shift(
            "tf.stack([1, rng.uniform((), minval=0, maxval=3, dtype=tf.int32)])"),
        "tf.roll wraps the pixels round the edge": '''
def make_random_shift(seed):
    rng = tf.random.Generator.from_seed(seed)

    def shift(image, label):
        moves = rng.uniform((2,), minval=-1, maxval=2, dtype=tf.int32)
        return tf.reshape(tf.roll(tf.reshape(image, (8, 8)), moves, axis=[0, 1]), (64,)), label
    return shift
''',
        "a random flip instead of a shift": '''
def make_random_shift(seed):
    rng = tf.random.Generator.from_seed(seed)

    def shift(image, label):
        image = tf.reshape(image, (8, 8, 1))
        flipped = tf.cond(rng.uniform(()) < 0.5, lambda: tf.image.flip_left_right(image), lambda: image)
        return tf.reshape(flipped, (64,)), label
    return shift
''',
        "a generator from a fixed seed": random_shift(GENERATOR, make="rng = tf.random.Generator.from_seed(0)"),
        "a generator from the operating system: not repeatable": random_shift(
            GENERATOR, make="rng = tf.random.Generator.from_non_deterministic_state()"),
        "the label shifted along with the image": '''
def make_random_shift(seed):
    rng = tf.random.Generator.from_seed(seed)

    def shift(image, label):
        padded = tf.pad(tf.reshape(image, (8, 8)), [[1, 1], [1, 1]])
        corner = rng.uniform((2,), minval=0, maxval=3, dtype=tf.int32)
        return tf.reshape(tf.slice(padded, corner, (8, 8)), (64,)), label + corner[0] - 1
    return shift
''',
        "left as an 8 x 8 image": random_shift(GENERATOR).replace(
            "tf.reshape(tf.slice(padded, corner, (8, 8)), (64,))", "tf.slice(padded, corner, (8, 8))"),
    },
    TRAIN: {
        "batch before shuffle": train_chain(f"{MAP}.cache().batch(batch_size).shuffle(shuffle_buffer, seed=seed)",
                                            ".prefetch(tf.data.AUTOTUNE)"),
        "a shuffle buffer of 1": train_chain(f"{MAP}.cache().shuffle(1, seed=seed)"),
        "reshuffle_each_iteration=False": train_chain(
            f"{MAP}.cache().shuffle(shuffle_buffer, seed=seed, reshuffle_each_iteration=False)"),
        "drop_remainder=True": train_chain(GOOD, ".batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)"),
        "no prefetch": train_chain(GOOD, ".batch(batch_size)"),
        "seed ignored": train_chain(f"{MAP}.cache().shuffle(shuffle_buffer)"),
        "shuffle_buffer ignored (the whole set)": train_chain(f"{MAP}.cache().shuffle(len(x), seed=seed)"),
        "a hard-coded buffer of 10": train_chain(f"{MAP}.cache().shuffle(10, seed=seed)"),
        "images and labels shuffled separately": train_pipeline(f'''
    xs = tf.data.Dataset.from_tensor_slices(tf.cast(x, tf.float32) / 16.0).cache().shuffle(shuffle_buffer, seed=seed)
    ys = tf.data.Dataset.from_tensor_slices(y).shuffle(shuffle_buffer)
    ds = tf.data.Dataset.zip((xs, ys)){MAP.replace("normalize", "lambda a, b: (a, b)")}
    if augment is not None:
        ds = ds{AUGMENT}
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)'''),
        "repeat() makes the epoch endless": train_chain(f"{GOOD}.repeat()"),
        "divides by 255 although the digits go to 16": train_chain(GOOD).replace("/ 16.0", "/ 255.0"),
        "each image divided by its own brightest pixel": train_chain(GOOD).replace(
            "tf.cast(image, tf.float32) / 16.0",
            "tf.cast(image, tf.float32) / tf.reduce_max(tf.cast(image, tf.float32))"),
        "divides without casting (float64 for integer pixels)": train_chain(GOOD).replace(
            "tf.cast(image, tf.float32) / 16.0", "image / 16"),
        "normalised with NumPy before the pipeline: no map stage": train_pipeline('''
    ds = tf.data.Dataset.from_tensor_slices((np.asarray(x, np.float32) / 16, y)).cache()
    ds = ds.shuffle(shuffle_buffer, seed=seed)
    if augment is not None:
        ds = ds.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)'''),
        "a map without num_parallel_calls": train_chain(".map(normalize).cache().shuffle(shuffle_buffer, seed=seed)"),
        "no cache": train_chain(f"{MAP}.shuffle(shuffle_buffer, seed=seed)"),
        "cache before the normalising map": train_chain(".cache()" + GOOD.replace(".cache()", "")),
        "cache after the shuffle: the first order replayed": train_chain(
            f"{MAP}.shuffle(shuffle_buffer, seed=seed).cache()"),
        "augment before the cache: the first augmentation replayed": train_pipeline(f'''
    ds = {SLICES}{MAP}
    if augment is not None:
        ds = ds{AUGMENT}
    return ds.cache().shuffle(shuffle_buffer, seed=seed).batch(batch_size).prefetch(tf.data.AUTOTUNE)'''),
        "augment after the batch: one change per batch": train_pipeline(f'''
    ds = {SLICES}{GOOD}.batch(batch_size)
    if augment is not None:
        ds = ds{AUGMENT}
    return ds.prefetch(tf.data.AUTOTUNE)'''),
        "augment ignored": train_pipeline(
            f"return {SLICES}{GOOD}.batch(batch_size).prefetch(tf.data.AUTOTUNE)"),
        "augment applied twice": train_chain(GOOD).replace(f"ds = ds{AUGMENT}", f"ds = ds{AUGMENT}{AUGMENT}"),
        "augment without num_parallel_calls": train_chain(GOOD).replace(AUGMENT, ".map(augment)"),
        "prefetch before batch": train_chain(GOOD, ".prefetch(tf.data.AUTOTUNE).batch(batch_size)"),
        "prefetch in the middle, a cache last": train_chain(
            GOOD, ".batch(batch_size).prefetch(tf.data.AUTOTUNE).cache()"),
    },
    EVAL: {
        "shuffled evaluation data": eval_pipeline(
            f"return {SLICES}{MAP}.shuffle(len(x)).batch(batch_size).prefetch(tf.data.AUTOTUNE)"),
        "drop_remainder=True": eval_pipeline(
            f"return {SLICES}{MAP}.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)"),
        "no prefetch": eval_pipeline(f"return {SLICES}{MAP}.batch(batch_size)"),
        "batch_size ignored": eval_pipeline(f"return {SLICES}{MAP}.batch(32).prefetch(tf.data.AUTOTUNE)"),
        "never batched": eval_pipeline(f"return {SLICES}{MAP}.prefetch(tf.data.AUTOTUNE)"),
        "prefetch before batch": eval_pipeline(f"return {SLICES}{MAP}.prefetch(tf.data.AUTOTUNE).batch(batch_size)"),
        "not normalised": eval_pipeline(f"return {SLICES}.batch(batch_size).prefetch(tf.data.AUTOTUNE)"),
        "divides by 255": eval_pipeline(f"return {SLICES}{MAP}.batch(batch_size).prefetch(tf.data.AUTOTUNE)",
                                        NORMALIZE.replace("16.0", "255.0")),
        "a map without num_parallel_calls": eval_pipeline(
            f"return {SLICES}.map(normalize).batch(batch_size).prefetch(tf.data.AUTOTUNE)"),
        "normalises only the first pixel's column": eval_pipeline(
            f"return {SLICES}{MAP}.batch(batch_size).prefetch(tf.data.AUTOTUNE)",
            "def normalize(image, label):\n    image = tf.cast(image, tf.float32)\n"
            "    return tf.concat([image[:1] / 16.0, image[1:]], 0), label\n\n"),
    },
}

RIGHT = {
    SHIFT: {
        "tf.image.stateless_random_crop with seeds from the generator": '''
def make_random_shift(seed):
    rng = tf.random.Generator.from_seed(seed)

    def shift(image, label):
        padded = tf.pad(tf.reshape(image, (8, 8, 1)), [[1, 1], [1, 1], [0, 0]])
        moved = tf.image.stateless_random_crop(padded, (8, 8, 1), seed=rng.make_seeds(1)[:, 0])
        return tf.reshape(moved, [-1]), label
    return shift
''',
        "two draws and Python slicing": '''
def make_random_shift(seed):
    generator = tf.random.Generator.from_seed(seed)

    def shift(image, label):
        big = tf.pad(tf.reshape(image, [8, 8]), tf.constant([[1, 1], [1, 1]]))
        top = generator.uniform([], 0, 3, dtype=tf.int64)
        left = generator.uniform([], 0, 3, dtype=tf.int64)
        return tf.reshape(big[top:top + 8, left:left + 8], [64]), label
    return shift
''',
    },
    TRAIN: {
        "keywords everywhere and prefetch(1)": train_pipeline('''
    ds = tf.data.Dataset.from_tensor_slices(tensors=(x, y))
    ds = ds.map(map_func=normalize, num_parallel_calls=tf.data.AUTOTUNE).cache(filename="")
    ds = ds.shuffle(buffer_size=shuffle_buffer, seed=seed, reshuffle_each_iteration=True)
    if augment:
        ds = ds.map(map_func=augment, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size=batch_size, drop_remainder=False).prefetch(buffer_size=1)'''),
        "augment between cache and shuffle, a lambda normaliser": train_pipeline('''
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    ds = ds.map(lambda image, label: (tf.cast(image, "float32") * (1 / 16), label), num_parallel_calls=-1)
    ds = ds.cache()
    if augment is not None:
        ds = ds.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.shuffle(shuffle_buffer, seed)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)''', normalize=""),
        "batch with num_parallel_calls, every step on its own line": train_pipeline('''
    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    dataset = dataset.map(normalize, num_parallel_calls=tf.data.AUTOTUNE)
    dataset = dataset.cache()
    dataset = dataset.shuffle(shuffle_buffer, seed=seed)
    if augment is not None:
        dataset = dataset.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
    dataset = dataset.batch(batch_size, num_parallel_calls=tf.data.AUTOTUNE)
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    return dataset'''),
    },
    EVAL: {
        "cache and a fixed prefetch buffer": eval_pipeline(
            f"return {SLICES}{MAP}.cache().batch(batch_size, drop_remainder=False).prefetch(2)"),
        "the map after the batch, on whole batches": eval_pipeline(
            f"return {SLICES}.batch(batch_size){MAP}.prefetch(tf.data.AUTOTUNE)"),
    },
}
