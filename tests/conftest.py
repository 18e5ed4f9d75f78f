"""Every test runs against the test profile; the environment is set before anything reads it."""

from __future__ import annotations

import os

from tests.support.env import TEST_ENV

os.environ.update(TEST_ENV)
