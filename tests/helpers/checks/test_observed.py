"""Observations survive the trip from the kernel to the judge: Jupyter's JSON messages, then ``decode``."""
from __future__ import annotations

import math

import numpy as np
import pytest
from jupyter_client.session import json_packer, json_unpacker

from helpers.checks.observed import decode, encode


def _through_jupyter(value):
    return decode(json_unpacker(json_packer(encode(value))))


def test_non_finite_floats_stay_floats():
    """Is nan in a list of Python floats still nan for the judge (Jupyter's JSON makes it the string 'nan')?"""
    back = _through_jupyter({"gap": [0.25, float("nan"), np.float32("inf"), -math.inf]})
    assert math.isnan(back["gap"][1]) and back["gap"][2:] == [math.inf, -math.inf]


def test_arrays_keep_dtype_shape_and_values():
    value = np.arange(6, dtype="float32").reshape(2, 3)
    value[0, 0] = np.nan
    back = _through_jupyter({"a": value, "scalar": np.array(2.5)})
    assert back["a"].dtype == np.float32 and back["a"].shape == (2, 3) and np.isnan(back["a"][0, 0])
    assert back["scalar"].shape == () and float(back["scalar"]) == 2.5


@pytest.mark.parametrize("forged", [{"__float__": "1e400"}, {"__float__": "__import__('os')"}])
def test_malformed_floats_are_refused(forged):
    with pytest.raises(ValueError):
        decode(forged)


def test_a_notebooks_checks_may_span_topic_modules():
    """Is a check declared in ``nbNN_topic.py`` registered, and found by the coverage scan, as ``nbNN.name``?"""
    from autograder.judge.coverage import observed_checks
    from helpers.checks.observed import notebook_module

    assert notebook_module("nb08_saving") == "nb08" and notebook_module("nb08") == "nb08"
    assert "nb08.train_with_checkpoint" in observed_checks()
    assert not any(name.startswith("nb08_") for name in observed_checks())
