"""Spanish, read as English is: signs, denials, time words, and the language said back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from reconsult import Case, assess
from reconsult.errors import KnowledgeError
from reconsult.knowledge import Knowledge, read_knowledge
from reconsult.knowledge.schema import Urgency
from reconsult.triage.understand import reader_for
from tests.conftest import TODAY  # a Saturday


def _answer(kb: Knowledge, procedure: str, days: int | None, words: str) -> object:
    case = Case(procedure=procedure, days_since_procedure=days, description=words)
    return assess(case, TODAY, kb)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Me puse bótox hace 3 días y tengo la ceja rara.", 3),
        ("me hice la lipo hace dos semanas", 14),
        ("Me operé la nariz hace mes y medio.", 46),
        ("Tengo 5 dias de operada de la abdominoplastia", 5),
        ("me pusieron relleno en los labios ayer", 1),
        ("me pusieron relleno en los labios antier", 2),
        ("Me hice los implantes la semana pasada.", 7),
        ("me puse botox el lunes", 5),
        ("Me hice la rinoplastia hace un par de semanas.", 14),
        ("hace unos 10 dias me puse botox", 10),
    ],
)
def test_time_in_spanish_words(kb: Knowledge, text: str, days: int) -> None:
    timing = reader_for(kb).read(text, TODAY).timing
    assert timing is not None, f"no time read in {text!r}"
    assert timing.days == days


def test_how_long_a_sign_has_lasted_is_not_when_the_procedure_was(kb: Knowledge) -> None:
    """ "desde hace 3 dias" is how long, so "hace 3 meses" dates the filler."""
    text = "Me puse relleno hace 3 meses y tengo un bulto desde hace 3 dias."
    timing = reader_for(kb).read(text, TODAY).timing
    assert timing is not None and timing.days == 91


@pytest.mark.parametrize(
    ("procedure", "days", "words"),
    [
        # A lip going white, then a purple net, after filler: blocked blood flow.
        (
            "filler_hyaluronic_acid",
            0,
            "Me pusieron relleno en la boca hace unas horas y el labio se puso blanco "
            "y ahora tiene como una red morada.",
        ),
        # Swallowing and seeing double after toxin: the toxin may have spread.
        ("botulinum_toxin", 6, "Desde ayer no puedo tragar bien y veo doble."),
        ("abdominoplasty", 8, "me falta el aire y me duele el pecho cuando respiro"),
        ("filler_hyaluronic_acid", 1, "de repente no veo nada de un ojo"),
    ],
)
def test_spanish_emergencies_are_emergencies(
    kb: Knowledge, procedure: str, days: int, words: str
) -> None:
    answer = _answer(kb, procedure, days, words)
    assert answer.urgency is Urgency.emergency, [f.code for f in answer.findings]  # type: ignore[attr-defined]


def test_accents_or_none_read_the_same(kb: Knowledge) -> None:
    with_accents = "Tengo el párpado caído y no puedo tragar, también veo doble desde el bótox."
    without = "Tengo el parpado caido y no puedo tragar, tambien veo doble desde el botox."
    one = _answer(kb, "botulinum_toxin", 5, with_accents)
    other = _answer(kb, "botulinum_toxin", 5, without)
    assert [(f.code, f.status) for f in one.findings] == [  # type: ignore[attr-defined]
        (f.code, f.status)
        for f in other.findings  # type: ignore[attr-defined]
    ]
    assert one.urgency is other.urgency is Urgency.emergency  # type: ignore[attr-defined]


def test_a_sign_denied_in_spanish_is_not_present(kb: Knowledge) -> None:
    answer = _answer(
        kb, "liposuction", 3, "No tengo fiebre ni pus. Estoy hinchada y con moretones."
    )
    present = {f.code for f in answer.findings if f.status == "present"}  # type: ignore[attr-defined]
    assert "fever" not in present and "pus_discharge" not in present
    assert answer.urgency is Urgency.wait  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("words", "languages"),
    [
        ("My lip went white after filler and it hurts.", ["en"]),
        ("Se me puso blanco el labio después del relleno y me duele.", ["es"]),
    ],
)
def test_the_answer_says_which_language_it_read(
    kb: Knowledge, words: str, languages: list[str]
) -> None:
    assert _answer(kb, "filler_hyaluronic_acid", 0, words).languages == languages  # type: ignore[attr-defined]


def test_a_message_mixing_two_languages_is_read_whole(kb: Knowledge) -> None:
    answer = _answer(kb, "botulinum_toxin", None, "me puse botox el lunes y now my eye is droopy")
    assert set(answer.languages) == {"en", "es"}  # type: ignore[attr-defined]
    assert "eyelid_droop" in {f.code for f in answer.findings}  # type: ignore[attr-defined]
    assert answer.days_since_procedure == 5  # type: ignore[attr-defined]


def _edit_spanish_red_flags(
    knowledge_copy: Path, edit: Callable[[dict[str, list[str]]], None]
) -> None:
    path = knowledge_copy / "es" / "findings" / "red_flags.yaml"
    data = yaml.safe_load(path.read_text())
    edit(data["phrasings"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


def test_spanish_words_for_a_finding_that_does_not_exist_are_refused(knowledge_copy: Path) -> None:
    _edit_spanish_red_flags(knowledge_copy, lambda p: p.update(no_such_sign=["algo raro"]))
    with pytest.raises(
        KnowledgeError, match=r"es/findings/red_flags.yaml: no finding 'no_such_sign'"
    ):
        read_knowledge(knowledge_copy)


def test_a_danger_sign_without_spanish_words_is_refused(knowledge_copy: Path) -> None:
    """A sign nobody can name in a language is a sign missed in it."""
    _edit_spanish_red_flags(knowledge_copy, lambda p: p.pop("double_vision"))
    with pytest.raises(
        KnowledgeError, match=r"danger signs without phrasings: \['double_vision'\]"
    ):
        read_knowledge(knowledge_copy)


def test_a_relative_writing_for_the_patient_keeps_the_patients_signs(kb: Knowledge) -> None:
    """The daughter is the patient the writer fills the form in for: her sign is the answer."""
    words = "Le escribo porque mi hija tiene el labio blanco y morado después del relleno."
    answer = _answer(kb, "filler_hyaluronic_acid", 0, words)
    assert answer.urgency is Urgency.emergency  # type: ignore[attr-defined]


def test_a_friends_story_in_spanish_stays_hers(kb: Knowledge) -> None:
    words = "A mi prima le salió pus después de los implantes. Yo solo tengo moretones."
    answer = _answer(kb, "breast_augmentation", 3, words)
    statuses = {f.code: f.status for f in answer.findings}  # type: ignore[attr-defined]
    assert statuses["pus_discharge"] == "someone_else"
    assert answer.urgency is Urgency.wait  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "words",
    [
        "Eyes bruised and swollen. Checklist: bulging eye? no. loss of vision? no. fever? no.",
        "Tengo los ojos morados. ¿ojo saltón? no. ¿pérdida de vista? no. ¿fiebre? nada.",
    ],
)
def test_a_checklist_of_questions_answered_no_denies_each_sign(kb: Knowledge, words: str) -> None:
    answer = _answer(kb, "blepharoplasty", 6, words)
    present = {f.code for f in answer.findings if f.status == "present"}  # type: ignore[attr-defined]
    assert not present & {"orbital_haemorrhage", "vision_loss", "fever"}
    assert answer.urgency is Urgency.wait  # type: ignore[attr-defined]


def test_a_change_denied_in_spanish_builds_no_sign(kb: Knowledge) -> None:
    """ "ni rojo ni caliente, ni se extiende" denies the redness and the spreading."""
    answer = _answer(
        kb, "filler_hyaluronic_acid", 20, "Tengo un bultito, ni rojo ni caliente, ni se extiende."
    )
    assert "spreading_redness" not in {f.code for f in answer.findings}  # type: ignore[attr-defined]


def test_cannot_do_it_properly_is_the_sign_not_a_denial(kb: Knowledge) -> None:
    words = "Del lado izquierdo no puedo sonreír bien, la comisura se me queda abajo."
    answer = _answer(kb, "facelift", 10, words)
    statuses = {f.code: f.status for f in answer.findings}  # type: ignore[attr-defined]
    assert statuses.get("face_not_moving") == "present"


def test_a_denial_reaches_its_own_verb_only(kb: Knowledge) -> None:
    """ "no supura y respira bien" denies the pus; the breathing is fine, not short."""
    answer = _answer(kb, "breast_augmentation", 10, "La herida no supura y respira bien.")
    assert "breathing_difficulty" not in {f.code for f in answer.findings}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("procedure", "days", "words", "urgency"),
    [
        # Fast growth is the danger; "like a balloon" alone is a size, here a seroma.
        ("facelift", 1, "el cuello se me está inflando rapidísimo y me aprieta", Urgency.emergency),
        (
            "abdominoplasty",
            20,
            "tengo como un globo de agua en la parte baja de la panza",
            Urgency.soon,
        ),
    ],
)
def test_a_swelling_is_an_emergency_when_it_grows_fast(
    kb: Knowledge, procedure: str, days: int, words: str, urgency: Urgency
) -> None:
    assert _answer(kb, procedure, days, words).urgency is urgency  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("procedure", "days", "words"),
    [
        (
            "filler_hyaluronic_acid",
            0,
            "El labio se ha quedado blanco como la cera; lo aprieto y no le vuelve el color.",
        ),
        (
            "filler_non_hyaluronic",
            0,
            "Por el ojo derecho es como si alguien hubiera bajado una persiana, todo negro.",
        ),
        ("rhinoplasty", None, "Ya he decidido que no quiero seguir aqui, lo tengo pensado."),
        ("liposuction", 1, "Respiro como perrito cansado y no me alcanza el aire para hablar."),
        ("facelift", 1, "Las gasas se empapan de sangre en diez minutos."),
        ("filler_hyaluronic_acid", 0, "Desde el relleno en la nariz no veo nada x el ojo derecho."),
    ],
)
def test_danger_told_in_everyday_spanish_images(
    kb: Knowledge, procedure: str, days: int | None, words: str
) -> None:
    assert _answer(kb, procedure, days, words).urgency is Urgency.emergency  # type: ignore[attr-defined]


def test_a_saline_implant_gone_flat_is_not_swelling_going_down(kb: Knowledge) -> None:
    flat = _answer(kb, "breast_augmentation", 730, "El izquierdo se desinfló como llanta ponchada.")
    down = _answer(kb, "liposuction", 3, "Estoy hinchada pero ya se me está desinflamando.")
    assert "implant_rupture" in {f.code for f in flat.findings}  # type: ignore[attr-defined]
    assert "implant_rupture" not in {f.code for f in down.findings}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("procedure", "days", "words"),
    [
        ("breast_augmentation", 2, "La derecha está como el doble que la izquierda y tirante."),
        (
            "rhinoplasty",
            5,
            "Siento adentro como una uva blanda que late y una presión que va en aumento.",
        ),
    ],
)
def test_spanish_signs_for_the_provider_today(
    kb: Knowledge, procedure: str, days: int, words: str
) -> None:
    assert _answer(kb, procedure, days, words).urgency is Urgency.urgent  # type: ignore[attr-defined]
