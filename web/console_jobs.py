"""The console's background work: planning and Yandex booking never run inside the dispatcher's request.

With RQ (production) a submitted job is queued and the page follows its progress. With inline jobs
(``DISPATCH_JOBS=inline``: the demo, the tests) :func:`dispatch.jobs.runner.submit` would run the job
inside the request and hold the browser for the whole solve; here the run is recorded first and then
handed to one background thread of the web process, so the page answers at once and polls the same
progress records as with RQ. Jobs run one after another on that thread (planning is CPU-bound).
"""

from __future__ import annotations

import logging
import queue
import threading
import typing as t
import uuid

from couriers.yandex.jobs import BOOK_JOB
from couriers.yandex.jobs import book_yandex_route
from couriers.yandex.jobs import bookable_routes
from dispatch.jobs import runs
from dispatch.jobs.runner import enqueue
from dispatch.jobs.runner import submit
from dispatch.jobs.tasks import PLAN_JOB
from dispatch.jobs.tasks import plan_branch
from dispatch.planning.service import branches_with_work

if t.TYPE_CHECKING:
    from datetime import date

    from dispatch.context import Context
    from dispatch.jobs.runner import JobFunction

log = logging.getLogger(__name__)
Work = tuple["Context", "JobFunction", str, dict[str, t.Any]]

_work: queue.Queue[Work] = queue.Queue()
_lock = threading.Lock()
_thread: threading.Thread | None = None


def _drain() -> None:
    while True:
        ctx, function, key, arguments = _work.get()
        try:
            enqueue(ctx, function, key=key, **arguments)
        except Exception:  # recorded by the job's own tracking; the thread goes on with the next
            log.exception("background job %s failed", key)
        finally:
            _work.task_done()


def _start_thread() -> None:
    global _thread
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_drain, name="console-jobs", daemon=True)
            _thread.start()


def in_background(ctx: Context, function: JobFunction, *, key: str, kind: str, **arguments: t.Any) -> str:
    """Submit a job so that the caller returns at once; returns its key (follow it with :func:`dispatch.jobs.runs.get`)."""
    if ctx.settings.jobs.mode != "inline":
        return submit(ctx, function, key=key, kind=kind, **arguments).key
    _, fresh = runs.register(ctx, key, kind, arguments)
    if fresh:
        _start_thread()
        _work.put((ctx, function, key, arguments))
    return key


def plan_in_background(ctx: Context, day: date, *, branch: str | None = None, actor: str) -> list[str]:
    """One planning job per branch with work (or the one ``branch``), as :func:`dispatch.jobs.tasks.submit_plans` keys them."""
    nonce = uuid.uuid4().hex[:12]
    codes = [branch] if branch else branches_with_work(ctx, day)
    return [
        in_background(
            ctx,
            plan_branch,
            key=f"plan:{code}:{day.isoformat()}:{nonce}",
            kind=PLAN_JOB,
            branch=code,
            day=day.isoformat(),
            actor=actor,
        )
        for code in codes
    ]


def book_in_background(ctx: Context, day: date, branch: str, *, route_id: int | None, confirm: bool, actor: str) -> list[str]:
    """One booking job per Yandex route to book (the one ``route_id``, or every one of the branch's day)."""
    nonce = uuid.uuid4().hex[:12]
    route_ids = [route_id] if route_id is not None else bookable_routes(ctx, day, branch)
    return [
        in_background(
            ctx,
            book_yandex_route,
            key=f"yandex-book:{rid}:{nonce}",
            kind=BOOK_JOB,
            route_id=rid,
            confirm=confirm,
            actor=actor,
        )
        for rid in route_ids
    ]


def wait_for_background() -> None:
    """Block until every queued background job has run (for tests and an orderly shutdown)."""
    _work.join()
