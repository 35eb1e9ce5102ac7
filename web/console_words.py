"""The console's codes in the dispatcher's words: job progress, branch alerts and the live values the page refreshes."""

from __future__ import annotations

import typing as t

from flask_babel import gettext as _
from flask_babel import ngettext

from dispatch import labels
from dispatch.planning import overview

if t.TYPE_CHECKING:
    from dispatch.jobs.runs import JobView
    from dispatch.planning.overview import Alert
    from dispatch.planning.overview import BranchRow

FINISHED = ("succeeded", "failed")


def job_words(job: JobView, lang: str) -> dict[str, t.Any]:
    """A job run for the page: its state and stage in words, never the worker's English error."""
    branch = job.key.split(":")[1] if job.key.startswith("plan:") else None
    return {
        "key": job.key,
        "kind": job.kind,
        "branch": branch,
        "state": job.state,
        "state_label": labels.label("job_state", job.state, lang),
        "stage_label": labels.label("job_stage", job.stage, lang) if job.stage and job.state not in FINISHED else "",
        "percent": job.percent,
        "finished": job.state in FINISHED,
        "error": _("It did not work. Try again; if it fails again, tell the administrator.") if job.state == "failed" else None,
    }


def alert_words(alert: Alert, lang: str) -> str:
    """One alert as a sentence: "3 left out: no courier can climb stairs"."""
    if alert.kind == "left_out":
        head = str(ngettext("%(num)d left out", "%(num)d left out", alert.count))
        return f"{head}: {labels.label('unassigned_reason', alert.reason, lang)}"
    if alert.kind == "not_planned":
        return str(ngettext("%(num)d request not planned yet", "%(num)d requests not planned yet", alert.count))
    if alert.kind == "pins_not_kept":
        return str(ngettext("%(num)d pin not kept", "%(num)d pins not kept", alert.count))
    return str(ngettext("%(num)d Yandex claim has a problem", "%(num)d Yandex claims have a problem", alert.count))


def share(value: float | None) -> str:
    """An on-time share as a percentage; a dash before the first door is served."""
    return "—" if value is None else f"{round(value * 100)}%"


def overview_live(rows: t.Sequence[BranchRow], lang: str) -> dict[str, str]:
    """The overview's refreshable cells by their ``data-live`` key."""
    totals = overview.totals(rows)
    found: dict[str, str] = {
        f"city-{name}": f"{value:g}" if isinstance(value, float) else str(value) for name, value in totals.items()
    }
    found["city-on_time_share"] = share(totals["on_time_share"])
    for row in rows:
        prefix = f"branch-{row.code}"
        found |= {
            f"{prefix}-requests": str(row.requests),
            f"{prefix}-planned": str(row.planned),
            f"{prefix}-unassigned": str(row.unassigned),
            f"{prefix}-couriers": str(row.couriers),
            f"{prefix}-yandex": str(row.yandex_routes),
            f"{prefix}-km": f"{row.km:g}",
            f"{prefix}-on-time": share(row.on_time_share),
            f"{prefix}-version": str(row.plan_version or "—"),
            f"{prefix}-alerts": "; ".join(alert_words(a, lang) for a in row.alerts) or _("No alerts"),
        }
    return found


def branch_live(board: dict[str, t.Any], lang: str) -> dict[str, str]:
    """The branch page's refreshable cells: route and claim states, each door's state, the day's figures."""
    found: dict[str, str] = {"version": str(board["plan"]["version"]) if board["plan"] else ""}
    for route in board["routes"]:
        found[f"route-{route['id']}-status"] = labels.label("route_status", route["status"], lang)
        claim = board["claims"].get(route["id"])
        if claim:
            found[f"route-{route['id']}-claim"] = ", ".join(
                dict.fromkeys(labels.as_words("claim_status", claim["statuses"], lang))
            )
        for stop in route["stops"]:
            found[f"stop-{stop['id']}-state"] = stop_state(stop, lang)
    figures = board["figures"]
    found |= {
        "fig-requests": str(figures["requests"]),
        "fig-delivered": str(figures["delivered"]),
        "fig-failed": str(figures["failed"]),
        "fig-on-time": share(figures["on_time_share"]),
        "fig-km": f"{figures['km']:g}",
        "fig-cost": f"{figures['yandex_cost_kzt']} ₸",
    }
    return found


def stop_state(stop: dict[str, t.Any], lang: str) -> str:
    """What happened at a door (with the courier's reason for a failed one), else the request's status."""
    if stop["outcome"]:
        words = labels.label("stop_outcome", stop["outcome"], lang)
        if stop.get("outcome_reason"):
            words += f": {labels.label('failure_reason', stop['outcome_reason'], lang)}"
        return words
    return labels.label("request_status", stop["status"], lang)
