"""The ``tfcourse`` command line: one entry point for the course's life cycle.

Each subcommand is a thin layer over a module of ``autograder`` that uses
nbgrader's Python API.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

EXAMPLES = {
    "release": "example: tfcourse release 01    (or: tfcourse release all)",
}


def _cmd_release(args: argparse.Namespace) -> int:
    from autograder.release import release

    for assignment in release(args.assignment, args.course_root):
        print(f"released course/{assignment}/")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tfcourse",
        description="The TensorFlow training course: release, check and grade notebooks.",
    )
    parser.add_argument(
        "--course-root",
        default=None,
        help="folder for submissions, grades and feedback "
        "(default: $TFCOURSE_ROOT, else classroom/ in the repository)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
        "release": ("regenerate course/ from solutions/", _cmd_release),
    }
    for name, (summary, handler) in commands.items():
        p = sub.add_parser(
            name, help=summary, description=summary, epilog=EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(handler=handler)
    sub.choices["release"].add_argument(
        "assignment", nargs="?", default="all", help="NN, an assignment id, or 'all' (default)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (ValueError, RuntimeError, FileNotFoundError) as exc:
        print(f"tfcourse {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
