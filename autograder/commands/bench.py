"""``tfcourse bench``: how long the notebooks and grading take on this machine, as Markdown tables.

(a) each solution notebook's execution in a fresh kernel, split into kernel
    start plus the first (import) cell, and the rest; and its total as a
    student runs it: the released notebook (hidden tests removed, as
    ``nbgrader generate_assignment`` removes them) with the reference answers;
(b) one student's full submission (every notebook, reference answers) graded
    by plain serial ``nbgrader autograde`` and by ``tfcourse grade``;
(c) a synthetic class (reference, blank and half-answered submissions in
    turn) graded by serial nbgrader and by ``tfcourse grade --workers N``,
    with a check that the gradebooks hold identical grades and comments;
(d) each notebook kernel's peak memory (VmHWM);
(e) how long each graded notebook waits for its kernel (start, imports and
    the grading guard) before its first cell: a kernel started on its own
    (nbgrader's way), one forked from a running fork server
    (``autograder.kernels.forkserver_client``), or one whose fork server
    started for it.

(b) and (c) grade with plain nbgrader twice (starting a kernel per notebook,
as nbgrader does on its own, and forking kernels with the course's
settings) and with ``tfcourse grade``; (c) checks that all three give
identical gradebooks. ``--short`` runs notebook 01 with two students, and
grades the single submission with one worker only: every figure is there,
none of them meaningful. The test suite runs the short mode on a tiny notebook
without TensorFlow (``solutions=tests/fixtures``).
"""
from __future__ import annotations

import importlib.util
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.preprocessors import ClearHiddenTests

from autograder.commands.demo import demo_submissions
from autograder.grading import private_gradebooks
from autograder.grading.autograde import grade
from autograder.nbgrader_api import open_api, require_success
from autograder.paths import SOLUTIONS, assignments, resolve_assignment
from helpers.quiet import QUIET_ENV

_KERNEL_READY = re.compile(r"Kernel ready in ([0-9.]+) s \((.+?)\)")


@dataclass
class NotebookTiming:
    assignment: str
    startup: float  # kernel start and the first code cell (imports)
    rest: float
    peak_mb: float

    @property
    def total(self) -> float:
        return self.startup + self.rest


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def as_released(nb: NotebookNode) -> NotebookNode:
    """The solution notebook as a student runs it: without its hidden tests (nbgrader's own ``ClearHiddenTests``,
    which ``generate_assignment`` runs), the reference answers in place of the student's."""
    return ClearHiddenTests().preprocess(nb, {})[0]


def time_notebook(assignment: str, solutions: Path = SOLUTIONS, hidden_tests: bool = True) -> NotebookTiming:
    """Run the solution notebook in a fresh kernel; time its parts and read its peak memory.

    ``hidden_tests=False`` runs it as released to students (``as_released``).
    """
    path = solutions / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    if not hidden_tests:
        nb = as_released(nb)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    first_done = None
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
                first_done = first_done or time.perf_counter()
        peak = _peak_mb(client.km.provisioner.process.pid)
        ended = time.perf_counter()
    return NotebookTiming(assignment, first_done - started, ended - first_done, peak)


def _course_root(base: Path, name: str, chosen: list[str], students: dict[str, dict],
                 solutions: Path) -> Path:
    """A course root whose gradebook knows ``chosen``, with ``students`` (name -> {assignment: nb})."""
    root = base / name
    api = open_api(root)
    api.coursedir.source_directory = str(solutions)
    api.coursedir.release_directory = str(root / "release")
    for assignment in chosen:
        require_success(api.generate_assignment(assignment, force=True, create=True), f"generate {assignment}")
    for student, notebooks in students.items():
        for assignment, nb in notebooks.items():
            path = root / "submitted" / student / assignment / f"{assignment}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, str(path))
    return root


@dataclass
class GradingTiming:
    seconds: float
    kernel_waits: list[tuple[float, str]]  # per notebook: (seconds before the first cell, how the kernel started)


def time_nbgrader(root: Path, chosen: list[str], solutions: Path, fork_server: bool = True) -> GradingTiming:
    """Plain ``nbgrader autograde A`` run once per assignment, one after another.

    With ``fork_server=False`` nbgrader starts every kernel on its own, as it does without this course.
    """
    env = {**os.environ, "MPLBACKEND": "Agg"}
    started = time.perf_counter()
    waits = []
    for assignment in chosen:
        done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment, "--force",
                               f"--CourseDirectory.source_directory={solutions}",
                               f"--SandboxedKernelManager.fork_server={fork_server}"],
                              cwd=root, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"nbgrader autograde {assignment} failed: {done.stderr[-500:]}")
        waits += [(float(s), origin) for s, origin in _KERNEL_READY.findall(done.stderr)]
    return GradingTiming(time.perf_counter() - started, waits)


def time_tfcourse(root: Path, workers: int) -> GradingTiming:
    started = time.perf_counter()
    outcomes = grade("all", root, workers=workers, force=True)
    failed = [f"{o.student}/{o.assignment}: {o.detail}" for o in outcomes if not o.graded]
    if failed:
        raise RuntimeError(f"tfcourse grade failed: {failed}")
    return GradingTiming(time.perf_counter() - started, [k for o in outcomes for k in o.kernel_starts])


def _dump(root: Path) -> dict:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return private_gradebooks.dump(gb)


def machine() -> str:
    """One line about the machine: CPU model, cores, memory, load, and whether Keras will import scikit-learn."""
    model = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                  if ln.startswith("model name")), platform.processor() or "unknown CPU")
    mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 ** 2
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    # Keras imports scikit-learn at start-up whenever it is installed (for its scikit-learn wrappers): about 1 s
    # more in every kernel. The course does not need it; the test extra installs it.
    sklearn = ("scikit-learn installed (Keras imports it: about 1 s more per kernel)"
               if importlib.util.find_spec("sklearn") else "no scikit-learn")
    return (f"{model}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, Linux {platform.release()}, "
            f"Python {platform.python_version()}, {sklearn}; load average {load}")


def sandbox_description() -> str:
    """Where the graded kernels ran: in the bubblewrap sandbox (autograder.kernels.jail), or not."""
    from autograder.kernels import jail

    if jail.unsafe():
        return "NO sandbox (--unsafe-no-sandbox)"
    try:
        return f"in the sandbox ({Path(jail.require()).name} {jail.version()})"
    except jail.SandboxUnavailable:
        return "no sandbox available"


def run_bench(short: bool = False, notebooks: str = "all", class_size: int = 12,
              workers: int = 2, solutions: Path | None = None, timings_only: bool = False, repeat: int = 1) -> str:
    """Run the benchmark; return its Markdown tables.

    Args:
        short: The first notebook and two students only. Defaults to ``False``.
        notebooks: ``"all"`` or comma-separated numbers. Defaults to ``"all"``.
        class_size: Synthetic students for (c); 0 leaves (c) out. Defaults to 12.
        workers: ``tfcourse grade`` workers for (b) and (c). Defaults to 2.
        solutions: Another folder of instructor notebooks (the tests use a
            tiny one). Defaults to solutions/.
        timings_only: Only (a) and (d), the notebooks' own run times and
            memory. Defaults to ``False``.
        repeat: Rounds of (a): each round runs every chosen notebook once,
            and the table gives each notebook's median and range. On a
            shared VM one run can be 30 % off. Defaults to 1.
    """
    if solutions is None:
        solutions = SOLUTIONS
        chosen = assignments() if notebooks == "all" else [resolve_assignment(n) for n in notebooks.split(",")]
    else:
        chosen = sorted(p.name for p in Path(solutions).iterdir() if (p / f"{p.name}.ipynb").is_file())
    if short:
        chosen, class_size = chosen[:1], 2
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.update(QUIET_ENV)
    before = machine()
    rounds, student_rounds = [], []
    for _ in range(max(1, repeat)):
        rounds.append([time_notebook(a, solutions) for a in chosen])
        student_rounds.append([time_notebook(a, solutions, hidden_tests=False) for a in chosen])
    if timings_only:
        return "\n".join(_notebook_table(before, machine(), rounds, student_rounds))
    with tempfile.TemporaryDirectory(prefix="tfcourse-bench-") as scratch:
        base = Path(scratch)
        released = _course_root(base, "released", chosen, {}, solutions) / "release"
        subs = {a: demo_submissions(a, solutions, released)[0] for a in chosen}
        one = {"student": {a: subs[a]["reference"] for a in chosen}}
        kinds = ("reference", "blank", "partial")
        klass = {f"s{i:02d}": {a: subs[a][kinds[i % 3]] for a in chosen} for i in range(class_size)}
        grading = Grading(chosen, workers)
        for name, students in (("one", one), ("class", klass if class_size else {})):
            if not students:
                continue
            roots = {kind: _course_root(base, f"{name}-{kind}", chosen, students, solutions)
                     for kind in ("fresh", "forked", "tfcourse")}
            grading.runs[name] = {
                "fresh": time_nbgrader(roots["fresh"], chosen, solutions, fork_server=False),
                "forked": time_nbgrader(roots["forked"], chosen, solutions),
                "tfcourse": time_tfcourse(roots["tfcourse"], 1 if name == "one" else workers),
            }
            if name == "one" and not short:
                grading.runs[name]["tfcourse N"] = time_tfcourse(
                    _course_root(base, "one-parallel", chosen, students, solutions), workers)
            if name == "class":
                grading.class_size = class_size
                grading.identical = _dump(roots["fresh"]) == _dump(roots["tfcourse"]) == _dump(roots["forked"])
    lines = _notebook_table(before, machine(), rounds, student_rounds)
    execution = sum(_median_run(runs).total for runs in zip(*rounds))
    return "\n".join([*lines, "", *grading.table(execution)])


def _median_run(runs: tuple[NotebookTiming, ...]) -> NotebookTiming:
    """One notebook's run with the median total (the lower middle one for an even count), and its peak memory."""
    middle = sorted(runs, key=lambda t: t.total)[(len(runs) - 1) // 2]
    return NotebookTiming(middle.assignment, middle.startup, middle.rest, max(t.peak_mb for t in runs))


def _notebook_table(before: str, after: str, rounds: list[list[NotebookTiming]],
                    student_rounds: list[list[NotebookTiming]]) -> list[str]:
    """(a) and (d): each notebook's run time, split, its total as a student runs it, and its kernel's peak memory;
    with several rounds, the run of median total and the range of the totals."""
    several = len(rounds) > 1
    head = ("| notebook | kernel start + imports (s) | rest (s) | total (s) | as a student runs it: total (s) "
            "| peak RSS per kernel (MB) |"
            + (f" total, {len(rounds)} runs: min–max (s) | as a student runs it: min–max (s) |" if several else ""))
    lines = [f"Machine: {before}", f"(load average at the end: {after.rsplit('load average ', 1)[-1]})", ""]
    if several:
        lines += [f"Each notebook ran {len(rounds)} times each way, in rounds; the row is its run of median total.",
                  ""]
    lines += [head, "|---|---|---|---|---|---|" + ("---|---|" if several else "")]

    def spread(totals: list[float], note: str = "") -> str:
        return f" {min(totals):.1f}–{max(totals):.1f}{note} |"

    timings = [_median_run(runs) for runs in zip(*rounds)]
    students = [_median_run(runs) for runs in zip(*student_rounds)]
    for i, (t, student) in enumerate(zip(timings, students)):
        lines.append(f"| {t.assignment} | {t.startup:.1f} | {t.rest:.1f} | {t.total:.1f} | {student.total:.1f} | "
                     f"{t.peak_mb:.0f} |" + (spread([r[i].total for r in rounds])
                                              + spread([r[i].total for r in student_rounds]) if several else ""))
    lines.append(f"| all {len(timings)} | {sum(t.startup for t in timings):.1f} | "
                 f"{sum(t.rest for t in timings):.1f} | {sum(t.total for t in timings):.1f} | "
                 f"{sum(t.total for t in students):.1f} | {max(t.peak_mb for t in timings):.0f} (max) |"
                 + (spread([sum(t.total for t in r) for r in rounds], " (each round's sum)")
                    + spread([sum(t.total for t in r) for r in student_rounds], " (each round's sum)")
                    if several else ""))
    return lines


@dataclass
class Grading:
    """(b), (c) and (e): the grading runs of one benchmark.

    ``runs[name][kind]``: ``name`` is ``"one"`` (one submission) or ``"class"``;
    ``kind`` is ``"fresh"`` (plain nbgrader, a kernel started for every
    notebook, as nbgrader does on its own), ``"forked"`` (plain nbgrader with
    the course's settings: kernels forked from a fork server), ``"tfcourse"``
    (``tfcourse grade``, one worker for one submission, ``workers`` for the
    class) and ``"tfcourse N"`` (one submission, ``workers`` workers).
    """

    chosen: list[str]
    workers: int
    runs: dict[str, dict[str, GradingTiming]] = field(default_factory=dict)
    class_size: int = 0
    identical: bool | None = None

    def table(self, execution: float) -> list[str]:
        """The grading table and the checks, in Markdown; ``execution`` is (a)'s total run time."""
        n, w = len(self.chosen), self.workers
        lines = ["| grading | plain nbgrader, a kernel started per notebook (s) | plain nbgrader, kernels forked "
                 "(course settings) (s) | tfcourse grade (s) | tfcourse speed-up over plain nbgrader |",
                 "|---|---|---|---|---|"]
        labels = {("one", "tfcourse"): f"one submission, {n} notebook(s), --workers 1",
                  ("one", "tfcourse N"): f"one submission, {n} notebook(s), --workers {w}",
                  ("class", "tfcourse"): f"class of {self.class_size} x {n} notebook(s), --workers {w}"}
        for (name, kind), label in labels.items():
            run = self.runs.get(name, {})
            if kind in run:
                fresh, forked, ours = run["fresh"].seconds, run["forked"].seconds, run[kind].seconds
                lines.append(f"| {label} | {fresh:.1f} | {forked:.1f} | {ours:.1f} | {fresh / ours:.2f}x |")
        one = self.runs["one"]
        lines += ["", "| check | value |", "|---|---|"]
        for kind, label in (("tfcourse", "tfcourse grade --workers 1"), ("fresh", "plain nbgrader, kernel per "
                            "notebook"), ("forked", "plain nbgrader, kernels forked")):
            lines.append(f"| grading overhead over plain execution, one submission, {label} | "
                         f"{100 * (one[kind].seconds / execution - 1):.0f}% |")
        lines += self._kernel_waits()
        if self.identical is not None:
            lines.append(f"| class gradebooks identical (plain nbgrader both ways, tfcourse --workers {w}) | "
                         f"{'yes' if self.identical else 'NO'} |")
        return lines

    def _kernel_waits(self) -> list[str]:
        """(e): seconds from asking for a kernel to the first cell, per graded notebook, by how it started."""
        waits: dict[str, list[float]] = {}
        for run in self.runs.values():
            for timing in run.values():
                for seconds, origin in timing.kernel_waits:
                    waits.setdefault(origin, []).append(seconds)
        rows = []
        where = sandbox_description()
        for origin in ("started on its own", "forked", "forked, fork server started for it"):
            if waits.get(origin):
                found = waits[origin]
                rows += [f"| kernel wait before the first cell (s), {origin}: mean of {len(found)}, {where} | "
                         f"{sum(found) / len(found):.2f} |",
                         f"| kernel wait before the first cell (s), {origin}: max, {where} | {max(found):.2f} |"]
        return rows
