"""The answer key: reference implementations of the exercises, one module per notebook.

``helpers.reference.nb07.train_step`` is what notebook 07's exercise asks a
student to write. The checks (``helpers.checks``) compare students' answers
with these, and later notebooks build on some of them (a model from 01, a
pipeline from 03). Notebooks' test cells never import from here, and the
grader flags a submission that does.
"""
