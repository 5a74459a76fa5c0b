"""Guide pages: one per procedure, all from the knowledge base, checked by structure."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ProcedureCode, Urgency
from reconsult.triage.decide import sign_urgency

PROCEDURES = [code.value for code in ProcedureCode]
VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr"}
CARD_KIND = {Urgency.emergency: "emergency", Urgency.urgent: "urgent", Urgency.soon: "non-urgent"}


@dataclass
class Node:
    """An element of a parsed page, enough to find things by tag and class."""

    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and (cls is None or child.has_class(cls)):
                found.append(child)
            found.extend(child.find_all(tag, cls))
        return found

    def find(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.find_all(tag, cls)
        assert found, f"no <{tag}> with class {cls!r}"
        return found[0]


class TreeBuilder(HTMLParser):
    """Build a Node tree; each node's text includes its descendants' text."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        for node in self.stack:
            node.parts.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    return builder.root


def page(client: TestClient, path: str) -> Node:
    response = client.get(path)
    assert response.status_code == 200, path
    assert "<script" not in response.text
    return parse(response.text)


def test_index_lists_every_procedure_grouped(client: TestClient, kb: Knowledge) -> None:
    doc = page(client, "/guides")
    assert doc.find("h1").text == "Guides to each cosmetic procedure"
    assert doc.find("a", "back-link").attrs["href"] == "/"
    headings = [h.text for h in doc.find_all("h2")]
    assert "Injections and fillers" in headings and "Surgery" in headings
    links = {a.attrs["href"]: a.text for a in doc.find("main").find_all("a")}
    for code, proc in kb.procedures.items():
        assert links[f"/guides/{code}"] == proc.name
    # Surgery comes under its own heading, after the injections.
    main = doc.find("main")
    lists = main.find_all("ul", "guide-list")
    assert len(lists) == 2
    injections = {a.attrs["href"] for a in lists[0].find_all("a")}
    surgery = {a.attrs["href"] for a in lists[1].find_all("a")}
    assert "/guides/botulinum_toxin" in injections and "/guides/rhinoplasty" in surgery


@pytest.mark.parametrize("code", PROCEDURES)
def test_guide_shows_the_procedure_from_the_knowledge_base(
    client: TestClient, kb: Knowledge, code: str
) -> None:
    proc = kb.procedures[code]
    doc = page(client, f"/guides/{code}")
    main = doc.find("main")
    assert main.find("h1").text == proc.name
    assert proc.name in doc.find("title").text
    assert doc.find("a", "back-link").attrs["href"] == "/guides"
    headings = [h.text for h in main.find_all("h2")]
    for wanted in (
        "Get help if you have any of these warning signs",
        "What is normal, and when",
        "What can and cannot be undone",
        "Questions to ask at a consultation",
        "Where this information comes from",
    ):
        assert wanted in headings
    text = main.text
    assert " ".join(proc.timeline.summary.split()) in text
    assert " ".join(proc.reversible.split()) in text
    questions = [li.text for li in main.find("ul", "guide-questions").find_all("li")]
    assert questions == proc.questions
    sources = main.find("ul", "sources").text
    for source_id in proc.timeline.sources:
        assert kb.sources[source_id].title in sources
    assert any(a.attrs.get("href") == "/" for a in main.find_all("a"))


@pytest.mark.parametrize("code", PROCEDURES)
def test_warning_signs_are_on_the_card_for_how_urgent_they_are(
    client: TestClient, kb: Knowledge, code: str
) -> None:
    doc = page(client, f"/guides/{code}")
    cards = {
        kind: [
            li.text
            for card in doc.find_all("div", f"care-card--{kind}")
            for li in card.find_all("li")
        ]
        for kind in ("emergency", "urgent", "non-urgent")
    }
    for finding in kb.procedures[code].red_flags:
        urgency = sign_urgency(kb, finding, code, None)
        kind = CARD_KIND.get(urgency, "urgent") if urgency else "urgent"  # unsure: urgent
        assert kb.findings[finding].label in cards[kind], (finding, kind)
    shown = sum(len(labels) for labels in cards.values())
    assert shown == len(kb.procedures[code].red_flags)
    for card in doc.find_all("div", "care-card"):
        heading = card.find("h2", "care-card__heading").text
        assert heading.endswith(":")


@pytest.mark.parametrize("code", PROCEDURES)
def test_guide_timeline_picture_names_each_marker_in_day_order(
    client: TestClient, kb: Knowledge, code: str
) -> None:
    doc = page(client, f"/guides/{code}")
    figure = doc.find("figure", "timeline")
    svg = figure.find("svg")
    assert svg.attrs["role"] == "img"
    assert svg.attrs["viewbox"].startswith("0 0 ")  # html.parser lowercases attribute names
    title = svg.find("title")
    assert svg.attrs["aria-labelledby"] == title.attrs["id"] and title.text
    assert svg.attrs["aria-describedby"] == svg.find("desc").attrs["id"]
    assert figure.find("figcaption").text
    facts = [li.text for li in figure.find("ol", "timeline__facts").find_all("li")]
    rows = svg.find_all("g", "timeline__row")
    words = {g.attrs["data-key"]: g.text for g in svg.find_all("g", "timeline__labels")}
    timeline = kb.procedures[code].timeline
    expected = {"Swelling and bruising settle", "Fair time to judge the result"}
    expected.add("Earliest time for a correction or revision")
    if timeline.scar is not None:
        expected.add("Scars mature")
    if timeline.fade is not None:
        expected.add("Product wears off")
    assert len(rows) == len(expected) == len(facts)
    for label in expected:
        assert any(fact.startswith(label) for fact in facts), label
        assert any(label in words[row.attrs["data-key"]] for row in rows), label
    days = [int(row.attrs["data-day"]) for row in rows]
    xs = [float(row.attrs["data-x"]) for row in rows]
    assert days == sorted(days)
    assert xs == sorted(xs)
    # A guide is for anyone: there is no "now" on it.
    assert not svg.find_all("g", "timeline__here")
    assert not any(fact.startswith("Now") for fact in facts)


def test_guide_titles_are_unique(client: TestClient) -> None:
    titles = [page(client, f"/guides/{code}").find("title").text for code in PROCEDURES]
    titles.append(page(client, "/guides").find("title").text)
    assert len(set(titles)) == len(titles)


def test_unknown_procedure_is_not_found(client: TestClient) -> None:
    response = client.get("/guides/tattoo_removal")
    assert response.status_code == 404
    assert parse(response.text).find("h1").text == "Page not found"
