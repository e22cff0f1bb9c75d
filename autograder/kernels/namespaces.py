"""Give a kernel forked inside the fork server's sandbox its own user, mount, PID, network, IPC and UTS namespaces.

``enter(own, hide)`` is called in a freshly forked kernel process of
``autograder.kernels.forkserver`` (already inside ``bwrap``, see
``autograder.kernels.jail``). The order of the steps matters:

1. a new user namespace (the process gets capabilities over its own
   namespaces only; every mount it inherits becomes locked: it can neither
   unmount what hides other kernels nor make a read-only view writable) with
   mount, PID, network, IPC and UTS namespaces;
2. a fresh tmpfs on ``/tmp`` (so filling it fills only its own) and on
   ``hide`` (every other kernel's folder), with its own folder bound back;
3. a second fork, since a PID namespace applies to children only: the child is
   PID 1 of the new namespace and dies with its parent (``PR_SET_PDEATHSIG``);
   the parent waits for it and ends the way it ended, so the supervisor sees
   the kernel's exit;
4. in PID 1: a fresh ``/proc``, no further user namespaces, read-only
   ``/proc/sys``, a private ``/dev/shm``, loopback up, the process-count limit
   (counted per user namespace, so kernels do not share it), no capabilities
   and no new privileges.

Killing PID 1 (or its parent, the process the supervisor waits for) kills
everything in the namespace, daemons included.

Python 3.11 has no ``os.unshare``: ``ctypes`` calls libc. Linux only.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
import signal

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 4, 24, 38
INNER_UID = 1000

_libc = None


def libc():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        _libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_void_p]
    return _libc


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def unshare(flags: int) -> None:
    if hasattr(os, "unshare"):  # Python >= 3.12
        os.unshare(flags)
    else:
        _check(libc().unshare(ctypes.c_int(flags)), "unshare")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(libc().mount(source.encode() if source else None, target.encode(), fstype.encode() if fstype else None,
                        flags, data.encode() if data else None), f"mount {source} on {target}")


def prctl(option: int, value: int = 0) -> None:
    _check(libc().prctl(option, ctypes.c_ulong(value), 0, 0, 0), f"prctl {option}")


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def drop_capabilities() -> None:
    """An empty bounding set, no capabilities, no new privileges."""
    for cap in range(64):
        if libc().prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    _check(libc().capset(ctypes.byref(Header(0x20080522, 0)), (Data * 2)()), "capset")
    prctl(PR_SET_NO_NEW_PRIVS, 1)


def _mirror(child: int) -> None:
    """In the intermediate process: wait for PID 1 of the new namespace and end as it ended.

    An interrupt (SIGINT to the process group) is for the kernel; SIGTERM or
    SIGKILL end this process, and with it the namespace.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        signal.signal(sig, signal.SIG_DFL)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.kill(os.getpid(), sig)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def enter(own: str, hide: str, max_processes: int, tmp_size: str = "256m",  # jail.TMP_BYTES
          read_only: tuple[str, ...] = ()) -> None:
    """Move this (freshly forked) process into namespaces of its own; returns in PID 1 of them.

    Args:
        own: The kernel's private folder (kept, writable).
        hide: The folder of every kernel's private folder (hidden but ``own``).
        max_processes: ``RLIMIT_NPROC`` inside the kernel's user namespace (0: none).
        tmp_size: Size of the private ``/tmp`` and ``/dev/shm``.
        read_only: Folders the sandbox shows read-only (the Python environment,
            the course code); those under ``/tmp`` are kept through the
            private ``/tmp``, so a venv made there still imports.
    """
    uid, gid = os.geteuid(), os.getegid()
    prctl(PR_SET_DUMPABLE, 1)  # the fork server is undumpable; writing our own uid_map needs this
    unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{INNER_UID} {uid} 1")
    _write("/proc/self/gid_map", f"{INNER_UID} {gid} 1")
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    keep = os.open(own, os.O_PATH | os.O_DIRECTORY)  # opened in the new mount namespace: usable as a bind source
    under_tmp = {path: os.open(path, os.O_PATH | os.O_DIRECTORY)
                 for path in read_only if path.startswith("/tmp/") and os.path.isdir(path)}
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={tmp_size}")
    for path, fd in under_tmp.items():
        os.makedirs(path, 0o755, exist_ok=True)
        mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        os.close(fd)
        try:
            mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
        except OSError:  # the files are the grader's, not the kernel's: it still cannot write them
            pass
    if not (hide.rstrip("/") + "/").startswith("/tmp/"):
        mount("tmpfs", hide, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k")
    os.makedirs(own, 0o755, exist_ok=True)
    mount(f"/proc/self/fd/{keep}", own, None, MS_BIND | MS_REC)
    os.close(keep)
    child = os.fork()
    if child:
        _mirror(child)
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    try:
        _write("/proc/sys/user/max_user_namespaces", "0")
    except OSError:
        pass
    for path in ("/proc/sys", "/proc/sysrq-trigger"):
        if os.path.exists(path):
            mount(path, path, None, MS_BIND | MS_REC)
            mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
    if os.path.isdir("/dev/shm"):
        mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={tmp_size}")
    _loopback_up()
    if max_processes > 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (max_processes, max_processes))
    drop_capabilities()


def _loopback_up() -> None:
    import fcntl
    import socket
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s, 0x8914, struct.pack("16sH", b"lo", 0x1 | 0x40))  # SIOCSIFFLAGS: IFF_UP | IFF_RUNNING
