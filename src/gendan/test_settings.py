"""The test settings: the real settings plus the test app that exercises every extension point."""

from gendan.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "gendan.testapp"]  # noqa: F405
