"""``tfcourse demo`` on notebook 01, and ``feedback`` / ``report`` on the course root it leaves behind."""
from __future__ import annotations

import csv

import pytest
from nbgrader.api import Gradebook

from autograder import cli
from autograder.commands import demo
from tests.autograder.cli_runner import tfcourse

A = "01-training-steps"


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    result = tfcourse("--course-root", str(root), "demo", "--notebooks", "01", "--keep", "--workers", "2")
    return root, result


@pytest.mark.nbgrader
@pytest.mark.slow  # the demo grades notebook 01 three times with real nbgrader
def test_demo_grades_the_three_students_as_expected(demo_root):
    """Does the demo grade reference, blank and partial exactly as expected, print the table and exit 0?"""
    _, (code, out, err) = demo_root
    assert code == 0, out + err
    assert "demo: every grade is as expected" in out
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in out.splitlines()
            if line.startswith("| ") and "student" not in line}
    scores = {name: [float(v) for v in rows[name].split("/")] for name in demo.STUDENTS}
    assert scores["reference"][0] == scores["reference"][1] > scores["partial"][0] > scores["blank"][0] == 0


@pytest.mark.nbgrader
@pytest.mark.slow  # the demo grades notebook 01 three times with real nbgrader
def test_demo_checks_every_cell(demo_root):
    """Would the demo notice a test cell whose score is not the expected one?"""
    root, _ = demo_root
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        cell = gb.find_submission_notebook(A, A, "blank").grades[0]
        assert demo.mismatches(gb, {A: {"blank": {cell.name: cell.max_score}}}) == [
            f"blank/{A}/{cell.name}: expected {cell.max_score:g}, got 0.0"]


@pytest.mark.nbgrader
@pytest.mark.slow  # the demo grades notebook 01 three times with real nbgrader
def test_demo_writes_feedback_and_report(demo_root):
    """Does the demo leave an HTML feedback page per student and the report files?"""
    root, _ = demo_root
    for student in demo.STUDENTS:
        assert (root / "feedback" / student / A / f"{A}.html").is_file()
    with open(root / "reports" / "grades.csv") as f:
        assert sorted(row["student_id"] for row in csv.DictReader(f)) == sorted(demo.STUDENTS)
    for png in ("scores.png", "pass_rate.png"):
        assert (root / "reports" / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = (root / "reports" / "report.md").read_text()
    assert "![scores per assignment](scores.png)" in summary and "(pass_rate.png)" in summary
    assert f"| {A} | 3 |" in summary


@pytest.mark.nbgrader
@pytest.mark.slow  # the demo grades notebook 01 three times with real nbgrader
def test_feedback_command_for_one_student(demo_root):
    """Does `tfcourse feedback 01 --student partial` write that student's page only?"""
    root, _ = demo_root
    code, out, _ = tfcourse("--course-root", str(root), "feedback", "01", "--student", "partial")
    assert code == 0
    assert out.splitlines() == [f"wrote {root / 'feedback' / 'partial' / A / f'{A}.html'}"]
    assert "Score:" in (root / "feedback" / "partial" / A / f"{A}.html").read_text()


@pytest.mark.nbgrader
@pytest.mark.slow  # the demo grades notebook 01 three times with real nbgrader
def test_report_command_writes_where_asked(demo_root, tmp_path):
    """Does `tfcourse report --out DIR` write the CSV, both plots and the summary there?"""
    root, _ = demo_root
    code, out, _ = tfcourse("--course-root", str(root), "report", "--out", str(tmp_path))
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.csv", "pass_rate.png", "report.md",
                                                         "scores.png"]


@pytest.mark.parametrize("command, message", [
    ("feedback", "nothing is graded"),
    ("report", "has no graded submission"),
])
def test_nothing_graded_yet_gets_one_line(tmp_path, command, message):
    """Are feedback and report on an empty course root explained in one line?"""
    code, _, err = tfcourse("--course-root", str(tmp_path), command)
    assert code == 1 and message in err and err.count("\n") == 1, err


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_every_subcommand_help_has_an_example(command, capsys):
    """Does `tfcourse COMMAND --help` show an example?"""
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--help"])
    assert exit_.value.code == 0
    assert "example: tfcourse " + command in capsys.readouterr().out
