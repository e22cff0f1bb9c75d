"""The ``tfcourse`` command line: one entry point for the course's life cycle.

This module parses the command line and dispatches each subcommand to its
module in ``autograder.commands`` (``start``, ``check``, ``release``, ``exchange``,
``import_``, ``grade``, ``feedback``, ``export``, ``report``, ``demo``, ``bench``), each a
thin layer over nbgrader's Python API. Modules are imported on demand, so
``tfcourse --help`` stays fast.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Sequence

EXAMPLES = {
    "start": "example: tfcourse start ~/tf-course    (then: cd ~/tf-course && jupyter lab)",
    "check": "example: tfcourse check 01    (or: tfcourse check 01 ~/work/my-copy.ipynb)",
    "release": "example: tfcourse release 01 --due '2026-12-08 23:59 Europe/Paris'\n"
               "         tfcourse release all --exchange /srv/nbgrader/exchange",
    "collect": "example: tfcourse collect 01 --exchange /srv/nbgrader/exchange",
    "import": "example: tfcourse import ~/Downloads/submissions.zip --assignment 01",
    "grade": "example: tfcourse grade 01 --workers 2    (or: tfcourse grade all --scheduler tcp://HOST:8786)",
    "feedback": "example: tfcourse feedback 01    (writes <course root>/feedback/STUDENT/01-.../*.html)\n"
                "         tfcourse feedback 01 --release --exchange /srv/nbgrader/exchange    (students fetch it)",
    "export": "example: tfcourse export --format canvas 01    (or: tfcourse export --format moodle 01 --out grades.csv)",
    "report": "example: tfcourse report    (writes <course root>/reports/report.md, grades.csv and plots)",
    "demo": "example: tfcourse demo    (or, faster: tfcourse demo --notebooks 01)",
    "bench": ("example: tfcourse bench --class-size 12 --workers 2    (or: tfcourse bench --timings-only --repeat 3; "
              "tfcourse bench --dask)"),
}


def _cmd_start(args: argparse.Namespace) -> int:
    from autograder.commands.start import start

    report = start(args.folder)
    print(f"copied {len(report.copied)} notebook(s) into {report.folder}")
    if report.kept:
        print(f"kept your own copy of: {', '.join(report.kept)}")
    print(report.next_steps())
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from autograder.commands.check import check

    report = check(args.assignment, args.notebook)
    print(report.table())
    return 0 if report.passed else 1


def _cmd_release(args: argparse.Namespace) -> int:
    from autograder.commands.release import release

    for assignment in release(args.assignment, args.course_root, due=args.due):
        print(f"released course/{assignment}/" + (f", due {args.due}" if args.due else ""))
    if args.exchange:
        from autograder.commands.exchange import release_to_exchange

        for assignment in release_to_exchange(args.assignment, args.course_root, args.exchange):
            print(f"released {assignment} to the exchange")
    return 0


def _cmd_collect(args: argparse.Namespace) -> int:
    from autograder.commands.exchange import collect

    for assignment, students in collect(args.assignment, args.course_root, args.exchange).items():
        print(f"{assignment}: {len(students)} submission(s) in submitted/")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from autograder.commands.import_ import import_submissions

    report = import_submissions(args.source, args.course_root, args.assignment)
    for name, student, assignment in report.placed:
        print(f"placed   {name} -> submitted/{student}/{assignment}/")
    for key in report.replaced:
        print(f"replaced the earlier submission {key}")
    for name, reason in report.unplaced:
        print(f"NOT PLACED {name}: {reason}", file=sys.stderr)
    print(f"{len(report.placed)} placed, {len(report.unplaced)} not placed")
    return 1 if report.unplaced or not report.placed else 0


def _cmd_grade(args: argparse.Namespace) -> int:
    from autograder.commands.grade import grade_command

    return grade_command(args.assignment, args.course_root, args.student, args.workers, args.force,
                         cluster=args.scheduler or args.cluster)


def _cmd_feedback(args: argparse.Namespace) -> int:
    from autograder.commands.feedback import generate_feedback

    written = generate_feedback(args.assignment, args.course_root, args.student, show_hidden=args.show_hidden,
                                release=args.release, exchange=args.exchange)
    for path in written:
        print(f"wrote {path}")
    if args.release:
        print(f"released feedback for {len(written)} page(s) to the exchange")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from autograder.commands.export import export_grades

    columns = args.column or None
    done = export_grades(args.format, args.assignment, args.course_root, args.out, columns)
    for line in done.left_out:
        print(f"LEFT OUT {line}", file=sys.stderr)
    print(f"wrote {done.path} ({done.rows} student(s))")
    return 1 if done.left_out else 0


def _cmd_report(args: argparse.Namespace) -> int:
    from autograder.commands.report import write_report

    for path in write_report(args.course_root, args.out):
        print(f"wrote {path}")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from autograder.commands.demo import run_demo

    return 0 if run_demo(args.notebooks, args.course_root if args.keep else None, args.workers) else 1


def _cmd_bench(args: argparse.Namespace) -> int:
    if args.dask:
        from autograder.commands.bench_dask import run_dask_bench

        print(run_dask_bench(class_size=60 if args.class_size is None else args.class_size,
                             workers=args.workers, notebook=args.notebook))
        return 0
    from autograder.commands.bench import run_bench

    print(run_bench(short=args.short, notebooks=args.notebooks,
                    class_size=12 if args.class_size is None else args.class_size,
                    workers=args.workers, timings_only=args.timings_only,
                    repeat=args.repeat))
    return 0


COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
    "start": ("students: copy the course notebooks into a folder of your own", _cmd_start),
    "check": ("students: run a notebook's visible tests and list each exercise", _cmd_check),
    "release": ("regenerate course/ from solutions/ (and optionally release to the exchange)",
                _cmd_release),
    "collect": ("copy submissions from the nbgrader exchange into submitted/", _cmd_collect),
    "import": ("place a folder or zip of students' notebooks (LMS download) into submitted/",
               _cmd_import),
    "grade": ("autograde submissions in parallel, with a progress bar and a failure summary",
              _cmd_grade),
    "feedback": ("write one HTML feedback page per student and assignment", _cmd_feedback),
    "export": ("write grades as Canvas's or Moodle's import file (or plain CSV)", _cmd_export),
    "report": ("write grades.csv, score and pass-rate plots, and a Markdown summary", _cmd_report),
    "demo": ("the whole pipeline on three demo students in a temporary course root", _cmd_demo),
    "bench": ("time the notebooks and grading, and print a Markdown table", _cmd_bench),
}


def _add_arguments(sub: dict[str, argparse.ArgumentParser]) -> None:
    which = {"nargs": "?", "default": "all", "help": "NN, an assignment id, or 'all' (default)"}
    sub["start"].add_argument("folder", nargs="?", default="tf-course",
                              help="where to put them (default: tf-course in the current folder)")
    sub["check"].add_argument("assignment", help="NN or an assignment id, e.g. 01")
    sub["check"].add_argument("notebook", nargs="?", help="your notebook (default: the course/ copy)")
    sub["release"].add_argument("assignment", **which)
    sub["collect"].add_argument("assignment", **which)
    for name in ("release", "collect"):
        sub[name].add_argument("--exchange", metavar="DIR", help="the nbgrader exchange folder (default for collect: nbgrader's "
                               "Exchange.root, /srv/nbgrader/exchange)")
    sub["import"].add_argument("source", help="a folder or .zip of notebooks")
    sub["import"].add_argument("--assignment", help="the assignment they all belong to (default: "
                               "told from each notebook's exercises)")
    sub["grade"].add_argument("assignment", **which)
    sub["grade"].add_argument("--student", action="append", help="only this student (repeatable)")
    sub["grade"].add_argument("--workers", type=int, help="parallel graders (default: the number of cores)")
    sub["grade"].add_argument("--force", action="store_true", help="regrade what is graded already")
    on_dask = sub["grade"].add_mutually_exclusive_group()
    on_dask.add_argument("--scheduler", metavar="tcp://HOST:8786",
                         help="grade on this Dask cluster (see the README: Grading on a cluster)")
    on_dask.add_argument("--cluster", metavar="local:N",
                         help="grade on a Dask LocalCluster of N single-threaded worker processes")
    sub["feedback"].add_argument("assignment", **which)
    sub["feedback"].add_argument("--student", help="only this student")
    sub["feedback"].add_argument("--show-hidden", action="store_true",
                                 help="show the hidden tests' code (default: only their results and messages)")
    sub["feedback"].add_argument("--release", action="store_true",
                                 help="also put the pages in the exchange for students to fetch")
    sub["feedback"].add_argument("--exchange", metavar="DIR", help="the nbgrader exchange folder "
                                 "(default: nbgrader's Exchange.root)")
    sub["release"].add_argument("--due", metavar="DATE", help="the due date in the gradebook, e.g. "
                                "'2026-12-08 23:59' (UTC) or '2026-12-08 23:59 Europe/Paris'")
    sub["export"].add_argument("assignment", **which)
    sub["export"].add_argument("--format", required=True, choices=["canvas", "moodle", "csv"])
    sub["export"].add_argument("--out", metavar="FILE", help="default: <course root>/exports/FORMAT-WHICH.csv")
    sub["export"].add_argument("--column", action="append", metavar="TITLE",
                               help="Canvas column title per assignment, e.g. 'Homework 1 (1234)' (repeatable)")
    sub["report"].add_argument("--out", help="folder to write into (default: <course root>/reports)")
    sub["demo"].add_argument("--notebooks", default="all",
                             help="comma-separated notebook numbers, e.g. 01,02 (default: all)")
    sub["demo"].add_argument("--keep", action="store_true",
                             help="use --course-root instead of a temporary folder, and keep it")
    sub["demo"].add_argument("--workers", type=int, help="parallel graders (default: the number of cores)")
    sub["bench"].add_argument("--short", action="store_true", help="notebook 01 and two students only")
    sub["bench"].add_argument("--notebooks", default="all", help="comma-separated numbers (default: all)")
    sub["bench"].add_argument("--class-size", type=int,
                              help="synthetic students, 0 for none (default: 12; 60 with --dask)")
    sub["bench"].add_argument("--workers", type=int, default=2, help="tfcourse grade workers (default: 2)")
    sub["bench"].add_argument("--timings-only", action="store_true",
                              help="only each notebook's run time (with its hidden tests, and as a student runs "
                                   "the released notebook) and peak memory, no grading")
    sub["bench"].add_argument("--repeat", type=int, default=1, metavar="N",
                              help="run the notebooks N times, in rounds, and give each one's median and range "
                                   "(default: 1)")
    sub["bench"].add_argument("--dask", action="store_true",
                              help="grade one class on the local pool, --cluster local:N and a dask scheduler "
                                   "with N worker processes; Dask's overhead and a projection")
    sub["bench"].add_argument("--notebook", help="with --dask: grade this course notebook (e.g. 01) instead of "
                                                 "the tiny TensorFlow-free one")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tfcourse",
        description="The TensorFlow training course: check, release, grade and report on notebooks.",
        epilog="Run `tfcourse COMMAND --help` for an example of each command.",
    )
    parser.add_argument(
        "--course-root",
        default=None,
        help="folder for submissions, grades and feedback "
        "(default: $TFCOURSE_ROOT, else classroom/ in the repository)",
    )
    parser.add_argument(
        "--db", metavar="URL", default=None,
        help="the gradebook as any database URL nbgrader accepts, e.g. postgresql://host/course "
        "(default: $TFCOURSE_DB, else gradebook.db in the course root)",
    )
    parser.add_argument(
        "--source", metavar="DIR", default=None, dest="solutions",
        help="your edited copy of solutions/ (default: the one shipped with tfcourse); its student "
        "notebooks are generated into <course root>/release",
    )
    parser.add_argument(
        "--unsafe-no-sandbox", action="store_true",
        help="UNSAFE: run student code without the bubblewrap sandbox, with your rights: it can then read and "
        "change every file you can (grades, solutions, other submissions), use the network and reach other "
        "kernels. Only for code you trust, on a machine with no sandbox (macOS)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parsers = {}
    for name, (summary, handler) in COMMANDS.items():
        p = sub.add_parser(
            name, help=summary, description=summary, epilog=EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(handler=handler)
        parsers[name] = p
    _add_arguments(parsers)
    return parser


def ignore_in_checkout(root_arg: str | None) -> None:
    """Keep a course root that lies inside this checkout out of git (students' work is not course source)."""
    from autograder.paths import REPO, course_root

    root = course_root(root_arg)
    if root.is_dir() and root != REPO and REPO in root.parents and not (root / ".gitignore").exists():
        (root / ".gitignore").write_text("# a tfcourse course root: submissions and grades stay out of git\n*\n")


def interpreter_bin_on_path() -> None:
    """Put this interpreter's scripts folder on PATH, for the tools nbgrader runs (``alembic``).

    A venv's ``tfcourse`` may be called by its absolute path without the venv
    activated (cron, pipx, a JupyterHub service); nbgrader then could not find
    ``alembic`` to create a gradebook.
    """
    scripts = os.path.dirname(sys.executable)
    path = os.environ.get("PATH", "").split(os.pathsep)
    if scripts and scripts not in path:
        os.environ["PATH"] = os.pathsep.join([scripts, *[p for p in path if p]])


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    interpreter_bin_on_path()
    if args.db:
        os.environ["TFCOURSE_DB"] = args.db  # read by autograder/nbgrader_config.py
    if args.unsafe_no_sandbox:
        from autograder.kernels.jail import UNSAFE_ENV

        os.environ[UNSAFE_ENV] = "1"  # read by every grading process (autograder.kernels.jail.unsafe)
        print("tfcourse: --unsafe-no-sandbox: student code runs WITHOUT a sandbox, with your rights", file=sys.stderr)
    try:
        if args.solutions:
            from autograder.paths import use_source

            use_source(args.solutions, args.course_root)
        return args.handler(args)
    except (ValueError, RuntimeError, OSError) as exc:
        print(f"tfcourse {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"tfcourse {args.command}: interrupted; what was graded so far is kept", file=sys.stderr)
        return 130
    finally:
        ignore_in_checkout(args.course_root)


if __name__ == "__main__":
    sys.exit(main())
