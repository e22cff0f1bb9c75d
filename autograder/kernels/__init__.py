"""The kernels that grade notebooks: started in a sandbox, forked from a warm process, watched by a guard.

- ``manager``: ``SandboxedKernelManager``, the kernel manager of grading runs;
- ``sandbox``: the supervisor every grading kernel runs under (limits, clean-up, a report on how it ended);
- ``forkserver``: the process that imported TensorFlow once and forks a fresh kernel per notebook;
- ``forkserver_client``: the grader's side of it (``ForkServerClient``);
- ``guard``: the kernel-side tripwire that tells the grader a test cell ran to its end, untampered.
"""
