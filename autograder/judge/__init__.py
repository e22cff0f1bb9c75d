"""Judge test cells outside the student's kernel, from the values the student's functions returned.

Under grading, each check in a test cell only *observes* the student's function
in the kernel and publishes the observation (``helpers.checks.observed``).
``autograder.preprocessors.JudgeObservations`` hands each test cell's source
(the grader's copy, hidden tests included) and its observations to a judge
process (``server``), started once per grading process by ``client``. The judge
replays the test cell with a recorder in place of ``helpers.checks`` to learn
which checks it calls with which arguments, pairs each call with one
observation, and compares it with the reference. TensorFlow runs only in the
judge process, never in the grading process that forks the kernels.
"""
