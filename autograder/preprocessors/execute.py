"""Execute a submission so that only a test that really ran to its end can earn points.

``GuardedExecute`` replaces nbgrader's ``Execute`` in the autograde step:

- **Flagged notebooks are not run.** The static scan already holds them at zero.
- **Sandboxed kernel.** Each notebook gets a fresh kernel under
  ``autograder.kernels.sandbox``: memory, CPU-time and file-size limits, and every
  process it started is killed when it ends. It is forked from a process
  that imported TensorFlow once for the whole run (``autograder.kernels.forkserver``).
- **Tests must finish.** Each test cell gets one more line, with a fresh random
  nonce, that calls ``autograder.kernels.guard.finish``. A test cell whose
  output lacks ``<nonce>:ok`` scores zero: its code was skipped, an error was
  swallowed, or the guard saw the grading machinery tampered with (then the
  notebook is flagged, or noted for review where every test is judged outside
  the kernel, ``JudgeObservations``). The line is removed again before grades
  are saved.
- **Fresh hidden inputs.** Where every test is judged outside the kernel, each
  ``seed=<n>`` in a test cell's hidden region gets a fresh random value per run
  (``fresh_seeds``), so values made up in advance cannot match.
- **Checks only observe.** Before the first cell, the kernel is told to publish
  what the checks observe instead of judging it (``helpers.checks.observed``).
- **Output is capped while it streams.** Stream and display output beyond
  ``max_output_bytes`` per cell is dropped as it arrives, so a flood cannot
  exhaust the grader's memory. Errors are always kept: they decide the grade.
- **A dead or stuck kernel ends the run, not the batch.** The cell where the
  kernel died (or stopped answering after a timeout and was killed) gets an
  error output with the reason; every later test cell scores zero with
  "not run"; the reason is a note in the gradebook. Nothing is left in
  "needs manual grade", and nbgrader moves on to the next submission.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import signal
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from autograder import findings
from autograder.cells import grade_id, is_test
from autograder.judge.coverage import judged_outside
from autograder.kernels import jail, sandbox
from autograder.kernels.manager import SandboxedKernelManager

SENTINEL = '__import__("autograder.kernels.guard", fromlist=["finish"]).finish("{nonce}")'
GUARD_INSTALL = ('import autograder.kernels.guard as _tfcourse_guard; _tfcourse_guard.install(); del _tfcourse_guard\n'
                 'import helpers.checks.observed as _tfcourse_observed; _tfcourse_observed.report(); '
                 'del _tfcourse_observed')
_HIDDEN = re.compile(r"(### BEGIN HIDDEN TESTS)(.*?)(### END HIDDEN TESTS)", re.S)
_SEED = re.compile(r"\bseed=\d+\b")
TRUNCATED = "\n... [the grader dropped the rest of this cell's output: more than {limit:,} bytes] ...\n"


@dataclass
class KernelStart:
    """How long one notebook waited for its kernel to be ready for the first cell (imports included)."""

    seconds: float
    origin: str  # "forked", "forked, fork server started for it" or "started on its own"


#: The latest kernel starts of this process, in order (a grading worker reports and clears them per task).
STARTS: deque[KernelStart] = deque(maxlen=10_000)


def fresh_seeds(source: str) -> str:
    """``source`` with every ``seed=<n>`` inside its hidden tests replaced by a fresh random seed.

    Only for notebooks judged outside the kernel (``JudgeObservations`` replays
    the cell as changed here, so the kernel and the judge use the same seeds).
    The graded notebook keeps the seeds used.
    """
    return _HIDDEN.sub(lambda m: m[1] + _SEED.sub(lambda _: f"seed={secrets.randbelow(2**31)}", m[2]) + m[3], source)


class GuardedExecute(Execute):
    """nbgrader's ``Execute`` with a sandboxed kernel, completion checks, an output cap and death records."""

    max_output_bytes = Integer(
        1_000_000, help="Stream and display output kept per cell, in bytes; the rest is dropped as it arrives."
    ).tag(config=True)
    execute_flagged = Bool(
        False, help="Run notebooks that the static scan flagged (their tests stay at zero either way)."
    ).tag(config=True)

    def __init__(self, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(**kwargs)

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        self._sandbox = km  # nbclient forgets its km when a start fails; the report is still wanted
        return km

    def preprocess(self, nb: NotebookNode, resources=None, km=None):
        if findings.findings(nb, "flags") and not self.execute_flagged:
            self.log.warning("Not executing a flagged notebook; its tests are held at zero.")
            return nb, resources
        self._nonces: dict[int, str] = {}
        self._verdicts: dict[str, str] = {}
        self._sizes: dict[int, int] = {}
        originals = self._add_sentinels(nb)
        self._sandbox = km
        try:
            stopped = self._run(nb, resources, km)
        finally:
            for index, source in originals.items():
                nb.cells[index].source = source
        self._judge(nb, stopped)
        report = self._report()
        if report is not None:
            report.unlink(missing_ok=True)
        return nb, resources

    def _add_sentinels(self, nb: NotebookNode) -> dict[int, str]:
        originals = {}
        fresh = judged_outside(nb.cells)
        for index, cell in enumerate(nb.cells):
            if is_test(cell) and cell.source.strip():
                if fresh:
                    cell.source = fresh_seeds(cell.source)
                nonce = secrets.token_hex(16)
                originals[index] = cell.source
                cell.source = cell.source.rstrip() + "\n" + SENTINEL.format(nonce=nonce)
                self._nonces[index] = nonce
        return originals

    def _run(self, nb: NotebookNode, resources, km) -> tuple[int, str] | None:
        """Execute every cell; returns ``(cell index, reason)`` when the kernel died or was killed."""
        NotebookClient.__init__(self, nb, km)  # reset nbclient's per-notebook state, as nbconvert does
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        stopped = None
        try:
            requested = time.monotonic()
            with self.setup_kernel():
                info = self.wait_for_reply(self.kc.kernel_info())
                self.nb.metadata["language_info"] = info["content"]["language_info"]
                self.wait_for_reply(self.kc.execute(GUARD_INSTALL, silent=True, store_history=False))
                self._record_start(time.monotonic() - requested)
                for index, cell in enumerate(self.nb.cells):
                    try:
                        self.preprocess_cell(cell, resources, index)
                    except DeadKernelError:
                        stopped = (index, self._death_reason())
                        break
                    except Exception as error:  # a kernel that stopped answering, or nbclient giving up
                        self._kill_kernel()
                        stopped = (index, f"the kernel stopped answering ({type(error).__name__}) "
                                          f"and was killed; {self._death_reason()}")
                        break
        except jail.SandboxUnavailable:  # nothing runs without a sandbox: this notebook is not graded at all
            raise
        except Exception as error:  # the kernel died while starting or shutting down
            self.log.error("Kernel failure: %s", error)
            stopped = stopped or (0, f"the kernel failed ({type(error).__name__}: {error}); {self._death_reason()}")
        return stopped

    def _kill_kernel(self) -> None:
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is None:
            return
        for pid in sandbox.children(process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _report(self) -> Path | None:
        """Where the kernel's supervisor writes how it ended (``autograder.kernels.sandbox``)."""
        path = getattr(getattr(self, "_sandbox", None), "report_path", "")
        return Path(path) if path else None

    def _death_reason(self) -> str:
        report = self._report()
        for _ in range(50 if report else 0):
            if report.exists():
                try:
                    return json.loads(report.read_text())["reason"]
                except (ValueError, KeyError):
                    pass
            time.sleep(0.1)
        return "the kernel died and left no report"

    def _record_start(self, seconds: float) -> None:
        """Log how long the notebook waited for its kernel, and keep it for ``tfcourse bench``."""
        origin = getattr(self.km, "kernel_origin", "") or "started on its own"
        STARTS.append(KernelStart(seconds, origin))
        self.log.info("Kernel ready in %.2f s (%s)", seconds, origin)

    def _judge(self, nb: NotebookNode, stopped: tuple[int, str] | None) -> None:
        if stopped is not None:
            where, reason = stopped
            if nb.cells[where].cell_type == "code":
                nb.cells[where].outputs.append(findings.error_output("KernelDied", reason))
            findings.record(nb, "notes", f"cell {where + 1}: {reason}; later tests were not run and score zero.",
                           where)
        # Where the grader judges every test outside the kernel, what the guard sees cannot change a verdict:
        # it is noted for review instead of holding the notebook at zero.
        kind = "notes" if judged_outside(nb.cells) else "flags"
        for index, nonce in self._nonces.items():
            cell = nb.cells[index]
            outcome = self._verdicts.get(nonce)
            has_error = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
            if stopped is not None and index > stopped[0]:
                cell.outputs = [findings.error_output("NotRun", f"the kernel died before this test: {stopped[1]}")]
            elif outcome is not None and outcome.startswith("tampered:"):
                what = outcome[len("tampered:"):]
                cell.outputs.append(findings.error_output("GradingTampered", what))
                findings.record(nb, kind, f"{grade_id(cell)}: tampering seen while "
                                            f"the test ran: {what}", index)
            elif outcome is None and not has_error:
                cell.outputs.append(findings.error_output(
                    "TestDidNotFinish", "this test cell did not run to its end (skipped code or a swallowed error)"))
                findings.record(nb, kind, f"{grade_id(cell)}: the test did not run to "
                                            "its end, so its code was skipped or its errors swallowed", index)

    def output(self, outs, msg, display_id, cell_index):
        """Take the completion line out of the stream, and drop output beyond the cap as it arrives."""
        kind = msg["msg_type"]
        content = msg["content"]
        if kind == "stream":
            content["text"] = self._take_verdict(content.get("text", ""), cell_index)
            if not content["text"]:
                return None
        if kind in ("stream", "display_data", "update_display_data"):
            size = len(content["text"]) if kind == "stream" else len(json.dumps(content.get("data", {})))
            used = self._sizes.get(cell_index, 0)
            self._sizes[cell_index] = used + size
            if used >= self.max_output_bytes:
                return None
            if used + size > self.max_output_bytes:
                if kind != "stream":
                    return None
                content["text"] = content["text"][: self.max_output_bytes - used] + TRUNCATED.format(
                    limit=self.max_output_bytes)
        return super().output(outs, msg, display_id, cell_index)

    def _take_verdict(self, text: str, cell_index: int) -> str:
        nonce = getattr(self, "_nonces", {}).get(cell_index)
        start = text.find(f"{nonce}:") if nonce else -1
        if start < 0:
            return text
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        self._verdicts[nonce] = text[start + len(nonce) + 1:end].strip()
        return text[:start] + text[end:]
