"""``tfcourse start``, and the package as a student or instructor installs it: a wheel in a fresh venv."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile

import pytest

from autograder.paths import COURSE, REPO
from tests.autograder.cli_runner import tfcourse

NB01 = "01-training-steps"


def test_start_copies_the_notebooks_and_never_overwrites_work(tmp_path):
    """Are the ten notebooks copied into the student's folder, a second start keeping their work, with the next command?"""
    folder = tmp_path / "mine"
    code, out, _ = tfcourse("start", str(folder))
    assert code == 0 and "copied 10 notebook(s)" in out
    assert f"cd {folder} && jupyter lab" in out and f"tfcourse check 01 {folder / NB01 / NB01}.ipynb" in out
    assert (folder / NB01 / f"{NB01}.ipynb").read_text() == (COURSE / NB01 / f"{NB01}.ipynb").read_text()
    (folder / NB01 / f"{NB01}.ipynb").write_text("my work")
    code, out, _ = tfcourse("start", str(folder))
    assert "copied 0 notebook(s)" in out and "kept your own copy of: 01-training-steps" in out
    assert (folder / NB01 / f"{NB01}.ipynb").read_text() == "my work"


def test_source_must_hold_assignments(tmp_path):
    """Is a --source folder without assignment folders refused in one line?"""
    code, _, err = tfcourse("--source", str(tmp_path), "--course-root", str(tmp_path / "root"), "release", "01")
    assert code == 1 and "holds no assignment folder" in err and err.count("\n") == 1


@pytest.mark.slow
@pytest.mark.nbgrader
def test_wheel_in_a_fresh_venv_runs_from_an_unrelated_folder(tmp_path):
    """Built as a wheel and installed in a fresh venv, do start, check and demo work by absolute path, unactivated?

    The venv uses --system-site-packages so that TensorFlow, nbgrader and
    JupyterLab are not downloaded again (the test is offline); tfcourse itself
    is installed into the venv, and the test asserts it is imported from there.
    """
    began = time.monotonic()
    dist, venv, elsewhere = tmp_path / "dist", tmp_path / "venv", tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = lambda *cmd, **kw: subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)  # noqa: E731
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(REPO))
    assert built.returncode == 0, built.stderr[-2000:]
    assert run(sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)).returncode == 0
    python, tf = str(venv / "bin" / "python"), str(venv / "bin" / "tfcourse")
    wheel = next(dist.glob("tfcourse-*.whl"))
    assert "helpers/datasets/digits.npz" in zipfile.ZipFile(wheel).namelist()  # the data set every notebook loads
    installed = run(python, "-m", "pip", "install", "--no-deps", "--no-index", "--force-reinstall", str(wheel))
    assert installed.returncode == 0, installed.stderr[-2000:]
    # The venv is not activated. nbconvert's templates (feedback pages) lie in the data folder of the
    # prefix that installed nbconvert: the system's, seen through --system-site-packages, not the venv's.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home"), "LANG": "C.UTF-8",
           "JUPYTER_PATH": os.path.join(sys.prefix, "share", "jupyter")}
    where = run(python, "-c", "import autograder, autograder.paths as p; print(autograder.__file__); print(p.SOLUTIONS)",
                cwd=elsewhere, env=env)
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr
    assert "share/tfcourse/solutions" in where.stdout
    assert (venv / "etc" / "jupyter" / "nbgrader_config.py").is_file()  # the formgrader at a clone's root
    no_sklearn = ("import sys; sys.modules['sklearn'] = None; import helpers.data as d; "
                  "print(d.__file__, len(d.load_digits().x_train))")  # scikit-learn is no run-time dependency
    digits = run(python, "-c", no_sklearn, cwd=elsewhere, env=env)
    assert digits.stdout.startswith(str(venv)) and digits.stdout.split()[-1] == "1077", digits.stdout + digits.stderr
    started = run(tf, "start", cwd=elsewhere, env=env)
    assert started.returncode == 0, started.stderr
    assert (elsewhere / "tf-course" / NB01 / f"{NB01}.ipynb").is_file()
    checked = run(tf, "check", "01", cwd=elsewhere, env=env)
    assert "not answered yet" in checked.stdout, checked.stdout + checked.stderr[-2000:]  # the blank copy
    demo = run(tf, "demo", "--notebooks", "01", "--workers", "1", cwd=elsewhere, env=env)
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-3000:]
    assert "demo: every grade is as expected" in demo.stdout
    print(f"wheel build, venv, install, start, check and demo 01: {time.monotonic() - began:.0f} s")


@pytest.mark.nbgrader
def test_release_from_an_instructors_own_copy(tmp_path):
    """With --source, is the student notebook generated from that copy, into the course root, and course/ untouched?"""
    import shutil

    from autograder import paths

    mine = tmp_path / "my-solutions"
    shutil.copytree(paths.SOLUTIONS / NB01, mine / NB01)
    nb = mine / NB01 / f"{NB01}.ipynb"
    nb.write_text(nb.read_text().replace("Learning goals", "Learning goals (my edition)", 1))
    before = (COURSE / NB01 / f"{NB01}.ipynb").read_text()
    saved = (paths.SOLUTIONS, paths.COURSE, os.environ.get("TFCOURSE_SOURCE"), os.environ.get("TFCOURSE_RELEASE"))
    try:
        code, out, err = tfcourse("--source", str(mine), "--course-root", str(tmp_path / "root"), "release", "01")
    finally:
        paths.SOLUTIONS, paths.COURSE = saved[:2]
        for key, value in zip(("TFCOURSE_SOURCE", "TFCOURSE_RELEASE"), saved[2:]):
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    assert code == 0, err
    released = tmp_path / "root" / "release" / NB01 / f"{NB01}.ipynb"
    assert "(my edition)" in released.read_text()
    assert (COURSE / NB01 / f"{NB01}.ipynb").read_text() == before


@pytest.mark.slow
def test_editable_install_carries_the_lab_config(tmp_path):
    """Does `pip install -e .` (the README's command) install etc/jupyter/nbgrader_config.py, which setuptools skips?"""
    built = subprocess.run(
        [sys.executable, "-c", f"import build_backend; build_backend.build_editable({str(tmp_path)!r})"],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO / "autograder")}, capture_output=True, text=True,
        timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    names = zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist()
    assert any(n.endswith(".data/data/etc/jupyter/nbgrader_config.py") for n in names)
