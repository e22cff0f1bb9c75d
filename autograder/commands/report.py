"""``tfcourse report``: grades.csv (nbgrader's exporter), two plots, and a Markdown summary that embeds them.

- ``grades.csv``: one row per student and assignment, as ``nbgrader export`` writes it.
- ``scores.png``: the distribution of scores (percent) in each assignment.
- ``pass_rate.png``: for each graded test cell, the share of students who got
  all its points; the short bars are the exercises the class found hard.
- ``report.md``: a table per assignment and the plots.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.plugins import CsvExportPlugin

from autograder.nbgrader_api import open_api
from autograder.paths import course_root


@dataclass
class AssignmentStats:
    """Scores of one assignment's submissions, and each test cell's pass rate."""

    name: str
    max_score: float = 0.0
    scores: dict[str, float] = field(default_factory=dict)  # student -> score
    pass_rate: dict[str, float] = field(default_factory=dict)  # grade cell -> share with full points


def collect_stats(gb: Gradebook) -> list[AssignmentStats]:
    """Per-assignment statistics from the gradebook (assignments with no submission are left out)."""
    out = []
    for assignment in sorted(gb.assignments, key=lambda a: a.name):
        stats = AssignmentStats(assignment.name, assignment.max_score)
        full: dict[str, list[bool]] = {}
        for sub in assignment.submissions:
            stats.scores[sub.student_id] = sub.score
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if grade.max_score:
                        full.setdefault(grade.name, []).append(grade.score == grade.max_score)
        stats.pass_rate = {name: sum(v) / len(v) for name, v in full.items()}
        if stats.scores:
            out.append(stats)
    return out


def _plot_scores(stats: list[AssignmentStats], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = min(len(stats), 3)
    rows = -(-len(stats) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.8 * rows), squeeze=False)
    for ax, s in zip(axes.flat, stats):
        percent = [100 * v / s.max_score if s.max_score else 0 for v in s.scores.values()]
        ax.hist(percent, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.01], color="#4c72b0")
        ax.set_title(s.name, fontsize=10)
        ax.set_xlabel("score (%)")
        ax.set_ylabel("students")
        ax.set_xlim(0, 100)
    for ax in list(axes.flat)[len(stats):]:
        ax.set_visible(False)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_pass_rate(stats: list[AssignmentStats], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [n for s in stats for n in s.pass_rate]
    rates = [100 * r for s in stats for r in s.pass_rate.values()]
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(names) + 1.2))
    ax.barh(range(len(names)), rates, color=["#c44e52" if r < 50 else "#55a868" for r in rates])
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("students with full points (%)")
    ax.set_title("Pass rate per test cell (red: under half the class)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _markdown(stats: list[AssignmentStats]) -> str:
    lines = ["# Grade report", "", "| assignment | submissions | mean | median | max | hardest test |",
             "|---|---|---|---|---|---|"]
    for s in stats:
        values = sorted(s.scores.values())
        mean = sum(values) / len(values)
        median = (values[(len(values) - 1) // 2] + values[len(values) // 2]) / 2
        hardest = min(s.pass_rate, key=s.pass_rate.get) if s.pass_rate else "-"
        rate = f" ({100 * s.pass_rate[hardest]:.0f}% passed)" if s.pass_rate else ""
        lines.append(f"| {s.name} | {len(values)} | {mean:.1f} | {median:.1f} | {s.max_score:g} | "
                     f"{hardest}{rate} |")
    lines += ["", "Grades per student: [grades.csv](grades.csv)", "",
              "## Score distribution", "", "![scores per assignment](scores.png)", "",
              "## Pass rate per test cell", "", "![pass rate per test cell](pass_rate.png)", ""]
    return "\n".join(lines)


def write_report(root: str | Path | None = None, out: str | Path | None = None) -> list[Path]:
    """Write grades.csv, scores.png, pass_rate.png and report.md.

    Args:
        root: The course root. Defaults to ``autograder.paths.course_root()``.
        out: The folder to write into. Defaults to ``<root>/reports``.

    Returns:
        The files written.

    Raises:
        FileNotFoundError: the gradebook holds no submission yet.
    """
    resolved = course_root(root)
    folder = Path(out) if out else resolved / "reports"
    api = open_api(resolved)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        stats = collect_stats(gb)
        if not stats:
            raise FileNotFoundError(f"the gradebook of {resolved} has no graded submission: "
                                    "run `tfcourse grade` first")
        folder.mkdir(parents=True, exist_ok=True)
        CsvExportPlugin(to=str(folder / "grades.csv")).export(gb)
    _plot_scores(stats, folder / "scores.png")
    _plot_pass_rate(stats, folder / "pass_rate.png")
    (folder / "report.md").write_text(_markdown(stats))
    return [folder / n for n in ("grades.csv", "scores.png", "pass_rate.png", "report.md")]
