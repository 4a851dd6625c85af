"""Container loading (装柜/配载): plain data in, plain data out, no Django.

``plan_container`` answers one container; ``plan_shipment`` answers how many containers of which
types a shipment needs; ``loading_sequence`` turns a plan into walls the crew loads in order.
Every plan is checked by ``validate_plan`` before it leaves the engine.
"""

from gendan.engines.container.model import CartonType, Container, Placement, Plan
from gendan.engines.container.planner import plan_container
from gendan.engines.container.validation import (
    PlanValidationError,
    Violation,
    assert_valid,
    validate_plan,
)

__all__ = [
    "CartonType",
    "Container",
    "Placement",
    "Plan",
    "PlanValidationError",
    "Violation",
    "assert_valid",
    "plan_container",
    "validate_plan",
]
