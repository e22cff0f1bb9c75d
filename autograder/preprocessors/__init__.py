"""nbgrader preprocessors that the course adds to the autograde pipeline, one per module.

Sanitize step (before anything runs): ``DeduplicateIdsWithNote``
(``deduplicate``), ``RestoreMissingCells`` (``restore_cells``),
``ScanStudentCode`` (``scan``, with the static rules in
``autograder.code_scan``). Autograde step: ``GuardedExecute`` (``execute``), ``JudgeObservations`` (``judge``),
``StderrIsNotFailure`` (``stderr_noise``), ``RecordVerdict``
(``record_verdict``). ``ungradable`` keeps unreadable and missing notebooks
from stopping a batch. What they find is recorded with ``autograder.findings``.
"""
from autograder.preprocessors.deduplicate import DeduplicateIdsWithNote
from autograder.preprocessors.execute import GuardedExecute
from autograder.preprocessors.judge import JudgeObservations
from autograder.preprocessors.record_verdict import RecordVerdict
from autograder.preprocessors.restore_cells import RestoreMissingCells
from autograder.preprocessors.scan import ScanStudentCode
from autograder.preprocessors.stderr_noise import StderrIsNotFailure

__all__ = [
    "DeduplicateIdsWithNote", "GuardedExecute", "JudgeObservations",
    "RecordVerdict", "RestoreMissingCells", "ScanStudentCode",
    "StderrIsNotFailure",
]
