"""Which scan findings hold a notebook at zero: only what could still change a verdict (issue 16)."""
from __future__ import annotations

import pytest

from autograder.code_scan import rules
from autograder.preprocessors.scan import holds

REACHING = [rules.Finding(rule, 1, "seen") for rule in sorted(rules.REACHES_OUTSIDE)]
IN_KERNEL = rules.Finding("fake-value", 1, "class Yes defines __eq__")
NOTE = rules.Finding("answer-key", 1, "uses helpers.reference", hold=False)


@pytest.mark.parametrize("finding", REACHING + [IN_KERNEL])
def test_nothing_holds_where_verdicts_are_judged_outside_a_sandboxed_kernel(finding):
    assert not holds(finding, judged_outside_kernel=True, sandboxed=True)


@pytest.mark.parametrize("finding", REACHING)
def test_reaching_past_an_unconfined_kernel_holds(finding):
    assert holds(finding, judged_outside_kernel=True, sandboxed=False)


@pytest.mark.parametrize("sandboxed", [True, False])
def test_every_holding_finding_holds_where_the_kernel_judges(sandboxed):
    assert all(holds(f, judged_outside_kernel=False, sandboxed=sandboxed) for f in REACHING + [IN_KERNEL])
    assert not holds(NOTE, judged_outside_kernel=False, sandboxed=sandboxed)
