"""JSON API under /api/v1: assess a case, list the procedures."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Request
from fastapi.responses import Response

from reconsult.errors import CaseInputError
from reconsult.triage import assess
from reconsult.triage.models import Assessment
from reconsult.web.api_models import CaseIn, ProcedurePublic, procedure_public

router = APIRouter(prefix="/api/v1", tags=["api"])

# Both error shapes match FastAPI's own HTTPValidationError, so clients parse one format.
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such procedure"}}
BAD_BODY: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body could not be read (for example, it is not UTF-8 JSON)"}
}


@router.post(
    "/assessments",
    response_model=Assessment,
    responses=BAD_BODY,
    summary="Assess a case",
    description=(
        "Send the procedure, the days since it (if known) and the person's own words, "
        "and, if they were asked, the answers to the procedure's danger questions in "
        "`signs` (GET /api/v1/procedures/{code} lists them with the days each is asked); "
        "get back how urgent it is, the options, the reasons quoting their words, and the "
        "sources. The answer counts days from the server's date."
    ),
)
async def create_assessment(request: Request, case: Annotated[CaseIn, Body()]) -> Response:
    """Assess one case as of today's date.

    ``async``: assess() is pure CPU (a few ms) with no I/O, so it runs on the event loop;
    a threadpool only adds GIL hand-offs (measured: 2 workers kept 1.3-1.5 of 2 cores busy
    with threads, 1.85 without). The Assessment is dumped once, by pydantic, instead of
    being validated again and re-encoded by FastAPI; the schema still comes from
    response_model.
    """
    state = request.app.state.reconsult
    try:
        answer = assess(case, state.today(), state.knowledge)
        return Response(answer.model_dump_json(), media_type="application/json")
    except CaseInputError as exc:
        raise HTTPException(
            status_code=422,
            detail=[{"loc": ["body", *_where(str(exc))], "msg": str(exc), "type": "value_error"}],
        ) from exc


def _where(message: str) -> list[str | int]:
    """Return the field a CaseInputError names ("earlier[0].finding: ...") as a JSON path."""
    path: list[str | int] = []
    for part in re.split(r"[.\[\]]+", message.split(":", 1)[0]):
        if part:
            path.append(int(part) if part.isdecimal() else part)
    return path


@router.get("/procedures", response_model=list[ProcedurePublic], summary="List procedures")
async def list_procedures(request: Request) -> list[ProcedurePublic]:
    """List every procedure with its timeline, warning signs, danger questions and questions."""
    kb = request.app.state.reconsult.knowledge
    return [procedure_public(kb, code) for code in kb.procedures]


@router.get(
    "/procedures/{code}",
    response_model=ProcedurePublic,
    responses=NOT_FOUND,
    summary="One procedure",
)
async def get_procedure(request: Request, code: str) -> ProcedurePublic:
    """Return one procedure by its code, such as ``rhinoplasty``."""
    kb = request.app.state.reconsult.knowledge
    if code not in kb.procedures:
        raise HTTPException(status_code=404, detail=f"No procedure with code {code!r}.")
    return procedure_public(kb, code)
