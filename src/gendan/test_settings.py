"""The test settings: the real settings plus the test app that exercises every extension point."""

import os

# The settings refuse to load without a secret key when DEBUG is off (as the tests run).
os.environ.setdefault("GENDAN_SECRET_KEY", "test-only-key-" + "k" * 40 + "-not-for-production")

from gendan.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "gendan.testapp"]  # noqa: F405
