"""The reasons in the words a merchandiser says, in Chinese and in English (the engine knows no
Django: the two languages are written here, not in the project's catalogue)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gendan.engines.forecast.model import Reason

#: the production app's slip reasons, as said on the floor
SLIP = {
    "plan_error": ("计划错误", "a planning error"),
    "machine": ("机器故障", "machine breakdowns"),
    "material": ("材料没跟上", "material not keeping up"),
    "quality": ("不良率高", "high defects"),
    "urgent": ("插急单", "urgent insertions"),
    "upstream": ("前制程延误", "upstream delays"),
    "staffing": ("人手不足", "staff shortages"),
}


def _day(value: object, language: str) -> str:
    assert isinstance(value, date)
    return f"{value.month}月{value.day}日" if language == "zh" else f"{value:%d %b}"


def word(reason: Reason, language: str) -> str:
    zh = language.startswith("zh")
    p = reason.params
    days = p.get("days", 0)
    if reason.code == "slow_line":
        cause = SLIP.get(str(p.get("cause", "")))
        share = round(float(p["share"]) * 100)  # type: ignore[arg-type]
        if zh:
            text = f"{p['line']}近{p['window']}天只完成计划的{share}%"
            return text + (f"（{cause[0]}）" if cause else "")
        text = f"{p['line']} made only {share}% of plan over the last {p['window']} days"
        return text + (f" ({cause[1]})" if cause else "")
    if reason.code == "material":
        what = p.get("material") or ("物料" if zh else "material")
        if not p.get("ordered", True):
            return f"{what}还没下单" if zh else f"{what} not ordered yet"
        if zh:
            return f"{what}预计晚{days}天到货（{_day(p['ready'], 'zh')}）"
        return f"{what} expected {days} days late ({_day(p['ready'], 'en')})"
    if reason.code == "outsourced":
        if zh:
            return f"外发{p['step']}预计{_day(p['back'], 'zh')}回厂"
        return f"outsourced {p['step']} expected back on {_day(p['back'], 'en')}"
    if reason.code == "queue":
        if zh:
            return f"{p['line']}前面还排着{days}天的活"
        return f"{p['line']} has {days} days of other orders ahead"
    if reason.code == "holiday":
        if zh:
            return f"{p['line']}放假{days}天"
        return f"{p['line']} is closed {days} days for holidays"
    if reason.code == "past_due":
        return "已过交期，尚未完工" if zh else "the delivery date has passed, not finished"
    if reason.code == "no_rate":
        return f"{p['step']}没有标准产能" if zh else f"{p['step']} has no standard rate"
    if reason.code == "workload":
        if zh:
            return f"剩余{p['remaining']}件，按实际产能还需{days}个工作日"
        return f"{p['remaining']} units left need {days} working days at the actual rate"
    return reason.code
