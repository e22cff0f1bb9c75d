"""nbgrader preprocessors that the course adds to the autograde pipeline."""
from autograder.preprocessors.stderr_noise import StderrIsNotFailure

__all__ = ["StderrIsNotFailure"]
