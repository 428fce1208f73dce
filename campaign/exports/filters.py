"""Reading a clipping-list filter from query arguments (the exports page, the downloads, the
API): event key, date range, outlet, tier and status."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.core.choices import TIERS
from campaign.core.values import int_param
from campaign.exports.rows import STATUS_CHOICES, ClippingFilter
from campaign.planning.models import Campaign

FILTER_ARGS = ("event", "date_from", "date_to", "outlet", "tier", "status")
STATUS_LABELS = {"accepted": _l("已确认"), "suggested": _l("待审核"), "rejected": _l("已排除"),
                 "all": _l("全部")}


class FilterError(ValueError):
    """A filter argument that cannot be read; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _date(args: Mapping[str, str], name: str) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FilterError(name, _("日期格式应为 YYYY-MM-DD：%(value)s", value=raw)) from None


def _outlet_id(args: Mapping[str, str]) -> int | None:
    raw = (args.get("outlet") or "").strip()
    if not raw:
        return None
    # isdigit() alone lets "²" through, which int() refuses.
    if not (raw.isascii() and raw.isdigit()):
        raise FilterError("outlet", _("媒体应为编号：%(value)s", value=raw))
    outlet_id = int_param(raw)
    if outlet_id is None:  # 0 or past the id column's range: no outlet has it
        raise FilterError("outlet", _("没有这个媒体：%(value)s", value=raw))
    return outlet_id


def parse_filter(campaign: Campaign, args: Mapping[str, str]) -> ClippingFilter:
    """The filter the arguments describe; FilterError on a value that is not understood."""
    event_ids: tuple[int, ...] = ()
    key = (args.get("event") or "").strip()
    if key:
        event = campaign.event_with_key(key)
        if event is None:
            raise FilterError("event", _("没有这个活动日程：%(key)s", key=key))
        event_ids = (event.id,)
    outlet_id = _outlet_id(args)
    tier = (args.get("tier") or "").strip() or None
    if tier and tier not in TIERS:
        raise FilterError("tier", _("未知的级别：%(value)s", value=tier))
    status = (args.get("status") or "accepted").strip()
    if status not in STATUS_CHOICES:
        raise FilterError("status", _("未知的状态：%(value)s", value=status))
    date_from, date_to = _date(args, "date_from"), _date(args, "date_to")
    if date_from and date_to and date_from > date_to:
        raise FilterError("date_to", _("结束日期早于开始日期。"))
    return ClippingFilter(campaign_id=campaign.id, event_ids=event_ids, date_from=date_from,
                          date_to=date_to, outlet_id=outlet_id,
                          tier=tier, status=status)


def filter_args(args: Mapping[str, str]) -> dict[str, str]:
    """The filter arguments present in `args`, to carry into download links."""
    return {name: args[name] for name in FILTER_ARGS if args.get(name)}
