"""Record codes that survive a URL: a customer's or a product's code is a path segment
(/customers/<code>, /api/v1/products/<code>), so it holds letters, digits, "-", "_" and "."
only, and starts with a letter or a digit ("A/B" could never be read back; ".." neither)."""

from __future__ import annotations

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

#: the pattern, as published in the OpenAPI document and checked by the services
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_CODE = re.compile(CODE_PATTERN)

CODE_MESSAGE = _(
    "A code holds only letters, digits, “-”, “_” and “.”, and starts with a letter or a digit."
)

#: the model fields' validator (the admin's forms)
code_validator = RegexValidator(CODE_PATTERN, CODE_MESSAGE, code="invalid_code")


def is_valid_code(code: str) -> bool:
    return bool(_CODE.match(code))
