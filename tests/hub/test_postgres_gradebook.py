"""``tfcourse --db postgresql://...``: grade, report and export with the gradebook on a real PostgreSQL server.

The tiny assignment's synthetic class is graded twice by ``tfcourse grade
--workers 2``: once into PostgreSQL, once into the usual SQLite gradebook.
Both gradebooks must then hold the same grades, and ``report`` and ``export``
must read them from PostgreSQL.
"""
from __future__ import annotations

import csv

import pytest
from nbgrader.api import Gradebook

from autograder.grading import private_gradebooks
from tests.autograder import tiny
from tests.autograder.cli_runner import tfcourse

pytestmark = [pytest.mark.hub, pytest.mark.nbgrader, pytest.mark.slow]


def grade_class(root, db: str | None) -> dict:
    """Release the tiny assignment into ``root`` (its gradebook at ``db``), submit the class, grade it."""
    with pytest.MonkeyPatch.context() as env:
        if db:
            env.setenv("TFCOURSE_DB", db)  # what `tfcourse --db` sets, read by the course's nbgrader config
        students = tiny.tiny_class(tiny.add_tiny_assignment(root), size=4)
        for student, nb in students.items():
            tiny.submit(root, student, nb)
        code, out, err = tfcourse(*(["--db", db] if db else []), "--course-root", str(root),
                                  "grade", tiny.TINY, "--workers", "2")
        assert code == 0, out + err
    with Gradebook(db or f"sqlite:///{root / 'gradebook.db'}") as gb:
        return private_gradebooks.dump(gb)


@pytest.fixture(scope="module")
def graded(postgres, tmp_path_factory) -> dict:
    return {"postgres": grade_class(tmp_path_factory.mktemp("pg-root"), postgres.url),
            "sqlite": grade_class(tmp_path_factory.mktemp("sqlite-root"), None)}


def without_timestamps(dump: dict) -> dict:
    return {key: {k: v for k, v in value.items() if k != "timestamp"} for key, value in dump.items()}


def test_grades_in_postgresql_equal_grades_in_sqlite(graded):
    """Does grading into PostgreSQL record exactly the grades and comments that SQLite gets?"""
    assert len(graded["postgres"]) == 4
    assert without_timestamps(graded["postgres"]) == without_timestamps(graded["sqlite"])
    scores = {key[1]: sum(g[0] or 0 for g in value["grades"].values()) for key, value in graded["postgres"].items()}
    assert len(set(scores.values())) > 1, f"the class's scores should differ: {scores}"


def test_report_reads_the_postgresql_gradebook(graded, postgres, tmp_path, monkeypatch):
    """Does `tfcourse --db postgresql://... report` write one grades.csv row per student from PostgreSQL?"""
    monkeypatch.setenv("TFCOURSE_DB", postgres.url)
    code, out, err = tfcourse("--db", postgres.url, "--course-root", str(tmp_path / "elsewhere"),
                              "report", "--out", str(tmp_path / "reports"))
    assert code == 0, out + err
    with open(tmp_path / "reports" / "grades.csv") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["student_id"] for r in rows) == [f"student{i:02d}" for i in range(4)]
    expected = {key[1]: sum(g[0] or 0 for g in v["grades"].values()) for key, v in graded["postgres"].items()}
    assert {r["student_id"]: float(r["score"]) for r in rows} == pytest.approx(expected)


def test_export_reads_the_postgresql_gradebook(graded, postgres, tmp_path, monkeypatch):
    """Does `tfcourse --db postgresql://... export --format csv` list the class graded in PostgreSQL?"""
    monkeypatch.setenv("TFCOURSE_DB", postgres.url)
    out_file = tmp_path / "grades.csv"
    code, out, err = tfcourse("--db", postgres.url, "--course-root", str(tmp_path / "elsewhere"),
                              "export", tiny.TINY, "--format", "csv", "--out", str(out_file))
    assert code == 0, out + err
    assert "(4 student(s))" in out
    assert out_file.read_text().count("student0") == 4
