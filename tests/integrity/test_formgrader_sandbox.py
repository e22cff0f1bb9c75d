"""The formgrader's Autograde button grades in the same sandbox as ``tfcourse grade`` (issue 15).

A real JupyterLab at the root of a copy of the clone, with the installed
Jupyter config and a token in its environment. Through nbgrader's formgrader
API (what the Assign and Autograde buttons call), notebook 01 is generated and
four submissions are autograded one by one: an honest student, a control
with the attackers' answers and no attack, and two attackers that try to write the course code, the config, the gradebook and
the submissions, and to read the gradebook, the solutions and the token.
The attacks gain nothing, the honest student gets 8/8, and the files are
byte-identical afterwards.
"""
from __future__ import annotations

import pytest

from tests import harness
from tests.autograder.test_jupyter_config import get_json, lab_at_a_clone
from tests.integrity import attacks
from tests.integrity import students as s
from tests.integrity.test_sandbox_attacks import _digest

pytestmark = [pytest.mark.sandbox, pytest.mark.nbgrader, pytest.mark.slow]
STUDENTS = ("aaa_honest", "atk_write", "atk_read", "control")


@pytest.fixture(scope="module")
def autograded(tmp_path_factory) -> dict:
    with lab_at_a_clone(tmp_path_factory, JUPYTERHUB_API_TOKEN=attacks.TOKEN) as lab:
        root = lab.root / "classroom"
        assigned = get_json(lab, f"/formgrader/api/assignment/{s.A}/assign", "POST")
        assert assigned["success"], assigned.get("error") or assigned.get("log")
        for student in STUDENTS:
            if student.startswith("atk_"):
                nb = attacks.attacker(student[4:], str(root), str(lab.root))
            else:
                nb = attacks.honest() if student == "aaa_honest" else attacks.control()
            harness.submit(root, s.A, student, nb)
        protected = [lab.root / part for part in ("autograder", "helpers", "solutions", "course")]
        protected += [root / "nbgrader_config.py", root / "submitted", root / "release"]
        before = _digest(protected)
        answers = {student: get_json(lab, f"/formgrader/api/submission/{s.A}/{student}/autograde", "POST")
                   for student in STUDENTS}
        yield {"root": root, "answers": answers, "before": before, "after": _digest(protected)}


def _outputs(root, student: str) -> str:
    nb = harness.read_notebook(root / "autograded" / student / s.A / f"{s.A}.ipynb")
    return "\n".join(str(o.get("text", "")) for c in nb.cells for o in c.get("outputs", []))


def test_every_autograde_succeeded(autograded):
    """Did the Autograde button grade each submission (no error in nbgrader's answer)?"""
    for student, answer in autograded["answers"].items():
        assert answer["success"], (student, answer.get("error") or answer.get("log"))


def test_the_honest_student_gets_full_marks(autograded):
    """Is the honest student, graded by the button among attackers, given 8/8 unflagged?"""
    assert harness.read_grades(autograded["root"], s.A, "aaa_honest").score == 8


def test_attacks_through_the_button_gain_nothing(autograded):
    """Were every write refused, every secret unread, and no file changed?"""
    assert "ATTACK-WROTE" not in _outputs(autograded["root"], "atk_write")
    read, root = _outputs(autograded["root"], "atk_read"), autograded["root"]
    assert attacks.TOKEN not in read
    assert f"READ {root}/gradebook.db" not in read and "READ " + str(root.parent / "solutions") not in read
    deserved = harness.read_grades(root, s.A, "control").score
    for student in ("atk_write", "atk_read"):
        assert harness.read_grades(root, s.A, student).score <= deserved
    assert autograded["after"] == autograded["before"]
