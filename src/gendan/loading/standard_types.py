"""The common container and truck types every company starts with (sizes in mm, payload in kg).

Inside sizes and doors are the usual ISO dry-container figures; the trucks are the 9.6 m box
truck and the 4.2 m van of domestic delivery. Cost is a relative freight figure for choosing
the cheapest set; companies change it to their own rates. The initial data migration and the
demo both call ``ensure_standard_types``.
"""

from __future__ import annotations

from typing import Any

STANDARD_TYPES = [
    # code, name, kind, inside L, W, H, door W, H, payload, cost
    ("20GP", "20' GP 20尺普柜", "container", 5898, 2352, 2393, 2343, 2280, 28200, 3000),
    ("40GP", "40' GP 40尺普柜", "container", 12032, 2352, 2393, 2340, 2280, 26700, 4500),
    ("40HQ", "40' HQ 40尺高柜", "container", 12032, 2352, 2698, 2340, 2585, 26500, 4800),
    ("45HQ", "45' HQ 45尺高柜", "container", 13556, 2352, 2698, 2340, 2585, 27700, 5800),
    (
        "TRUCK-9.6",
        "9.6 m box truck 9.6米厢式货车",
        "truck",
        9500,
        2300,
        2500,
        2300,
        2400,
        18000,
        2500,
    ),
    ("VAN-4.2", "4.2 m van 4.2米厢式货车", "truck", 4100, 2000, 1900, 1900, 1800, 2000, 800),
]


def ensure_standard_types(model: Any) -> None:
    """Create the standard types that are missing; never change one a company edited.
    ``model`` is the ContainerType class (the historical one inside a migration)."""
    for code, name, kind, length, width, height, door_w, door_h, payload, cost in STANDARD_TYPES:
        model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "inside_length_mm": length,
                "inside_width_mm": width,
                "inside_height_mm": height,
                "door_width_mm": door_w,
                "door_height_mm": door_h,
                "max_payload_kg": payload,
                # the load's centre of gravity within a tenth of the length from the middle
                "balance_tolerance_mm": length // 10,
                "cost": cost,
            },
        )
