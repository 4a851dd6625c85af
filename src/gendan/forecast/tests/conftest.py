from gendan.outbox.tests.conftest import smtp  # noqa: F401  (a real local SMTP server)
