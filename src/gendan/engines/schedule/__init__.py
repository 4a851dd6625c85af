"""The weekly schedule (每周主生产计划): plain data in, plain data out, no Django.

``edd_schedule`` is the constructive schedule (earliest due date first, list scheduling), what a
page shows at once; ``improve`` has CP-SAT improve it within a time limit, never making it worse;
``validate`` checks any schedule independently; ``move`` is the planner's hand move with its
effect on the due dates or the reason it is refused.
"""

from gendan.engines.schedule.constructive import edd_schedule
from gendan.engines.schedule.cpsat import improve
from gendan.engines.schedule.model import (
    Block,
    Horizon,
    Line,
    Problem,
    Schedule,
    SolverReport,
    Step,
    StepPlan,
    StepRef,
    WorkOrder,
    WorkOrderPlan,
)
from gendan.engines.schedule.moves import DueDateEffect, MoveResult, Refusal, move
from gendan.engines.schedule.validation import validate

__all__ = [
    "Block",
    "DueDateEffect",
    "Horizon",
    "Line",
    "MoveResult",
    "Problem",
    "Refusal",
    "Schedule",
    "SolverReport",
    "Step",
    "StepPlan",
    "StepRef",
    "WorkOrder",
    "WorkOrderPlan",
    "edd_schedule",
    "improve",
    "move",
    "validate",
]
