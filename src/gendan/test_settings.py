"""The test settings: the real settings plus the test app that exercises every extension point."""

import os

# The settings refuse to load without a secret key when DEBUG is off (as the tests run).
os.environ.setdefault("GENDAN_SECRET_KEY", "test-only-key-" + "k" * 40 + "-not-for-production")

from gendan.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "gendan.testapp"]  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # The test database is a file (one per test process), not Django's shared-cache memory
    # database: in shared-cache mode a second connection (the live server's, a worker thread's)
    # that meets a table lock fails at once with "database table is locked", where a file in WAL
    # mode waits for the lock under the busy timeout as the demo and production do.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    }
