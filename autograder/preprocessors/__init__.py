"""nbgrader preprocessors that the course adds to the autograde pipeline."""
from autograder.preprocessors.deduplicate import DeduplicateIdsWithNote
from autograder.preprocessors.execute import GuardedExecute
from autograder.preprocessors.restore_cells import RestoreMissingCells
from autograder.preprocessors.scan import ScanStudentCode
from autograder.preprocessors.stderr_noise import StderrIsNotFailure
from autograder.preprocessors.verdict import RecordVerdict

__all__ = [
    "DeduplicateIdsWithNote", "GuardedExecute", "RecordVerdict", "RestoreMissingCells", "ScanStudentCode",
    "StderrIsNotFailure",
]
