"""autograder.judge on notebooks 06 to 09: honest observations pass; well-formed, made-up values fail in the judge."""
from __future__ import annotations

import copy

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from autograder.judge.server import verdict  # noqa: E402
from helpers.checks import nb06, nb07, nb08, nb09  # noqa: E402
from helpers.checks.observed import decode, encode  # noqa: E402
from helpers.reference import nb06 as r06, nb07 as r07, nb08 as r08, nb09 as r09  # noqa: E402


def _cell(call: str, hidden: str, name: str) -> str:
    return f"{call}\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS\nchecks.passed({name!r})\n"


def _observe(check, student, **kwargs) -> dict:
    return {"check": check.name, "observed": encode(check.observe(student, **check.arguments(**kwargs)))}


def _wrong_matrices(observed):
    for got in observed:
        got["array"] = np.eye(len(got["array"]), dtype=got["array"].dtype)
    return observed


def _made_up_loss(observed):
    observed["returned"]["array"] = np.asarray(observed["returned"]["array"] * 0 + 0.5, dtype=np.float32)
    return observed


def _never_stops(observed):
    return [len(values) for values, *_ in nb08.until_stop_cases(None, 3)]


def _best_predictions_for_every_case(observed):
    from helpers.checks.nb08_saving import checkpoint_cases, reference_run

    for got, (data_seed, model_seed, patience, epochs) in zip(observed, checkpoint_cases([], 1)):
        val_losses, predictions = reference_run(data_seed, model_seed, epochs)
        got["predictions"] = predictions[int(np.argmin(val_losses))] + np.float32(1e-3)
    return observed


def _always_good(observed):
    return ["good fit"] * len(observed)


def _nudged_weights(observed):
    for step in observed:
        step["after"] = [w + np.float32(1e-3) for w in step["after"]]
    return observed


def _fitted_further(observed):
    observed["weights"] = [w * np.float32(0.99) for w in observed["weights"]]
    return observed


def _next_epochs_weights(observed):
    for run in observed:
        run["weights"] = [w + 1 for w in run["weights"]]
    return observed


def _flat_lines(observed):
    for figure in observed["figures"]:
        for line in figure["axes"][0]["lines"]:
            line["y"] = np.zeros_like(line["y"])
    return observed


SMALL = {"n_samples": 12, "n_features": 20, "hidden_units": 7, "n_classes": 3}
#: case: (check, student, hidden arguments, forge); the visible call runs the check's defaults.
CASES = {
    "06 confusion_matrix": (nb06.confusion_matrix, r06.confusion_matrix, {"seed": 5}, _wrong_matrices),
    "07 eval_step": (nb07.eval_step, r07.eval_step, {"seed": 11, **SMALL}, _made_up_loss),
    "07 train_step": (nb07.train_step, r07.train_step, {"seed": 7, **SMALL, "steps": 2}, _nudged_weights),
    "07 clipped_train_step": (nb07.clipped_train_step, r07.clipped_train_step,
                              {"seed": 13, **SMALL, "l2": 0.05, "clip_ratio": 0.3}, _nudged_weights),
    "07 clipped_model": (nb07.clipped_model, r07.ClippedModel,
                         {"seed": 17, "n_train": 40, "n_val": 20, "batch_size": 10, "n_features": 20,
                          "hidden_units": 8, "n_classes": 3, "max_norm": 0.05}, _fitted_further),
    "08 epochs_until_stop": (nb08.epochs_until_stop, r08.epochs_until_stop, {"seed": 3}, _never_stops),
    "08 train_with_checkpoint": (nb08.train_with_checkpoint, r08.train_with_checkpoint, {"cases": [], "seed": 1},
                                 _best_predictions_for_every_case),
    "08 restores": (nb08.patience_stopping_restores, r08.PatienceStopping, {"cases": [], "seed": 1},
                    _next_epochs_weights),
    "09 diagnose_fit": (nb09.diagnose_fit, r09.diagnose_fit, {"seed": 4}, _always_good),
    "09 plot_history": (nb09.plot_history, r09.plot_history, {"metrics": ("loss", "mae"), "seed": 2}, _flat_lines),
}
VISIBLE = {"06 confusion_matrix": {"y_true": [0, 0, 1, 2, 2, 2], "y_pred": [0, 1, 1, 2, 0, 2], "num_classes": 3}}


def _source(notebook: str) -> str:
    check, _, hidden, _ = CASES[notebook]
    function = check.name.split(".")[1]  # the student's function: any name the cell does not define
    visible = ", ".join(f"{k}={v!r}" for k, v in VISIBLE.get(notebook, {}).items())
    arguments = ", ".join(f"{k}={v!r}" for k, v in hidden.items())
    return _cell(f"checks.{check.name}({function}{', ' + visible if visible else ''})",
                 f"checks.{check.name}({function}, {arguments})", function)


@pytest.fixture(scope="module", params=sorted(CASES))
def honest(request) -> tuple[str, list[dict]]:
    notebook = request.param
    check, student, hidden, _ = CASES[notebook]
    return notebook, [_observe(check, student, **VISIBLE.get(notebook, {})), _observe(check, student, **hidden)]


def test_honest_observations_pass(honest):
    """Do the reference's own observations pass the judge, for the visible and the hidden call?"""
    notebook, observations = honest
    answer = verdict({"source": _source(notebook), "observations": observations})
    assert answer == {"judged": True, "passed": True, "message": "2 checks passed, judged by the grader."}, answer


def test_made_up_values_for_the_hidden_inputs_fail(honest):
    """Does a well-formed observation with made-up values for the hidden inputs fail in the judge?"""
    notebook, observations = honest
    forged = copy.deepcopy(observations[1])
    forged["observed"] = encode(CASES[notebook][3](decode(forged["observed"])))
    assert forged["observed"] != observations[1]["observed"]
    answer = verdict({"source": _source(notebook), "observations": [observations[0], forged]})
    assert answer["judged"] is True and answer["passed"] is False, answer


def test_the_visible_observation_replayed_for_the_hidden_call_fails(honest):
    """Does the visible call's observation, sent again for the hidden call, fail?"""
    notebook, observations = honest
    answer = verdict({"source": _source(notebook), "observations": [observations[0], observations[0]]})
    assert answer["judged"] is True and answer["passed"] is False, answer
