"""JSON API under /api/v1: assess a case, list the procedures."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Request

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
        "Send the procedure, the days since it (if known) and the person's own words; "
        "get back how urgent it is, the options, the reasons quoting their words, and the "
        "sources. The answer counts days from the server's date."
    ),
)
def create_assessment(request: Request, case: Annotated[CaseIn, Body()]) -> Assessment:
    """Assess one case as of today's date."""
    state = request.app.state.reconsult
    try:
        return assess(case, state.today(), state.knowledge)
    except CaseInputError as exc:
        field = str(exc).split(":", 1)[0]
        raise HTTPException(
            status_code=422,
            detail=[{"loc": ["body", field], "msg": str(exc), "type": "value_error"}],
        ) from exc


@router.get("/procedures", response_model=list[ProcedurePublic], summary="List procedures")
def list_procedures(request: Request) -> list[ProcedurePublic]:
    """List every procedure with its timeline, warning signs and questions to ask."""
    kb = request.app.state.reconsult.knowledge
    return [procedure_public(kb, code) for code in kb.procedures]


@router.get(
    "/procedures/{code}",
    response_model=ProcedurePublic,
    responses=NOT_FOUND,
    summary="One procedure",
)
def get_procedure(request: Request, code: str) -> ProcedurePublic:
    """Return one procedure by its code, such as ``rhinoplasty``."""
    kb = request.app.state.reconsult.knowledge
    if code not in kb.procedures:
        raise HTTPException(status_code=404, detail=f"No procedure with code {code!r}.")
    return procedure_public(kb, code)
