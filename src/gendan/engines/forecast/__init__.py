"""The delivery-risk forecast (交期风险预测): plain data in, plain data out, no Django.

``forecast_orders`` answers, for each open order, the expected finish of each step and the
expected shipment, the margin in working days against the delivery date, the risk (on time / at
risk / late) and the reasons in the merchandiser's words (``Reason.text("zh"|"en")``).
"""

from gendan.engines.forecast.engine import Pace, forecast_orders, pace_of
from gendan.engines.forecast.model import (
    Calendar,
    Chain,
    DayReport,
    Forecast,
    Line,
    OrderInput,
    Reason,
    Risk,
    Settings,
    Step,
    StepForecast,
)

__all__ = [
    "Calendar",
    "Chain",
    "DayReport",
    "Forecast",
    "Line",
    "OrderInput",
    "Pace",
    "Reason",
    "Risk",
    "Settings",
    "Step",
    "StepForecast",
    "forecast_orders",
    "pace_of",
]
