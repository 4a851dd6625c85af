"""Document numbers (SO-2026-000123, PN-..., SN-..., LP-...): a kernel app below the domain apps."""
