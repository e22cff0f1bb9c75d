"""Settings shared by every test: a headless matplotlib and a quiet TensorFlow."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import helpers  # noqa: E402,F401 - sets TensorFlow's quiet environment before anything imports it
