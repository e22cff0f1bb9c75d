"""nbgrader settings for the TensorFlow training course.

nbgrader reads ``nbgrader_config.py`` from the folder it runs in, so each
course root gets a two-line one (written by ``tfcourse``) that loads this
file: run plain ``nbgrader`` commands from the course root. Only settings
that differ from nbgrader's defaults are here.
"""
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # so `autograder` and `helpers` import from a clone

from autograder import paths  # noqa: E402
from autograder.preprocessors import (  # noqa: E402
    DeduplicateIdsWithNote, GuardedExecute, JudgeObservations, RecordVerdict, RestoreMissingCells, ScanStudentCode,
    StderrIsNotFailure,
)
from autograder.commands.feedback import FEEDBACK_HIDING_HIDDEN_TESTS  # noqa: E402
from autograder.preprocessors.ungradable import TolerantNotebookExporter, record_missing_notebooks  # noqa: E402
from helpers.quiet import QUIET_ENV  # noqa: E402

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

# The course; solutions/ and course/ live in the repository, everything a
# class produces lives in the course root.
c.CourseDirectory.course_id = paths.COURSE_ID
c.CourseDirectory.root = str(paths.course_root())
c.CourseDirectory.source_directory = str(paths.SOLUTIONS)
c.CourseDirectory.release_directory = str(paths.COURSE)
# The gradebook: gradebook.db in the course root, or any database URL that
# nbgrader accepts (e.g. PostgreSQL) in $TFCOURSE_DB (`tfcourse --db URL`).
if os.environ.get("TFCOURSE_DB"):
    c.CourseDirectory.db_url = os.environ["TFCOURSE_DB"]

# Grading kernels inherit this environment: TensorFlow's C++ logs stay quiet,
# and `helpers` and `autograder` (the kernel guard, autograder.kernels.guard)
# import even from a clone.
os.environ.update(QUIET_ENV)
_path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
if str(HERE.parent) not in _path:  # this file is loaded once per submission in a grading worker
    os.environ["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), *_path])

# A cell may train a small model on a 2-core CPU; an infinite loop is cut
# off after this many seconds and the next cell still runs.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# A deleted test cell is put back (and scores zero) instead of leaving the
# notebook ungradable.
c.OverwriteCells.add_missing_cells = True

# Grading defences (README: "What the grading defences promise"). Before
# anything runs: saved outputs are cleared, duplicated and deleted graded cells
# are sorted out with a note, and student cells are scanned for tampering; a
# flagged notebook is not run and its tests are held at zero.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    DeduplicateIdsWithNote,
    "nbgrader.preprocessors.OverwriteKernelspec",
    RestoreMissingCells,
    "nbgrader.preprocessors.CheckCellMetadata",
    ScanStudentCode,
]
c.ScanStudentCode.source_directory = str(paths.SOLUTIONS)
# A file that is not a notebook, or a missing (renamed) notebook, scores zero
# with the reason in the gradebook instead of stopping at "needs manual grade".
c.Autograde.exporter_class = TolerantNotebookExporter
c.Autograde.pre_convert_hook = record_missing_notebooks

# Then each notebook runs in a sandboxed kernel (autograder.kernels: limits
# below; leftover processes killed), where the test cells only observe the
# student's functions; JudgeObservations judges what they returned in a trusted
# process of its own (autograder.judge) and sets each test cell's outputs to its
# verdict. A test scores only if it ran to its end; output is capped
# as it streams; a dead kernel is recorded with its reason. nbgrader zeroes a
# test cell that wrote anything to stderr, and TensorFlow writes there on its
# own, so stderr is relabelled (errors still score zero). RecordVerdict puts
# flags and notes in the gradebook, after SaveAutoGrades.
c.Autograde.autograde_preprocessors = [
    GuardedExecute,
    JudgeObservations,
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    StderrIsNotFailure,
    "nbgrader.preprocessors.SaveAutoGrades",
    RecordVerdict,
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.GuardedExecute.max_output_bytes = 1_000_000
c.SandboxedKernelManager.memory_mb = 6144  # TensorFlow alone reserves ~2 GiB of address space
c.SandboxedKernelManager.cpu_seconds = 1800
c.SandboxedKernelManager.file_mb = 512
# Each kernel is forked from a fork server that imported TensorFlow once per
# grading run (autograder.kernels.forkserver): ~0.4 s instead of ~4 s per notebook.
# False starts every kernel on its own, as nbgrader does without this course.
c.SandboxedKernelManager.fork_server = True
# Every grading kernel runs in a bubblewrap sandbox (autograder.kernels.jail):
# it sees only its own notebook's folder (a copy), the course code and the
# Python environment, has no network and its own processes, and at most this
# many processes and threads. Without a working bwrap, grading refuses.
c.SandboxedKernelManager.max_processes = 512
# Feedback pages keep each hidden test's points, pass or fail and message but
# not its code (nbgrader shows it), also when the formgrader's "Generate
# Feedback" button or plain `nbgrader generate_feedback` makes them: on a hub
# students fetch exactly these pages. `tfcourse feedback --show-hidden` keeps it.
c.GenerateFeedback.preprocessors = FEEDBACK_HIDING_HIDDEN_TESTS

# UNSAFE: True runs student code with the grader's rights and no sandbox
# (as `tfcourse --unsafe-no-sandbox` or TFCOURSE_UNSAFE_NO_SANDBOX=1 does).
# c.SandboxedKernelManager.unsafe_no_sandbox = False
