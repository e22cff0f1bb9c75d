"""Why a surviving mutant is not a grading gap, keyed by its stable id (``exercise/operator/hash``).

Two kinds, both left out of an exercise's kill rate:

- ``EQUIVALENT``: the mutant computes what the reference computes, for every
  input the exercise's text allows;
- ``TOLERATED``: the code differs, but Keras behaves the same (a default
  argument spelled out, a flag that only changes what is printed).

A survivor listed in neither is a grading gap: a wrong answer that earns the
points. An id listed here whose mutant no longer survives is reported as stale.
Each reason is one line, shown in ``tests/notebooks/mutation_report.md``.
"""
from __future__ import annotations

_BATCH = "any batch of zeros builds the weights; they do not depend on the batch size"
_AXIS_2D = "the predictions are (n, num_classes): axis 1 is the last axis"
_ASARRAY = "the text gives arrays; np.asarray of an array is that array"
_LIST_MINUS_ARRAY = "a list minus a NumPy array is computed as arrays: same values"
_INDEPENDENT = "two statements that share no state, in either order"
_FIRST_IMPROVES = "the first epoch always improves (best is None) and sets this state before it is read"
_LAYOUT = "figure size and tight_layout only arrange the drawing; the text asks nothing of them"
_ONLY_WITH_RESTORE = "best_weights is only ever set with restore_best_weights, and the first epoch sets it"
_PAD_UNREAD = "a second row or column of padding at the far edge: an 8 x 8 window at corner 0-2 never reads it"
_LINE_ORDER = "the text asks for a 'train' and a 'validation' line, in no order"
_FLOAT = "np.mean gives np.float64, a subclass of Python float: the same number"
_THRESHOLD = ("differs only when a value lies exactly on the rule's threshold, where float rounding depends on how the "
              "same comparison is written (v / m > 1.1 or v > 1.1 * m): the tests keep 2 % away from thresholds")

_CHALLENGE = ("the challenge's text accepts any model that reaches the accuracy thresholds within the budget: this "
              "variant of the answer key (other epochs, batch size, pooling, data, scaling, activation) still reaches "
              "them, so it is another right answer, not a wrong one that passes")

EQUIVALENT: dict[str, str] = {
    "10_build_transfer_model/statements-swapped/fa53de45": _INDEPENDENT,
    "10_unfreeze_from/statements-swapped/a1cf8c85": _INDEPENDENT,
    "09_diagnose_fit/comparison-flipped/1d596199": _THRESHOLD,
    "09_diagnose_fit/comparison-flipped/544e0d48": _THRESHOLD,
    "09_diagnose_fit/comparison-flipped/045bfa78": _THRESHOLD,
    "09_diagnose_fit/statements-swapped/9a73582c": "rule 2's two checks both return 'underfitting': either order gives the same verdict",
    "03_make_random_shift/statements-swapped/e6c6fd5c": "shift reads rng only when called: defined before or after it",
    "03_make_random_shift/statements-swapped/22ee289b": _INDEPENDENT,
    "03_make_random_shift/constant-plus-1/1446b6ab": _PAD_UNREAD,
    "03_make_random_shift/constant-plus-1/d1a15935": _PAD_UNREAD,
    "03_make_train_pipeline/statements-swapped/8b6cb6ef": _INDEPENDENT,
    "03_make_train_pipeline/statements-swapped/95dde496": ("augment before or after the shuffle: the text allows "
                                                           "either (after the cache, before the batch)"),
    "01_build_subclassed/constant-plus-1/7540e330": _BATCH,
    "01_build_subclassed/constant-minus-1/ed7f0467": _BATCH,
    "04_best_epoch/call-removed/8f7f59fd": "np.argmin / np.argmax read a list as an array",
    "04_best_epoch/call-removed/5624f2be": "the text allows the NumPy integer that np.argmin gives: the same number",
    "04_overfitting_epoch/statements-swapped/ef210f0d": _INDEPENDENT,
    "04_overfitting_epoch/call-removed/50a02b8c": _LIST_MINUS_ARRAY,
    "04_overfitting_epoch/call-removed/88224aed": _LIST_MINUS_ARRAY,
    "04_overfitting_epoch/call-removed/004fb063": "the text allows the NumPy integer that indexing an array gives",
    "05_evaluate_against_baseline/statements-swapped/438de443": _INDEPENDENT,
    "05_evaluate_against_baseline/statements-swapped/8b8f47c1": _INDEPENDENT,
    "05_evaluate_against_baseline/call-removed/be52a991": _FLOAT,
    "05_accuracy_by_hand/axis-changed/d7f8e7b1": _AXIS_2D,
    "05_accuracy_by_hand/call-removed/86cf8805": _FLOAT,
    "05_per_class_accuracy/statement-removed/6a6f51d7": _ASARRAY,
    "05_per_class_accuracy/statements-swapped/047e68ae": _INDEPENDENT,
    "05_per_class_accuracy/call-removed/840d5cde": _ASARRAY,
    "05_per_class_accuracy/call-removed/a6d92845": _ASARRAY,
    "06_logits_to_probabilities/statement-removed/080f30e9": _ASARRAY + " (float64 logits)",
    "06_logits_to_probabilities/statements-swapped/f545aa03": _ASARRAY + " (float64 logits)",
    "06_logits_to_probabilities/call-removed/c1294aa9": _ASARRAY + " (float64 logits)",
    "06_predict_labels/axis-changed/d8d6e571": _AXIS_2D,
    "06_predict_top_k/axis-dropped/11ac6aa5": "np.argsort sorts along the last axis by default",
    "06_predict_top_k/axis-changed/c6cfd512": _AXIS_2D,
    "07_train_loop/statements-swapped/1f1620bb": _INDEPENDENT,
    "07_train_loop/statements-swapped/9e89aa83": _INDEPENDENT,
    "07_train_loop/statements-swapped/1864666c": _INDEPENDENT,
    "07_train_loop/statements-swapped/0cf386d2": _INDEPENDENT,
    "07_train_loop/statements-swapped/c60f18e3": _INDEPENDENT,
    "07_train_loop/statements-swapped/9d5d5421": _INDEPENDENT,
    "07_train_loop/statements-swapped/0c36e770": _INDEPENDENT,
    "07_train_loop/statements-swapped/de494253": _INDEPENDENT,
    "07_train_loop/statements-swapped/d979ddad": _INDEPENDENT,
    "07_clipped_model/statements-swapped/81216c5d": ("the metrics read the loss and y_pred computed before the update: "
                                                     "applying it after updating them changes nothing"),
    "08_epochs_until_stop/constant-plus-1/484b4223": _FIRST_IMPROVES,
    "08_epochs_until_stop/constant-minus-1/8e753ed3": _FIRST_IMPROVES,
    "08_patience_stopping/statements-swapped/1e1e3fc9": _INDEPENDENT,
    "08_patience_stopping/statement-removed/290b02e8": _FIRST_IMPROVES,
    "08_patience_stopping/statements-swapped/d5e47594": _INDEPENDENT,
    "08_patience_stopping/statement-removed/b9533678": _FIRST_IMPROVES,
    "08_patience_stopping/statements-swapped/f38f78af": _INDEPENDENT,
    "08_patience_stopping/statement-removed/a026ea74": _FIRST_IMPROVES,
    "08_patience_stopping/statements-swapped/3df4cea6": _INDEPENDENT,
    "08_patience_stopping/constant-plus-1/afc59893": _FIRST_IMPROVES,
    "08_patience_stopping/constant-minus-1/54842087": _FIRST_IMPROVES,
    "08_patience_stopping/and-or-swapped/f06dfeeb": _ONLY_WITH_RESTORE,
    "08_patience_stopping/condition-dropped/782e86e3": _ONLY_WITH_RESTORE,
    "08_patience_stopping/condition-dropped/af6b21eb": _ONLY_WITH_RESTORE,
    "09_diagnose_fit/statements-swapped/68260824": _INDEPENDENT,
    "09_plot_all_metrics/statements-swapped/72febf60": _LAYOUT,
    "09_plot_all_metrics/statement-removed/874513fa": _LAYOUT,
    "09_plot_all_metrics/statements-swapped/49244eb6": _LAYOUT,
    "09_plot_all_metrics/statements-swapped/f1b2f73e": _LINE_ORDER,
    "09_plot_all_metrics/statements-swapped/b83d75fb": _INDEPENDENT,
    "09_plot_all_metrics/statements-swapped/8c2a8d74": _INDEPENDENT,
    "09_plot_all_metrics/statements-swapped/d335a9b8": _INDEPENDENT,
    "09_plot_all_metrics/call-removed/5b5bf640": _LAYOUT,
    "09_plot_all_metrics/constant-minus-1/315ecc50": "axes has one row: axes[-1] is axes[0]",
    "09_plot_all_metrics/arithmetic-swapped/e0db9e59": _LAYOUT,
    "09_plot_all_metrics/constant-plus-1/891348f7": _LAYOUT,
    "09_plot_all_metrics/constant-minus-1/388e720c": _LAYOUT,
    "09_plot_all_metrics/constant-plus-1/2c815896": _LAYOUT,
    "09_plot_all_metrics/constant-minus-1/0e0b3aec": _LAYOUT,
    "09_plot_history/statements-swapped/e3b58233": _INDEPENDENT,
    "09_plot_history/statements-swapped/b556f4c6": _INDEPENDENT,
    "09_plot_history/statements-swapped/2bf7eb5f": _INDEPENDENT,
    "09_plot_history/statements-swapped/62c44e5e": _INDEPENDENT,
    "09_plot_history/statements-swapped/74d99705": _INDEPENDENT,
    "09_plot_history/constant-plus-1/7ad3ca06": _LAYOUT,
    "09_plot_history/constant-minus-1/962b2b3d": _LAYOUT,
    "09_plot_history/constant-plus-1/e6af6f98": _LAYOUT,
    "09_plot_history/constant-minus-1/a336bd82": _LAYOUT,
    "02_balanced_class_weights/call-removed/6268a2f1": ("len(y) / (k * n_c) with NumPy counts is np.float64, a "
                                                        "subclass of Python float: the same number"),
    "02_train/call-removed/2c8099c7": ("looping over every label instead of each distinct one marks the same "
                                       "samples, only again for each repeat of a class"),
    "02_train_balanced/sign-removed/da0e31b0": "the model's output is (None, num_classes): index 1 is the last one",
    "02_train_balanced/call-removed/93652159": ("a NumPy int label finds the same dict entry as int(label): equal "
                                                "integers hash alike"),
    "10_train_best_model/statement-removed/0e69e8de": _CHALLENGE,
    "10_train_best_model/statements-swapped/649b8a0f": _CHALLENGE,
    "10_train_best_model/statements-swapped/d47cc6c7": _CHALLENGE,
    "10_train_best_model/statements-swapped/543c8428": _CHALLENGE,
    "10_train_best_model/statements-swapped/d7204b2a": _CHALLENGE,
    "10_train_best_model/statements-swapped/c3e51865": _CHALLENGE,
    "10_train_best_model/statement-removed/332b0ac5": _CHALLENGE,
    "10_train_best_model/statements-swapped/648ff65d": _CHALLENGE,
    "10_train_best_model/boolean-flipped/2346e26f": _CHALLENGE,
    "10_train_best_model/layer-swapped/0c93614e": _CHALLENGE,
    "10_train_best_model/layer-swapped/40ba3468": _CHALLENGE,
    "10_train_best_model/constant-plus-1/fae970cd": _CHALLENGE,
    "10_train_best_model/constant-minus-1/4acd37ee": _CHALLENGE,
    "10_train_best_model/constant-plus-1/1d74512d": _CHALLENGE,
    "10_train_best_model/constant-plus-1/6e2ff7d3": _CHALLENGE,
    "10_train_best_model/constant-minus-1/fd4bc3cc": _CHALLENGE,
    "10_train_best_model/call-removed/df782cbf": _CHALLENGE,
    "10_train_best_model/call-removed/7642ccae": _CHALLENGE,
    "10_train_best_model/constant-plus-1/f39519ae": _CHALLENGE,
    "10_train_best_model/constant-plus-1/eb63be48": _CHALLENGE,
    "10_train_best_model/constant-minus-1/3b1f14fb": _CHALLENGE,
    "10_train_best_model/constant-plus-1/7da34730": _CHALLENGE,
    "10_train_best_model/constant-minus-1/3390d0fb": _CHALLENGE,
    "10_train_best_model/constant-plus-1/8481b308": _CHALLENGE,
    "10_train_best_model/constant-minus-1/50e4c13f": _CHALLENGE,
    "10_train_best_model/constant-plus-1/06c3e53c": _CHALLENGE,
    "10_train_best_model/constant-minus-1/0c1d6e0d": _CHALLENGE,
    "10_train_best_model/call-removed/bfbc6b01": _CHALLENGE,
    "10_train_best_model/training-dropped/9b5d0805": _CHALLENGE,
    "10_train_best_model/call-removed/9bbc4eda": _CHALLENGE,
    "10_train_best_model/call-removed/b0ec8fd4": _CHALLENGE,
    "10_train_best_model/name-string-swapped/55431343": _CHALLENGE,
    "10_train_best_model/constant-plus-1/fa4afe09": _CHALLENGE,
    "10_train_best_model/constant-minus-1/79643d0c": _CHALLENGE,
    "10_train_best_model/training-dropped/e65c1aa6": _CHALLENGE,
    "10_train_best_model/training-flipped/385e3791": _CHALLENGE,
    "10_train_best_model/sign-removed/d68b7c30": _CHALLENGE,
    "10_train_best_model/training-flipped/7937948b": _CHALLENGE,
    "10_train_best_model/constant-plus-1/d718e811": _CHALLENGE,
    "10_train_best_model/constant-minus-1/45866fa4": _CHALLENGE,
}

_VERBOSE = "verbose only changes what Keras prints (a progress bar), not the result"
_INFERENCE = "outside fit, a model called without training= runs in inference mode, as with training=False"

TOLERATED: dict[str, str] = {
    "10_build_transfer_model/training-dropped/0c3a8897": ("Keras 3 runs a frozen BatchNormalization layer in inference "
                                                          "mode whatever training= says, and the base has no Dropout"),
    "01_compile_model/from-logits-flipped/e7f7da04": ("Keras 3 computes the cross-entropy from the softmax layer's own "
                                                      "logits whatever from_logits says (it warns)"),
    "02_train/constant-plus-1/4cf8395d": _VERBOSE,
    "02_train/constant-minus-1/2648e736": _VERBOSE,
    "04_fit_repeated/constant-plus-1/7da621d0": _VERBOSE,
    "04_fit_repeated/constant-minus-1/a9db2eb1": _VERBOSE,
    "05_evaluate_against_baseline/constant-plus-1/84c49852": _VERBOSE,
    "05_evaluate_against_baseline/constant-minus-1/33da4595": _VERBOSE,
    "02_train_balanced/constant-plus-1/2885c561": _VERBOSE,
    "02_train_balanced/constant-minus-1/a657e7eb": _VERBOSE,
    "05_accuracy_by_hand/constant-plus-1/0c5ee77c": _VERBOSE,
    "05_accuracy_by_hand/constant-minus-1/da3cbdfb": _VERBOSE,
    "06_predict_labels/constant-plus-1/2c5deff1": _VERBOSE,
    "06_predict_labels/constant-minus-1/70524c8c": _VERBOSE,
    "06_predict_top_k/constant-plus-1/d18fd8c3": _VERBOSE,
    "06_predict_top_k/constant-minus-1/6eb65501": _VERBOSE,
    "08_train_with_checkpoint/constant-plus-1/8ba25f00": _VERBOSE,
    "08_train_with_checkpoint/constant-minus-1/c6c0ca6f": _VERBOSE,
    "07_eval_step/training-dropped/6f550414": _INFERENCE,
    "07_train_loop/training-dropped/0a40161a": _INFERENCE,
}


def reason(mutant_id: str) -> tuple[str, str] | None:
    """``("equivalent" | "tolerated by Keras", reason)`` for a listed mutant, else ``None``."""
    if mutant_id in EQUIVALENT:
        return "equivalent", EQUIVALENT[mutant_id]
    if mutant_id in TOLERATED:
        return "tolerated by Keras", TOLERATED[mutant_id]
    return None
