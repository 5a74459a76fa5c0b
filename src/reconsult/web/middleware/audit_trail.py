"""Write the audit entry a case request queued, once its answer's status code is known.

:func:`reconsult.web.access.guard.guard` decides who may reach a case and
leaves a :class:`~reconsult.web.access.guard.PendingAudit` on the request;
this middleware, wrapped around the app, writes it with the status the
answer got (a refused change is logged as refused). An answer that fails
with an error is logged as 500.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reconsult.accounts.audit import AuditEntry, record_access
from reconsult.web.access.guard import PendingAudit

__all__ = ["AuditTrailMiddleware"]


class AuditTrailMiddleware:
    """After each request, write the audit entry it queued (if it reached a case)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            pending = scope.get("state", {}).get("audit")
            if isinstance(pending, PendingAudit):
                state = scope["app"].state.reconsult
                await anyio.to_thread.run_sync(_write, state, pending, status)


def _write(state: object, pending: PendingAudit, status: int) -> None:
    entry = AuditEntry(
        at=state.now(),  # type: ignore[attr-defined]
        case_id=pending.case_id,
        case_title=pending.access.case_title,
        actor=pending.actor,
        clinic=pending.access.clinic_name,
        action=pending.action,
        what=pending.what,
        status=status,
    )
    record_access(
        state.database,  # type: ignore[attr-defined]
        entry,
        owner_id=pending.access.owner_id,
        actor_id=pending.actor_id,
    )
