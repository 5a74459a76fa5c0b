"""The packet's sections after the history: products, providers checked, questions, expectations.

Each is filled in from the case and the knowledge base; the sources cited
by the questions and the expectations are listed at the end of the packet.
"""

from __future__ import annotations

from reconsult.casefile.schema import CaseFileData, Implant, Product, ProviderCheck
from reconsult.documents.packet.model import (
    ExpectationGroup,
    ProductGroup,
    Question,
    QuestionGroup,
    VettedCheck,
    VettedProvider,
)
from reconsult.documents.packet.words import say_date
from reconsult.knowledge import Knowledge
from reconsult.knowledge.packet_content import PacketWording
from reconsult.knowledge.schema import Procedure

__all__ = ["expectations", "procedures_in", "products", "questions", "source_line", "vetting"]


def _product_rows(product: Product, words: PacketWording, us: bool) -> list[tuple[str, str]]:
    missing = words.not_recorded
    sites = "; ".join(f"{s.site}: {s.amount:g} {s.unit}" for s in product.sites)
    rows = [
        (words.product_name, product.product_name or missing),
        (words.material, product.material or missing),
        (words.lot, product.lot or missing),
        (words.expiry, say_date(product.expiry, us) if product.expiry else missing),
        (words.sites, sites or missing),
    ]
    return rows


def _implant_rows(implant: Implant, words: PacketWording) -> list[tuple[str, str]]:
    missing = words.not_recorded
    size = f"{implant.size_cc:g} cc" if implant.size_cc is not None else missing
    return [
        (words.manufacturer, implant.manufacturer or missing),
        (words.style, implant.style or missing),
        (words.size, size),
        (words.fill, words.label("fill", implant.fill.value)),
        (words.surface, words.label("surface", implant.surface.value)),
        (words.shape, implant.shape or missing),
        (words.serial, implant.serial or missing),
        (words.lot, implant.lot or missing),
        (words.udi, implant.udi or missing),
    ]


def products(case: CaseFileData, kb: Knowledge, us: bool) -> list[ProductGroup]:
    words = kb.packet.wording
    groups = []
    for record in case.procedures:
        items = [
            (words.product_heading.format(brand=p.brand), _product_rows(p, words, us))
            for p in record.products
        ]
        items += [
            (
                words.implant_heading.format(side=words.label("side", i.side.value)),
                _implant_rows(i, words),
            )
            for i in record.implants
        ]
        if items:
            name = kb.procedures[record.procedure].name
            if record.performed_on is not None:
                name += f", {say_date(record.performed_on, us)}"
            groups.append(ProductGroup(heading=words.products_for.format(name=name), items=items))
    return groups


def _vetted(record: ProviderCheck, kb: Knowledge, us: bool) -> VettedProvider:
    words = kb.packet.wording
    checks = {c.id: c.title for c in kb.providers.checks}
    flags = {f.id: f.title for f in kb.providers.red_flags}
    details = [words.vetting_checked_on.format(date=say_date(record.checked_on, us))]
    if record.npi:
        details.append(words.vetting_npi.format(npi=record.npi))
    if record.procedure is not None:
        details.append(words.vetting_for.format(name=kb.procedures[record.procedure].name))
    if record.items:
        details.append(words.vetting_count.format(done=len(record.done), total=len(record.items)))
    return VettedProvider(
        heading=record.provider_name,
        details=details,
        checks=[
            VettedCheck(
                title=checks.get(item.check, item.check),
                result=words.label("vetting", item.result.value),
                found=item.found,
            )
            for item in record.items
        ],
        flags=[flags.get(f, f) for f in record.red_flags],
        note=record.note,
    )


def vetting(case: CaseFileData, kb: Knowledge, us: bool) -> list[VettedProvider]:
    """Every provider checked, earliest check first."""
    ordered = sorted(case.provider_checks, key=lambda r: r.checked_on)
    return [_vetted(record, kb, us) for record in ordered]


def procedures_in(case: CaseFileData, kb: Knowledge) -> list[Procedure]:
    """The knowledge of each procedure in the case, each once, in the case's order."""
    codes = dict.fromkeys(record.procedure.value for record in case.procedures)
    return [kb.procedures[code] for code in codes]


def questions(procedures: list[Procedure], kb: Knowledge) -> list[QuestionGroup]:
    words = kb.packet.wording
    standard = [Question(text=q.text, hint=q.hint or "") for q in kb.packet.questions.in_order()]
    groups = [QuestionGroup(heading="", questions=standard)]
    for procedure in procedures:
        if procedure.questions:
            groups.append(
                QuestionGroup(
                    heading=words.questions_for.format(name=procedure.name),
                    questions=[Question(text=q) for q in procedure.questions],
                )
            )
    return groups


def expectations(
    procedures: list[Procedure], kb: Knowledge
) -> tuple[list[str], list[ExpectationGroup], list[str]]:
    """Points for every procedure in the case, then each procedure's own; and their sources."""
    codes = {p.code for p in procedures}
    applies = {e.id: kb.expand(e.procedures) for e in kb.packet.expectations}
    everywhere = set(kb.procedures)
    common = [
        e
        for e in kb.packet.expectations
        if (codes <= applies[e.id] if codes else applies[e.id] == everywhere)
    ]
    cited = [s for e in common for s in e.sources]
    groups = []
    for procedure in procedures:
        own = [
            e for e in kb.packet.expectations if procedure.code in applies[e.id] and e not in common
        ]
        cited += [s for e in own for s in e.sources] + procedure.timeline.sources
        groups.append(
            ExpectationGroup(
                heading=procedure.name,
                judge=procedure.timeline.summary,
                reversible=procedure.reversible,
                points=[e.text for e in own],
            )
        )
    return [e.text for e in common], groups, cited


def source_line(kb: Knowledge, source_id: str) -> str:
    s = kb.sources[source_id]
    title = s.title if s.title[-1] in ".?!" else f"{s.title}."
    return f"{title} {s.publisher}, {s.year}." + (f" {s.url}" if s.url else "")
