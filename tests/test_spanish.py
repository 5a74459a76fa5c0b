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
    assert "present" in {statuses.get("face_not_moving"), statuses.get("smile_asymmetry")}


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


def _statuses(answer: object) -> dict[str, str]:
    return {f.code: f.status for f in answer.findings}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "words",
    [
        # "lo" and, with the subject dropped, "esta" point back at the eye.
        "No consigo cerrar el ojo derecho del todo, lo tengo rojo y me arde.",
        "El ojo derecho no me cierra del todo y ahora me duele, esta rojo.",
        "My right eye won't close all the way. Woke up with it red and sore.",
    ],
)
def test_a_word_pointing_back_joins_the_eye_to_its_redness(kb: Knowledge, words: str) -> None:
    """An eye that will not close and is red is drying out: the provider today."""
    answer = _answer(kb, "blepharoplasty", 3, words)
    assert _statuses(answer).get("red_eye") == "present"
    assert answer.urgency is Urgency.urgent  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "words",
    [
        "Desde ayer no retiene nada, vomita todo, hasta el agua.",
        "Since yesterday she isn't keeping anything down, vomiting everything, even water.",
    ],
)
def test_keeping_nothing_down_is_the_sign_not_a_denial(kb: Knowledge, words: str) -> None:
    assert _statuses(_answer(kb, "abdominoplasty", 3, words)).get("persistent_vomiting") == (
        "present"
    )


def test_no_longer_wanting_to_live_is_the_wish_not_its_end(kb: Knowledge) -> None:
    """ "ya no quiero seguir viviendo así": "ya no" is the wish's own "no"."""
    words = "Las cicatrices quedaron bien. La verdad ya no quiero seguir viviendo así."
    answer = _answer(kb, "breast_augmentation", 200, words)
    assert answer.urgency is Urgency.emergency  # type: ignore[attr-defined]
    fever = _answer(kb, "breast_augmentation", 5, "Ya no tengo fiebre.")
    assert _statuses(fever).get("fever") == "resolved"


@pytest.mark.parametrize(
    "words",
    [
        "Sangra mucho y empapa las gasas, ella está pálida y sudando.",
        "The dressing keeps soaking with blood and she is pale and clammy.",
    ],
)
def test_bleeding_with_a_pale_sweaty_look_is_an_emergency(kb: Knowledge, words: str) -> None:
    assert _answer(kb, "other_surgery", 1, words).urgency is Urgency.emergency  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("Tengo el labio hinchado. Fiebre no tengo.", "fever"),
        ("Lo rojo está caliente. Fiebre ahora no, escalofrios tampoco.", "fever"),
        ("El labio está rojo. Blanco o morado no está, es rojo.", "skin_blanching"),
        ("Lip is swollen. Fever: none.", "fever"),
    ],
)
def test_a_sign_named_first_and_denied_after_is_denied(
    kb: Knowledge, words: str, code: str
) -> None:
    assert _statuses(_answer(kb, "filler_hyaluronic_acid", 5, words)).get(code) == "negated"


@pytest.mark.parametrize(
    "words",
    [
        # A tag question, a "no" with more words after it, a verb of being going on.
        "Tengo fiebre, ¿no?",
        "La fiebre no me baja.",
        "El labio blanco no está mejorando.",
    ],
)
def test_a_no_after_a_sign_that_is_not_its_answer_keeps_it(kb: Knowledge, words: str) -> None:
    statuses = _statuses(_answer(kb, "filler_hyaluronic_acid", 1, words))
    told = {code: statuses[code] for code in ("fever", "skin_blanching") if code in statuses}
    assert told, f"no sign read in {words!r}"
    assert "negated" not in told.values()


def test_a_denial_reaches_past_the_little_words_spanish_puts_before_its_verb(
    kb: Knowledge,
) -> None:
    """ "la rojez no se está regando" denies the spreading."""
    words = "Tengo una bolita roja y caliente, pero la rojez no se esta regando."
    answer = _answer(kb, "filler_hyaluronic_acid", 60, words)
    assert "spreading_redness" not in {c for c, s in _statuses(answer).items() if s == "present"}


@pytest.mark.parametrize(
    "words",
    [
        "Se abrieron los puntos y quedó un hueco como de un dedo, se mira la carne por dentro.",
        "The stitches came apart, there is a hole the size of a finger, I can see the flesh.",
    ],
)
def test_a_wound_open_to_the_inside_needs_the_surgeon_today(kb: Knowledge, words: str) -> None:
    assert _answer(kb, "abdominoplasty", 8, words).urgency is Urgency.urgent  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "words",
    [
        "La primera semana se me inflamó mucho el ojo. Ahora el pliegue quedó un poco alto.",
        "Los primeros días se me hinchó la papada, roja y dura, pero en una semana se me pasó.",
        "Al principio se me infectó un piquete, me dieron antibiótico, eso ya se quitó hace mucho.",
        "The first week my eye swelled a lot. Now the crease sits a little high.",
    ],
)
def test_what_happened_in_the_first_days_months_ago_is_past(kb: Knowledge, words: str) -> None:
    answer = _answer(kb, "blepharoplasty", 137, words)
    assert answer.urgency in (Urgency.routine, Urgency.soon, Urgency.wait)  # type: ignore[attr-defined]
    assert not {c for c, s in _statuses(answer).items() if s == "present"} & {
        "swelling",
        "one_sided_swelling",
        "pus_discharge",
    }


def test_a_sisters_story_told_with_a_then_le_stays_hers(kb: Knowledge) -> None:
    words = (
        "Me pusieron ácido hialurónico hace mes y medio y tengo una bolita. A mi hermana "
        "cuando se inyectó se le puso blanco el labio, pero a mí no me pasó nada de eso."
    )
    answer = _answer(kb, "filler_hyaluronic_acid", 45, words)
    assert _statuses(answer).get("skin_blanching") == "someone_else"
    told = "A mi hermana le dije que se me puso blanco el labio."
    assert _answer(kb, "filler_hyaluronic_acid", 0, told).urgency is Urgency.emergency  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "words",
    [
        "La marqué con lápiz y ya se pasó de la raya.",
        "I marked it with a pen and it has gone past the line.",
    ],
)
def test_redness_past_the_line_drawn_round_it_is_spreading(kb: Knowledge, words: str) -> None:
    answer = _answer(kb, "filler_non_hyaluronic", 3, "Está roja y caliente. " + words)
    assert _statuses(answer).get("spreading_redness") == "present"
    assert answer.urgency is Urgency.urgent  # type: ignore[attr-defined]


def test_the_white_under_the_iris_is_the_lid_not_blanching(kb: Knowledge) -> None:
    words = "El párpado de abajo se está jalando, se ve lo blanco debajo de la parte de color."
    answer = _answer(kb, "blepharoplasty", 40, words)
    assert "skin_blanching" not in _statuses(answer)
    assert answer.urgency is Urgency.soon  # type: ignore[attr-defined]


def test_a_salty_taste_at_the_back_of_the_throat_is_the_clear_drip_not_a_reaction(
    kb: Knowledge,
) -> None:
    words = (
        "Me sale un agüita clara por un lado de la nariz cuando me agacho y me sabe salada "
        "cuando se me va para la garganta."
    )
    answer = _answer(kb, "rhinoplasty", 30, words)
    assert answer.urgency is Urgency.soon  # type: ignore[attr-defined]


def test_no_air_through_either_side_of_the_nose_is_the_nose_not_the_lungs(kb: Knowledge) -> None:
    words = "No puedo respirar por ninguno de los dos lados y veo una bola en medio de la nariz."
    answer = _answer(kb, "rhinoplasty", 5, words)
    assert "breathing_difficulty" not in _statuses(answer)
    assert answer.urgency is Urgency.urgent  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "words",
    [
        "Mi ojo izquierdo is droopy desde el miércoles.",
        "My left eyelid está caído since Wednesday.",
    ],
)
def test_a_drooping_lid_told_in_two_languages_at_once(kb: Knowledge, words: str) -> None:
    """The eye in one language and its droop in the other is still a drooping lid."""
    answer = _answer(kb, "botulinum_toxin", 9, words)
    assert _statuses(answer).get("eyelid_droop") == "present"
    assert answer.urgency is Urgency.soon  # type: ignore[attr-defined]


def test_a_sign_named_then_never_is_denied(kb: Knowledge) -> None:
    answer = _answer(
        kb, "rhinoplasty", 455, "Respiro mal por un lado. Sangre ni pus, y fiebre nunca."
    )
    assert _statuses(answer).get("fever") == "negated"


def test_no_air_through_the_nose_is_the_nose_not_the_lungs(kb: Knowledge) -> None:
    words = "Ya no le pasa aire x ningún lado de la nariz. Por la boca respira tranquilo."
    answer = _answer(kb, "rhinoplasty", 4, words)
    assert "breathing_difficulty" not in _statuses(answer)
    assert _statuses(answer).get("nasal_congestion") == "present"


def test_an_eye_told_once_then_lo_cannot_close_and_is_red(kb: Knowledge) -> None:
    words = (
        "El problema es el ojo derecho: no lo alcanzo a cerrar del todo, y desde ayer lo "
        "tengo rojo, me arde y me duele."
    )
    assert _answer(kb, "blepharoplasty", 5, words).urgency is Urgency.urgent  # type: ignore[attr-defined]


def test_a_writer_writing_for_an_in_law_keeps_her_signs(kb: Knowledge) -> None:
    words = (
        "Mi cuñada tiene 16 días de la abdominoplastia y arriba de la cicatriz se le hizo "
        "como una bolsa de agua que se mueve cuando camina."
    )
    answer = _answer(kb, "abdominoplasty", 16, words)
    assert _statuses(answer).get("seroma") == "present"


def test_pain_she_can_no_longer_bear_is_not_over(kb: Knowledge) -> None:
    words = "El dolor le va subiendo desde anoche, ya no aguanta ni con ibuprofeno."
    answer = _answer(kb, "filler_unknown", 1, words)
    assert "resolved" not in set(_statuses(answer).values())
    assert answer.urgency is Urgency.urgent  # type: ignore[attr-defined]


def test_water_that_does_not_go_down_the_wrong_way_is_denied(kb: Knowledge) -> None:
    words = "No tengo problemas para tragar, el agua no se me va por otro lado y hablo normal."
    answer = _answer(kb, "botulinum_toxin", 24, words)
    assert "present" not in {_statuses(answer).get("swallowing_difficulty")}


@pytest.mark.parametrize(
    "words",
    [
        "Desde esta mañana todo se ve doble.",
        "Se ve manchado y nublado por el ojo derecho.",
        "Desde esta mañana se ve como con una sombra gris por el ojo derecho.",
    ],
)
def test_se_ve_told_of_sight_is_the_sight(kb: Knowledge, words: str) -> None:
    """ "Se ve" is also "it looks"; told of what one sees it is a sign and stays one."""
    assert _answer(kb, "facelift", 2, words).urgency is Urgency.emergency  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("procedure", "days", "words", "urgency"),
    [
        (
            "breast_augmentation",
            2,
            "Desde esta mañana el seno izquierdo se me está poniendo como el doble del derecho.",
            Urgency.urgent,
        ),
        (
            "abdominoplasty",
            5,
            "La barriga se me está poniendo dura como tambor y no he podido soltar ni un gas.",
            Urgency.emergency,
        ),
        (
            "abdominoplasty",
            12,
            "Se me abrió un pedazo de la cicatriz, como de dos centímetros, y se ve para adentro.",
            Urgency.urgent,
        ),
    ],
)
def test_a_sign_in_the_middle_of_a_calm_story(
    kb: Knowledge, procedure: str, days: int, words: str, urgency: Urgency
) -> None:
    story = (
        "La cirugía salió bien y los primeros días todo bien. Mi vecina tuvo un seroma, "
        "pero eso es otra historia. " + words + " No tengo fiebre y no huele mal."
    )
    assert _answer(kb, procedure, days, story).urgency is urgency  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("words", "present"),
    [
        ("No tengo problemas para ver, ni para tragar.", False),
        ("Me duele tanto que no puedo ni tragar.", True),
        ("Ya ni tragar puedo.", True),
    ],
)
def test_ni_is_nor_after_a_denial_and_not_even_after_cannot(
    kb: Knowledge, words: str, present: bool
) -> None:
    statuses = _statuses(_answer(kb, "facelift", 2, words))
    assert (statuses.get("swallowing_difficulty") == "present") is present
