"""The static scan of student code: what an answer to a course exercise never needs, found before anything runs.

- ``rules``: the classes of tampering (imports, builtins, introspection, fake
  values, monkeypatching, grading detection, the answer key) and what they
  need to know about a notebook (``Context``, ``learn``);
- ``scanner``: parses a cell as IPython runs it and applies the rules
  (``parse``, ``scan``);
- ``answer_key``: every path from ``helpers`` into the reference answers.

``autograder.preprocessors.scan.ScanStudentCode`` runs it on every student
cell in the sanitize step; what it finds becomes an integrity flag.
"""
