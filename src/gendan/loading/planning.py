"""From shipping-notice lines to the engine's plain data and back: what a loading plan stores.

The engine (``engines/container``) knows cartons and containers in millimetres; this module
turns products and container types into that, runs it, and keeps the result as JSON on the
``LoadingPlan``, one entry per container:

    {"index": 1, "type_code": "40HQ", "type_name": ..., "length": ..., "width": ..., "height": ...,
     "max_payload_kg": ..., "volume_utilisation": 0.91, "weight_kg": ..., "weight_utilisation": ...,
     "balance_offset_mm": ..., "loaded": {"<item index>": cartons},
     "placements": [{"item", "x", "y", "z", "dx", "dy", "dz", "wall", "seq"}],
     "walls": [{"number", "x_from", "x_to", "count", "text_zh", "text_en",
                "steps": [{"item", "count", "text_zh", "text_en"}]}]}

and ``left_behind`` as ``[{"item", "cartons", "reason"}]`` (reason: ``no_room``, ``door``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gendan.engines.container import CartonType, Container, Plan, plan_container
from gendan.engines.container.sequence import loading_sequence
from gendan.engines.container.shipment import plan_shipment
from gendan.loading.models import ContainerType

Progress = Callable[[float], None]


def mm(cm: Decimal) -> int:
    return int((Decimal(cm) * 10).to_integral_value())


def container_of(ct: ContainerType) -> Container:
    return Container(
        ct.inside_length_mm,
        ct.inside_width_mm,
        ct.inside_height_mm,
        name=ct.code,
        max_payload=float(ct.max_payload_kg),
        balance_tolerance=(
            float(ct.balance_tolerance_mm) if ct.balance_tolerance_mm is not None else None
        ),
        cost=float(ct.cost),
    )


@dataclass(frozen=True)
class Cargo:
    """Cartons of one item, described for the engine."""

    item: int
    key: str
    label: str
    length_mm: int
    width_mm: int
    height_mm: int
    cartons: int
    weight_kg: float
    upright_only: bool
    stack_limit: int | None
    max_load_kg: float | None
    fragile: bool
    priority: int
    group: str

    def carton_type(self, quantity: int | None = None) -> CartonType:
        return CartonType(
            self.key,
            self.length_mm,
            self.width_mm,
            self.height_mm,
            self.cartons if quantity is None else quantity,
            weight=self.weight_kg,
            vertical=(False, False, True) if self.upright_only else (True, True, True),
            stack_limit=self.stack_limit,
            max_load=self.max_load_kg,
            fragile=self.fragile,
            priority=self.priority,
            group=self.group,
            label=self.label,
        )

    def fits_door(self, ct: ContainerType) -> bool:
        """Whether some allowed way of carrying it in passes the door (cross-section y x z)."""
        return any(
            dy <= ct.door_width_mm and dz <= ct.door_height_mm
            for _dx, dy, dz in self.carton_type(1).orientations()
        )


def run_plan(
    cargo: list[Cargo],
    types: list[ContainerType],
    *,
    single: bool,
    time_limit: float,
    seed: int = 0,
    progress: Progress | None = None,
    drops: list[str] | None = None,
    workers: int = 1,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Plan one container of ``types[0]`` (``single``) or the cheapest set of the given types;
    returns the stored ``containers`` and ``left_behind``. ``drops``: the cargo's groups in
    delivery order, to keep each group's cartons together (the last drop loaded first)."""
    left_behind: list[dict[str, Any]] = []
    loadable: list[Cargo] = []
    for c in cargo:
        if any(c.fits_door(ct) for ct in types):
            loadable.append(c)
        else:
            left_behind.append({"item": c.item, "cartons": c.cartons, "reason": "door"})
    cartons = [c.carton_type() for c in loadable]
    plans: list[tuple[Plan, ContainerType]] = []
    if cartons:
        by_code = {ct.code: ct for ct in types}
        if single:
            plan = plan_container(
                container_of(types[0]),
                cartons,
                time_limit=time_limit,
                seed=seed,
                progress=_engine_progress(progress),
                group_order=drops,
                workers=workers,
            )
            plans.append((plan, types[0]))
            rest = plan.left_behind
        else:
            # every container of the set tries each type: the time limit is shared among them
            shipment = plan_shipment(
                [container_of(ct) for ct in types],
                cartons,
                time_limit=max(1.0, time_limit / max(1, len(types))),
                seed=seed,
                progress=_engine_progress(progress),
                group_order=drops,
                workers=workers,
            )
            plans.extend((p, by_code[p.container.name]) for p in shipment.plans)
            rest = shipment.unloadable
        for k, n in sorted(rest.items()):
            left_behind.append({"item": loadable[k].item, "cartons": n, "reason": "no_room"})
    index_of = [c.item for c in loadable]
    containers = [
        container_result(n, plan, ct, index_of) for n, (plan, ct) in enumerate(plans, start=1)
    ]
    left_behind.sort(key=lambda row: row["item"])
    return containers, left_behind


def _engine_progress(progress: Progress | None) -> Any:
    if progress is None:
        return None

    def report(figures: dict[str, float]) -> None:
        progress(min(0.99, float(figures.get("fraction", 0.0))))

    return report


def container_result(
    index: int, plan: Plan, ct: ContainerType, item_of: list[int]
) -> dict[str, Any]:
    """One planned container as stored: its placements in loading order, walls and figures."""
    walls = loading_sequence(plan)
    wall_of: dict[int, int] = {}
    seq_of: dict[int, int] = {}
    seq = 0
    for wall in walls:
        for step in wall.steps:
            for p in step.placements:
                wall_of[p] = wall.number
                seq_of[p] = seq
                seq += 1
    placements = [
        {
            "item": item_of[p.carton],
            "x": p.x,
            "y": p.y,
            "z": p.z,
            "dx": p.dx,
            "dy": p.dy,
            "dz": p.dz,
            "wall": wall_of[i],
            "seq": seq_of[i],
        }
        for i, p in enumerate(plan.placements)
    ]
    placements.sort(key=lambda row: row["seq"])
    loaded: dict[str, int] = {}
    for row in placements:
        loaded[str(row["item"])] = loaded.get(str(row["item"]), 0) + 1
    cog = plan.centre_of_gravity_x
    return {
        "index": index,
        "type_code": ct.code,
        "type_name": ct.name,
        "length": ct.inside_length_mm,
        "width": ct.inside_width_mm,
        "height": ct.inside_height_mm,
        "max_payload_kg": ct.max_payload_kg,
        "volume_utilisation": round(plan.utilisation, 4),
        "weight_kg": round(plan.weight, 2),
        "weight_utilisation": round(plan.weight / ct.max_payload_kg, 4),
        "balance_offset_mm": None if cog is None else round(cog - ct.inside_length_mm / 2),
        "loaded": loaded,
        "placements": placements,
        "walls": [
            {
                "number": w.number,
                "x_from": w.x_from,
                "x_to": w.x_to,
                "count": w.count,
                "text_zh": w.description_zh(),
                "text_en": w.description_en(),
                "steps": [
                    {
                        "item": item_of[s.carton],
                        "count": s.count,
                        "text_zh": s.words_zh(),
                        "text_en": s.words_en(),
                    }
                    for s in w.steps
                ],
            }
            for w in walls
        ],
    }


def cartons_for(quantity: int, units_per_carton: int) -> int:
    return math.ceil(quantity / max(1, units_per_carton))
