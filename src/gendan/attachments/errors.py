"""Stable error codes of attachments (the API's `code`)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    NO_FILE = "no_file"
    EMPTY_FILE = "empty_file"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE_NOT_ALLOWED = "file_type_not_allowed"
    FILE_TYPE_MISMATCH = "file_type_mismatch"
    IMAGE_UNREADABLE = "image_unreadable"
    NOT_ATTACHABLE = "not_attachable"
    ALREADY_REMOVED = "already_removed"
