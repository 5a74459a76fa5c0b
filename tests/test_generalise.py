"""Danger told in words nobody listed (issue 13): frames, modifier scope, the unexplained floor
and the recall net, each as a person would notice it in the answer.

The sentences here are ours, written for these tests; the development set and our
blind sets are scored by bench/assess_bench.py, never asserted on sentence by sentence.
"""

from __future__ import annotations

import dataclasses
import socket

import pytest

from reconsult.errors import KnowledgeError
from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.knowledge.schema import Urgency
from reconsult.triage import assess, recall
from reconsult.triage.models import Case, FindingStatus
from reconsult.triage.understand import reader_for
from tests.conftest import TODAY, answer


def _codes(kb: Knowledge, text: str) -> dict[str, FindingStatus]:
    return {f.code: f.status for f in reader_for(kb).read(text, TODAY).findings}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("it's like a grey curtain came down across half of what I can see", "vision_loss"),
        ("the telly looks like two tellies on top of each other", "double_vision"),
        ("my eyes won't line up since yesterday", "double_vision"),
        ("I've changed the pads three times this hour and they're drenched", "heavy_bleeding"),
        ("my mouth tastes of pennies since the numbing jab", "anaesthetic_toxicity"),
        ("my left calf is fat and achy since the long flight home", "calf_swelling"),
        ("clear water dribbles out of my nostril whenever I bend down", "csf_leak"),
        ("the black patch on my belly has broken open into an ulcer", "skin_darkening"),
        ("the scar split open and I can see something shiny in there", "implant_exposed"),
        ("I'm gasping like I've run a marathon and I've been lying down", "breathing_difficulty"),
        ("I'm puffed just walking to the loo", "breathing_difficulty"),
        ("my words keep coming out jumbled", "speech_change"),
        ("my right arm suddenly went floppy and I'm dropping things", "stroke_signs"),
        ("I feel absolutely dreadful and I've got the shakes", "sepsis_signs"),
        ("the skin where she injected has gone blotchy", "skin_mottling"),
        ("I keep thinking everyone would be better off if I wasn't here", "suicidal_thoughts"),
        (
            "my arms have no strength and my legs are like jelly on the stairs",
            "generalised_weakness",
        ),
        ("the co-codamol isn't touching it at all", "worsening_pain"),
        ("there's a greyish patch of skin beside my nose", "skin_darkening"),
        (
            "been chundering all night and can't keep a mouthful of water down",
            "persistent_vomiting",
        ),
        ("one boob is double the other and tight like a drum", "one_sided_swelling"),
        ("a soft swelling on the wall between my nostrils", "septal_haematoma"),
        ("my tongue and lips started puffing up", "anaphylaxis"),
        ("the scan says there may be a silent tear in my left implant", "implant_rupture"),
        ("over the weekend the left side just went flat", "implant_rupture"),
        (
            "I keep thinking about taking my own life and I've started planning how",
            "suicidal_thoughts",
        ),
        (
            "my tummy has gone hard and bloated and nothing has come out, not even wind",
            "acute_abdomen",
        ),
        ("the pain on that side keeps getting worse every day", "worsening_pain"),
        (
            "a few stitches popped and there's a slit I could fit a fingertip into",
            "deep_wound_opening",
        ),
        (
            "my smile only goes up on the right, the left corner of my mouth hangs",
            "smile_asymmetry",
        ),
        # A course word tells of its whole clause, however far from the swelling.
        (
            "over the past hour the whole right side of my jaw and neck has been swelling up",
            "expanding_swelling",
        ),
        ("the soreness on the left side has been getting steadily worse all day", "worsening_pain"),
        ("my left eye looks at everything through murky dishwater", "vision_loss"),
        ("swallowing even a sip of tea is hard", "swallowing_difficulty"),
        ("it feels like something is squeezing my throat", "anaphylaxis"),
        ("I get giddy and nearly fall when I stand up", "collapse_or_faint"),
        ("been sick about five times since lunch", "persistent_vomiting"),
        ("a violet spider web pattern has come up on my chin", "skin_mottling"),
        ("it hurts to look at the light with that eye", "eye_pain"),
        # "it" stands for the part named in the sentence before, or before it in its own.
        ("My right eye is sore. This morning it is red and gritty.", "red_eye"),
        ("I can't shut my left eye at night and it stings, red and scratchy", "red_eye"),
        ("the nose has been hosing blood for twenty minutes", "heavy_bleeding"),
        ("I've gone through three towels and pressing on it does nothing", "heavy_bleeding"),
        ("feels like a belt pulled tight around my chest", "chest_pain"),
        ("it's like breathing through a drinking straw", "breathing_difficulty"),
        ("my right eyeball feels like it's being shoved out from behind", "orbital_haemorrhage"),
        ("I don't want to continue living looking like this", "suicidal_thoughts"),
        ("it would be easier for everyone if I just wasn't here", "suicidal_thoughts"),
        ("I have the tablets from the op saved up in a drawer", "suicidal_thoughts"),
        ("haven't farted since yesterday and I'm in agony", "acute_abdomen"),
        ("the skin went patchy purply like fishnet tights", "skin_mottling"),
        ("I feel like I will faint any second", "collapse_or_faint"),
        ("a sudden headache like an axe, the worst I've ever had", "severe_headache"),
        ("I've started giving my things away and worked out how I'd end it", "suicidal_thoughts"),
        ("my chest feels like someone is sitting on it", "chest_pain"),
        ("sitting still and breathing like I just ran up three flights", "breathing_difficulty"),
        ("gone thru a whole roll of paper towels and it's not slowing down", "heavy_bleeding"),
        ("now the blood is running down the back of my throat", "heavy_bleeding"),
        (
            "3cm of the scar has come apart and I can see yellowish tissue inside",
            "deep_wound_opening",
        ),
        ("my neck has been swelling a bit more each day", "expanding_swelling"),
        ("my left breast is now almost double than right one", "one_sided_swelling"),
        ("the belly is very hard like a stone and I cannot make gas", "acute_abdomen"),
        ("my lips are swelling a lot and fast", "anaphylaxis"),
        ("he couldn't lift a mug up to his mouth", "generalised_weakness"),
        ("there's a whistling noise when I breathe in", "anaphylaxis"),
        ("running 101F since last night", "fever"),
        (
            "the pain on the right has been getting steadily worse, throbbing by the ear",
            "worsening_pain",
        ),
        ("schnoz is totally bunged up both sides", "nasal_congestion"),
        ("my nose is straight up plugged on both sides", "nasal_congestion"),
        ("Stomach is very hard and big and no gas come out", "acute_abdomen"),
        (
            "my left jaw and neck have been getting fuller and tighter since breakfast",
            "expanding_swelling",
        ),
        (
            "some bother getting food down, I need sips of water with each bite",
            "swallowing_difficulty",
        ),
        (
            "a white blotch above my eyebrow that isn't going back to normal colour when I "
            "press it",
            "slow_colour_return",
        ),
        ("some hair near the temple scar has fallen out", "hair_thinning"),
        ("a crop of those tingly fluid bubbles I always get when I'm run down", "cold_sores"),
        ("the entry point is leaking a creamy yellow goo", "pus_discharge"),
        (
            "the ache has climbed steadily all night and paracetamol hasn't touched it",
            "worsening_pain",
        ),
        ("the skin over my belly feels dead when I touch it", "numbness"),
        ("a blue patch spreading across my lip", "skin_mottling"),
        ("day 5 post bbl and i can't sit on my booty at all", "tightness"),
        ("I haven't been able to close my right eye fully when I sleep", "eye_closure_incomplete"),
        ("i cannot shut my right eye at night", "eye_closure_incomplete"),
        ("my right eye won't open all the way since the weekend", "eyelid_droop"),
        ("the right one is like double the size of the left", "one_sided_swelling"),
        ("the top one looks like a purple spiderweb", "skin_mottling"),
        ("swallowing my tablets was a real struggle", "swallowing_difficulty"),
        ("the left is completely shut day and night", "nasal_congestion"),
        ("one tiny blue dot where the needle went in", "bruising"),
        ("it's still squint, bends to the left", "asymmetry"),
        ("the right one dropped already, nipples not even", "asymmetry"),
        ("we can barely wake him up, he nods off mid-sentence", "collapse_or_faint"),
        ("he keeps asking what day it is", "collapse_or_faint"),
        ("a headache came on like being hit with a bat", "severe_headache"),
        ("my neck is swell more and more, each hour more big", "expanding_swelling"),
        ("she keeps saying there are two of me", "double_vision"),
        ("it hurts way more than it looks like it should", "necrotising_signs"),
        ("the red had gone a good two inches past the line I drew", "spreading_redness"),
        ("the stitches have gone all gammy and smell like a wheelie bin", "pus_discharge"),
        ("I'm blocked on both sides", "nasal_congestion"),
        ("botox 4 days ago and frowning is lowkey impossible now", "face_not_moving"),
        ("I can't shut my left eye properly at night", "eye_closure_incomplete"),
        ("that boob keeps getting bigger and tighter", "one_sided_swelling"),
        ("my left breast is noticeably smaller and flatter than yesterday", "implant_rupture"),
        ("my vision is blurry from it drying out", "blur_from_ointment"),
        ("my implants still look high and a bit boxy", "look_dissatisfaction"),
        ("mi chest a whistle when mi breathe", "anaphylaxis"),
        ("mi feel like mi a go faint", "collapse_or_faint"),
        ("getting air in is hard work", "breathing_difficulty"),
        ("when she covers either eye it goes back to one", "double_vision"),
        ("she keeps tilting her head to make it line up", "double_vision"),
        ("since last night even little sips of water come straight back up", "persistent_vomiting"),
        ("she is vomiting the whole night", "persistent_vomiting"),
        ("she told me we'd all be better off without her", "suicidal_thoughts"),
        ("it had been going down but now it's swelling up again", "expanding_swelling"),
        (
            "over the last couple of hours the right side of my neck has swollen up a lot",
            "expanding_swelling",
        ),
        ("I can't shut my left eye all the way", "eye_closure_incomplete"),
        ("my routine scan says the left one has a split in it", "implant_rupture"),
        ("both eyes black like a panda", "bruising"),
        ("my brows feel like lead, I can barely lift them", "face_not_moving"),
        ("his head keeps tipping forward like it's too heavy", "generalised_weakness"),
        ("his eyelids feel like lead", "eyelid_droop"),
        ("she's barely answering us", "collapse_or_faint"),
        ("my right lids won't meet when I lie down", "eye_closure_incomplete"),
        ("a bulge above the scar ripples when I tap it, like a hot water bottle", "seroma"),
        ("I'm proper out of puff just sitting on the sofa", "breathing_difficulty"),
        (
            "the redness is creeping up toward her hip, you can actually see it moving",
            "necrotising_signs",
        ),
        ("the scars along the inner arms are still pink and slightly raised", "scar_concern"),
        ("my earlobes are tugged down and stuck onto my cheek", "look_dissatisfaction"),
        ("the right one is still up near my collarbone", "look_dissatisfaction"),
        ("her heart is going like a drum when I feel her wrist", "racing_heart"),
        ("to be honest it is better if I am not alive", "suicidal_thoughts"),
        (
            "the left side of his neck has got noticeably bigger and tighter over the past "
            "few hours",
            "expanding_swelling",
        ),
        ("the right implant has dropped below my fold", "look_dissatisfaction"),
        ("my nosebleed won't stop", "heavy_bleeding"),
        ("things look smeary until I've blinked a lot", "blur_from_ointment"),
        ("my right eyelid is falling, the eye looks more small than the other", "eyelid_droop"),
        ("from yesterday I am not able to breathe from both nostrils", "nasal_congestion"),
        (
            "the first day it was full, now all the volume disappear, I look like before",
            "no_difference",
        ),
        # A misspelt word that a phrasing's "bruis*" matches is read as that word.
        ("the brusing on my sides is purple", "bruising"),
    ],
)
def test_danger_told_in_lay_words_is_recognised(kb: Knowledge, text: str, code: str) -> None:
    assert _codes(kb, text).get(code) is FindingStatus.present


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # A word of one sign used of something else is not that sign.
        ("my face looks puffed and heavy all the time", "breathing_difficulty"),
        ("the tip looks squeezed and my nostrils suck in when I breathe in hard", "chest_pain"),
        ("I can feel gritty grains under the skin of my cheeks", "watery_gritty_eyes"),
        ("the right eyebrow shoots up and the left one is flat", "implant_rupture"),
        ("I went through a dark patch after the first op", "skin_darkening"),
        ("been vomiting all night and every sip comes back up", "swallowing_difficulty"),
        ("everything has settled but the left side has dents and looks wavy", "vision_loss"),
        ("the under-eyes are puffy and my face is still pink", "red_eye"),
        # A window blind is an image of an eyelid, not going blind.
        ("the lid hangs like a blind pulled halfway down when I look at my screen", "vision_loss"),
        # Marbles under the skin are lumps, not speech.
        ("it feels like there are marbles under the skin of my thighs", "speech_change"),
        # Air through one side of the nose is the nose, not breathing.
        (
            "the left side of my nose is blocked, can't get any air through it",
            "breathing_difficulty",
        ),
        # Looking confused, or confused about the aftercare, is not confusion.
        ("my eyebrow is higher so I look confused in photos", "stroke_signs"),
        ("I'm confused about the aftercare sheet they gave me", "stroke_signs"),
        # Far bigger than wanted is the size, not one side swelling.
        ("they're far bigger than I wanted and I feel top heavy", "one_sided_swelling"),
        # "Everyone can see it" is how it looks, not the writer's sight.
        ("it makes a grey shadow above my lip and everyone can see it", "vision_loss"),
        # Numb everywhere is not blood everywhere; frozen peas are an ice pack.
        ("numb everywhere and the bandage is snug", "heavy_bleeding"),
        ("sitting with frozen peas on my eyes", "face_not_moving"),
        # Ringing the clinic is a phone call; "stitches came out" is their removal.
        ("should I be ringing them for a refund", "anaesthetic_toxicity"),
        ("the stitches came out today and it looks neat", "wound_separation"),
        # Blur that clears when blinking is the ointment or dryness, not lost sight.
        ("things look a bit hazy till I blink a few times", "vision_loss"),
        # Pressed skin that pinks up at once is normal colour return.
        ("it goes pale when I press it and comes straight back pink", "slow_colour_return"),
        # "Apart from that" is "except that", not skin come apart; purple eyes are bruises.
        ("apart from that just bunged up and eyes still a bit purple", "skin_darkening"),
        # Blur that clears on blinking, the sight named first, is the ointment.
        ("the vision is blurry which clears when I blink", "vision_loss"),
        # A nose blocked on one side that "can't breathe through it" is the nose.
        ("blocked on the right side and can't breathe through it", "breathing_difficulty"),
        # A phone number, a workout, tears and swelling going down are no signs.
        ("I called the surgeon's after-hours number", "numbness"),
        ("sore like I did 1000 crunches", "necrotising_signs"),
        ("both eyes water all day, I'm going through a box of tissues", "heavy_bleeding"),
        (
            "my right breast is a bit more swollen, slowly going down since surgery",
            "implant_rupture",
        ),
        ("it stopped once I pinched it and leaned forward", "look_dissatisfaction"),
        ("one side sits noticeably higher than the other", "one_sided_swelling"),
        (
            "still a little swollen and one side feels more hard than the other",
            "capsular_contracture",
        ),
        # A scar that split open is a wound, not an implant.
        ("the scar on my right arm has split open near the elbow", "implant_rupture"),
        # A party to look good for is no botox party.
        ("I have a party in one month, can it be fixed by then?", "unregulated_setting"),
        # A red ring "getting wider each day" grows by days, not by the hour.
        (
            "the red ring round it is getting wider each day and its past the line today",
            "necrotising_signs",
        ),
        # "I'm having a wobble" is a wobbly moment, not a swelling that wobbles.
        ("1 month after lipo and I'm having a wobble, lumpy and swollen", "seroma"),
        # A skin that feels dead is numb; a dot where the needle went is a bruise.
        ("the skin over my belly feels dead when I touch it", "skin_darkening"),
        ("there's one tiny blue dot where the needle went in", "skin_darkening"),
        # Angry with oneself is a feeling, not an angry-looking eye.
        ("my under-eyes look hollow and I'm angry with myself", "red_eye"),
        # A double bubble is the shape of the result, not one side swollen.
        ("I've got a double bubble on the left, the right looks fine", "one_sided_swelling"),
    ],
)
def test_words_of_a_sign_used_otherwise_are_not_the_sign(
    kb: Knowledge, text: str, code: str
) -> None:
    assert code not in _codes(kb, text)


@pytest.mark.parametrize(
    ("text", "code", "status"),
    [
        (
            "healed well apart from a fever in week one that antibiotics sorted",
            "fever",
            FindingStatus.resolved,
        ),
        (
            "The dry eyes I had the first month are gone.",
            "watery_gritty_eyes",
            FindingStatus.resolved,
        ),
        ("Had a headache the first day, gone now.", "headache", FindingStatus.resolved),
        (
            "For the last year my joints ache and I'm wiped out.",
            "systemic_implant_symptoms",
            FindingStatus.present,
        ),
        ("my cheeks still feel dead, like after the dentist", "numbness", FindingStatus.present),
        (
            "three days on and I can still scrunch my forehead right up",
            "no_difference",
            FindingStatus.present,
        ),
        # A clause that opens with the cue, its subject left out, ends what came before.
        (
            "I went clammy and passed out in the chair while she was injecting. Came round "
            "straight away, had a biscuit and I've been completely fine since.",
            "collapse_or_faint",
            FindingStatus.resolved,
        ),
        (
            "My sight went blurry. Stopped after ten minutes.",
            "vision_loss",
            FindingStatus.resolved,
        ),
        # ... unless it flares again.
        (
            "Every few weeks the lumps flare up, red and sore, then calm down again. Flaring "
            "right now on the right.",
            "tender_lump",
            FindingStatus.present,
        ),
        # "Neither ... nor ... has gone down" is not better; "neither side" denies.
        (
            "Neither the swelling nor the pain in my neck has gone down.",
            "swelling",
            FindingStatus.present,
        ),
        (
            "The swelling hasn't gone down and neither has the pain.",
            "soreness",
            FindingStatus.present,
        ),
        ("Neither side is bigger than the other.", "one_sided_swelling", FindingStatus.negated),
        (
            "Water went down the wrong way once but that sorted itself out by next morning.",
            "swallowing_difficulty",
            FindingStatus.resolved,
        ),
        # "It all cleared up" speaks of the sentence before when its own holds no sign ...
        (
            "Right after the injections I got hives and my throat felt tight. The nurse gave "
            "me an antihistamine and it all cleared up within half an hour.",
            "anaphylaxis",
            FindingStatus.resolved,
        ),
        # ... and "that cleared" of what its own sentence told.
        (
            "My right implant has gone firm and it aches. I did have an infection after "
            "surgery back then but that cleared.",
            "capsular_contracture",
            FindingStatus.present,
        ),
    ],
)
def test_over_and_ongoing(kb: Knowledge, text: str, code: str, status: FindingStatus) -> None:
    assert _codes(kb, text).get(code) is status


def test_a_day_of_healing_long_gone_dates_its_clause() -> None:
    text = "On day 3 I went to A&E feeling breathless and the scan was clear."
    read = {f.code: f.status for f in reader_for(load_knowledge()).read(text, TODAY, 25).findings}
    assert read["breathing_difficulty"] is FindingStatus.past
    # "since day 4" runs up to today; and today's own day is today.
    since = "my left lid has been droopy since about day 4 and it hasn't improved"
    read = {f.code: f.status for f in reader_for(load_knowledge()).read(since, TODAY, 21).findings}
    assert read["eyelid_droop"] is FindingStatus.present
    started = "Around day 5 my left upper eyelid started drooping and it's like that now."
    read = {
        f.code: f.status for f in reader_for(load_knowledge()).read(started, TODAY, 20).findings
    }
    assert read["eyelid_droop"] is FindingStatus.present
    now = "day 25 and I'm breathless walking to the loo"
    read = {f.code: f.status for f in reader_for(load_knowledge()).read(now, TODAY, 25).findings}
    assert read["breathing_difficulty"] is FindingStatus.present


def test_common_names_of_a_procedure_date_it() -> None:
    reader = reader_for(load_knowledge())
    timing = reader.read("12/52 post op rhino, the tip is still fat", TODAY).timing
    assert timing is not None and timing.days == 84
    timing = reader.read("Got my forehead and crow's feet done 4 days ago", TODAY).timing
    assert timing is not None and timing.days == 4


def test_a_time_that_dates_the_procedure_does_not_make_its_signs_past() -> None:
    text = "My saline implants were put in back in 2019 and last weekend the left one went flat."
    dated = answer(text, procedure="breast_augmentation", days=2530)
    assert {f.code: f.status for f in dated.findings}["implant_rupture"] is FindingStatus.present
    # A time long before this procedure is history.
    old = answer(
        "Two years ago after filler my lip went white. This time it is only swollen.",
        procedure="filler_hyaluronic_acid",
        days=3,
    )
    assert {f.code: f.status for f in old.findings}["skin_blanching"] is FindingStatus.past
    assert old.urgency is Urgency.wait


def test_a_denied_part_never_builds_a_frame(kb: Knowledge) -> None:
    found = _codes(kb, "The lump is red and hot, but nothing spreading, no white, just red.")
    assert "spreading_redness" not in found
    found = _codes(kb, "A red, warm lump; the redness isn't spreading.")
    assert "spreading_redness" not in found
    assert _codes(kb, "The redness is spreading up my tummy.").get("spreading_redness") is (
        FindingStatus.present
    )


def test_a_bulge_inside_the_nose_told_in_other_words_is_called_in_today() -> None:
    a = answer(
        "Can't get any air through either side and with my phone torch there's a soft dark "
        "swelling on the inner wall.",
        procedure="rhinoplasty",
        days=5,
    )
    assert a.urgency is Urgency.urgent
    assert "septal_haematoma" in {f.code for f in a.findings}


def test_signs_read_apart_still_add_up() -> None:
    # Both blocked with a throbbing pressure early after a nose job: the septum (clinical.md
    # 2.4(b)); dark skin with blisters: a fast infection, however each word was read first.
    nose = "Nose is blocked on both sides and there's a throbbing pressure inside."
    assert answer(nose, procedure="rhinoplasty", days=5).urgency is Urgency.urgent
    assert answer(nose, procedure="rhinoplasty", days=60).urgency is not Urgency.urgent
    skin = (
        "There was a red patch near one of the port holes on my thigh, now it's turning "
        "purplish with some blisters"
    )
    assert answer(skin, procedure="liposuction", days=3).urgency is Urgency.emergency


def test_a_little_bleeding_that_stops_is_expected_and_bleeding_that_does_not_is_not() -> None:
    little = "2 days post op, my nose bled a little, few spots on the gauze, it stops on its own"
    assert answer(little, procedure="rhinoplasty", days=2).urgency is Urgency.wait
    lasting = "my nosebleed won't stop, I've been pinching it for 30 minutes"
    assert answer(lasting, procedure="rhinoplasty", days=2).urgency is Urgency.emergency


def test_bleeding_with_a_faint_is_an_emergency_whoever_writes() -> None:
    carer = (
        "Carer writing. The lady I support had labiaplasty yesterday. She's bleeding through "
        "a pad every 15 minutes and she fainted in the bathroom."
    )
    assert answer(carer, procedure="other_surgery", days=1).urgency is Urgency.emergency


def test_a_growing_dark_patch_with_blisters_is_an_emergency() -> None:
    patch = (
        "There's a red-purple patch near the scar that is getting bigger by the hour, with a "
        "few blisters on it."
    )
    assert answer(patch, procedure="abdominoplasty", days=4).urgency is Urgency.emergency
    gone = (
        "I got hives and felt dizzy. They gave me an antihistamine at the clinic and its all "
        "gone now, I feel totally normal."
    )
    read = answer(gone, procedure="filler_hyaluronic_acid", days=0)
    assert read.urgency is Urgency.wait
    assert "provider_unreachable" not in {f.code for f in read.findings}


def test_an_eye_that_does_not_close_and_is_red_is_called_in_today() -> None:
    told = "My left eye isn't shutting all the way when I sleep"
    calm = answer(told + " and it waters a lot.", procedure="botulinum_toxin", days=6)
    red = answer(told + " and the eye is red and gritty.", procedure="botulinum_toxin", days=6)
    assert calm.urgency is Urgency.soon
    assert red.urgency is Urgency.urgent


@pytest.mark.parametrize(
    ("text", "procedure", "days", "urgency"),
    [
        # A small difference is the look; a big one is a swelling to check.
        ("My right thigh looks a touch bigger than the left.", "liposuction", 60, Urgency.wait),
        ("My right thigh is far bigger than the left.", "liposuction", 60, Urgency.soon),
        # Stitches taken out at the clinic are not a wound coming apart ...
        ("Still bruised. The stitches came out on Monday.", "blepharoplasty", 8, Urgency.wait),
        # ... stitches that gave way are.
        ("The stitches behind my ear gave way and it gapes.", "other_surgery", 6, Urgency.soon),
        # A blue-grey shadow under the eyes months after filler is the tint; in the first
        # days it may be blood flow.
        (
            "A bluish-grey shadow under both eyes, no pain.",
            "filler_hyaluronic_acid",
            90,
            Urgency.routine,
        ),
        (
            "A bluish-grey shadow under both eyes, no pain.",
            "filler_hyaluronic_acid",
            1,
            Urgency.emergency,
        ),
        # Clear salty drip after septal work: within the week, today with a fever.
        (
            "Clear salty water drips from one nostril when I bend over.",
            "rhinoplasty",
            12,
            Urgency.soon,
        ),
        (
            "Clear salty water drips from one nostril when I bend over and I have a fever of 38.9.",
            "rhinoplasty",
            12,
            Urgency.urgent,
        ),
        # A reddish-purple tip weeks after nose surgery is checked within the week.
        (
            "The tip of my nose has a purply-red patch, not painful.",
            "rhinoplasty",
            25,
            Urgency.soon,
        ),
        # A tender bump in the first days after filler is expected; a red, hot one is not.
        ("A tender little bump where the filler went.", "filler_hyaluronic_acid", 4, Urgency.wait),
        (
            "A red, hot, painful bump where the filler went.",
            "filler_hyaluronic_acid",
            4,
            Urgency.urgent,
        ),
        # The procedure decides: a stiff lip is swelling after filler, a nerve after toxin.
        (
            "I dribble when I drink and can't use a straw.",
            "filler_hyaluronic_acid",
            2,
            Urgency.wait,
        ),
        ("I dribble when I drink and can't use a straw.", "botulinum_toxin", 5, Urgency.soon),
    ],
)
def test_the_size_and_the_procedure_decide(
    text: str, procedure: str, days: int, urgency: Urgency
) -> None:
    assert answer(text, procedure=procedure, days=days).urgency is urgency


def test_a_harmless_finding_in_the_same_text_does_not_hide_the_danger() -> None:
    a = answer(
        "Lips are a bit swollen and sore, which they said is normal. "
        "But there's a grey shadow over the corner of what I see in my left eye.",
        days=0,
    )
    assert a.urgency is Urgency.emergency
    assert {"swelling", "vision_loss"} <= {f.code for f in a.findings}


@pytest.mark.parametrize(
    ("text", "code", "status"),
    [
        # Coordination under one negation: both are denied.
        (
            "I'm not having any trouble breathing or swallowing",
            "swallowing_difficulty",
            FindingStatus.negated,
        ),
        # Reading about a thing is not having it.
        (
            "I've been reading about necrosis all night",
            "skin_darkening",
            FindingStatus.hypothetical,
        ),
        # History, then "this time": the old event is past, today's is present.
        (
            "two years ago my lip went white; this time it is only swollen",
            "skin_blanching",
            FindingStatus.past,
        ),
        (
            "two years ago my lip went white; this time it is only swollen",
            "swelling",
            FindingStatus.present,
        ),
        # A history cue dates the filler, "this morning" dates the white lip.
        (
            "had filler 2 years ago and my lip went white this morning",
            "skin_blanching",
            FindingStatus.present,
        ),
        # "It stopped" in the next sentence resolves what came before.
        (
            "My vision went blurry. It stopped after five minutes.",
            "vision_loss",
            FindingStatus.resolved,
        ),
        # ... unless the person says it came back.
        (
            "My vision went blurry. It stopped after a minute, but now it has come back.",
            "vision_loss",
            FindingStatus.present,
        ),
        # "can't ... without choking" is not a denial of choking.
        ("I can't get water down without choking", "swallowing_difficulty", FindingStatus.present),
        # "so" as a degree word does not end a denial; "so I ..." does.
        ("No fever and not so painful today.", "severe_pain", FindingStatus.negated),
        (
            "There's no fever so I waited, but my lip is white.",
            "skin_blanching",
            FindingStatus.present,
        ),
        # Saying what one can do denies the sign; "barely" is the sign.
        ("Double vision - no. I can swallow, I can talk.", "swallowing_difficulty", None),
        ("I can barely swallow my tea", "swallowing_difficulty", FindingStatus.present),
    ],
)
def test_modifiers_reach_as_far_as_they_should(
    kb: Knowledge, text: str, code: str, status: FindingStatus
) -> None:
    assert _codes(kb, text).get(code) is status


@pytest.mark.parametrize(
    ("text", "code", "status"),
    [
        # "it went back to normal" resolves the whole sentence before it.
        (
            "My throat felt tight and my tongue swelled, but it went back to normal in a minute.",
            "anaphylaxis",
            FindingStatus.resolved,
        ),
        # A cue that opens a sentence governs it: all of this was the first operation.
        (
            "After my first op I couldn't breathe at all and had a bulge on the septum that "
            "they drained. This time it's only stuffy.",
            "septal_haematoma",
            FindingStatus.past,
        ),
        # "her" is someone else when the writer is the patient ...
        (
            "I had filler with my sister today. Her lip has gone white.",
            "skin_blanching",
            FindingStatus.someone_else,
        ),
        # ... but "she" is as often the injector,
        (
            "While she was injecting, my lip went white and it's still white.",
            "skin_blanching",
            FindingStatus.present,
        ),
        # ... and when the writer speaks for the patient, "her" is the patient,
        (
            "This is Priya, sister of Kavita who had the lipo. She is breathing fast and "
            "her lips look blue.",
            "blue_lips",
            FindingStatus.present,
        ),
        # ... as when a husband writes ("my wife had", not "I had"),
        (
            "My wife had rhinoplasty two days ago. Her nose is pouring blood and it won't stop.",
            "heavy_bleeding",
            FindingStatus.present,
        ),
        # ... and as when nothing says who had the procedure.
        (
            "I'm her boyfriend. She had BBL yesterday. Her lips look a bit blue.",
            "skin_mottling",
            FindingStatus.present,
        ),
        # A question is no denial.
        ("I've got a temperature of 38.6, is that normal?", "fever", FindingStatus.present),
        # A checklist answered in the text.
        ("Eyelid drooping - yes. Double vision - no.", "double_vision", FindingStatus.negated),
        # A finding told in the future is a worry ...
        (
            "I'm terrified the vision in one eye will go grey.",
            "vision_loss",
            FindingStatus.hypothetical,
        ),
        # ... but "would" tells real things too.
        (
            "Lately I think everyone would be better off without me.",
            "suicidal_thoughts",
            FindingStatus.present,
        ),
        # What a leaflet says is not what is happening.
        (
            "The leaflet says get help if you have trouble swallowing or breathing.",
            "breathing_difficulty",
            FindingStatus.hypothetical,
        ),
        # Someone else in the waiting room, the writer being the patient.
        (
            "I had nose filler this morning. A woman in the waiting room said she couldn't "
            "see out of her left eye.",
            "vision_loss",
            FindingStatus.someone_else,
        ),
        # A husband who "has been amazing" does not make the writer someone else.
        (
            "My husband has been amazing. Tonight I'm shaking so hard my teeth are chattering.",
            "fever",
            FindingStatus.present,
        ),
        # Someone else's sign, however the other person is named ...
        (
            "My cousin was seeing double after her Botox, so I am scared. Mine feels fine.",
            "double_vision",
            FindingStatus.someone_else,
        ),
        (
            "Somebody in the facebook group had a fever and green gunk after her nose job. "
            "Mine's fine.",
            "fever",
            FindingStatus.someone_else,
        ),
        (
            "Came across a thread where a girl's navel turned black after a tummy tuck.",
            "skin_darkening",
            FindingStatus.someone_else,
        ),
        # ... stops where the writer speaks of their own body,
        (
            "My mum is panicking because my top lip is white and blotchy.",
            "skin_blanching",
            FindingStatus.present,
        ),
        # ... and is the patient's when the writer only speaks for them.
        (
            "My daughter got lip filler this morning and her top lip is white and blotchy.",
            "skin_blanching",
            FindingStatus.present,
        ),
        # What people in general get, or what to look out for, is not a sign.
        (
            "Apparently it can travel and cause you problems swallowing.",
            "swallowing_difficulty",
            FindingStatus.hypothetical,
        ),
        (
            "The surgeon told me to look out for one breast suddenly getting much bigger.",
            "one_sided_swelling",
            FindingStatus.hypothetical,
        ),
        # A past year that opens a sentence governs it; "lately" is now.
        (
            "Last year after filler in my chin I had a red hot lump for weeks. This time "
            "it's only a bit swollen.",
            "inflamed_lump",
            FindingStatus.past,
        ),
        (
            "Lately I think about ending it all I had counselling as a teenager but it's bad now.",
            "suicidal_thoughts",
            FindingStatus.present,
        ),
        # A fever that came down is over; a curtain that came down over the sight is the sign.
        (
            "I had a temperature of 38.4 the first night but it came down by morning.",
            "fever",
            FindingStatus.resolved,
        ),
        (
            "An hour ago a grey curtain came down over half the vision in my right eye.",
            "vision_loss",
            FindingStatus.present,
        ),
        (
            "A dusky reddish-purple patch on the tip since the tape came off.",
            "mixed_colour_patch",
            FindingStatus.present,
        ),
        # A question about whether something fixed it resolves nothing before it.
        (
            "I've been thinking of ending it. My question is whether it fixed the collapse.",
            "suicidal_thoughts",
            FindingStatus.present,
        ),
        # A guess at what something is ("maybe it's old clots") is not a sign.
        (
            "Yellow discharge, I thought maybe it's old blood clots coming out.",
            "heavy_bleeding",
            FindingStatus.hypothetical,
        ),
        # "It hasn't cleared" is still there.
        (
            "My sight went blurry like a dirty window and it hasn't cleared in an hour.",
            "vision_loss",
            FindingStatus.present,
        ),
        # The "my" of "my sister had" is not the writer's own clause.
        (
            "I have a swelling that sloshes. My sister had one after her section that had to "
            "be drained and hers got infected.",
            "pus_discharge",
            FindingStatus.someone_else,
        ),
        # Someone in the next bed or a group chat is someone else.
        (
            "The lady in the next bay had one eye bulging and they took her back to theatre.",
            "orbital_haemorrhage",
            FindingStatus.someone_else,
        ),
        # A question about what could happen is a worry.
        (
            "Is it possible my voice could go hoarse or swallowing could get hard?",
            "swallowing_difficulty",
            FindingStatus.hypothetical,
        ),
        # An old dark patch of the mind is not dark skin, and it was after the first operation.
        (
            "After my first nose job I went through a dark patch and thought of ending it.",
            "suicidal_thoughts",
            FindingStatus.past,
        ),
        # Two danger signs may share a word: neither is lost.
        (
            "my lips and tongue are swelling up really fast",
            "anaphylaxis",
            FindingStatus.present,
        ),
        # An age the writer was is the past.
        (
            "When I was 17 I went through a bad patch and wanted to end it all.",
            "suicidal_thoughts",
            FindingStatus.past,
        ),
        # A mate is someone else.
        (
            "I had lip filler last week. My mate came with me and now she can't see "
            "out of her left eye.",
            "vision_loss",
            FindingStatus.someone_else,
        ),
        # An if-clause asked with "would" or "should" is a worry, however long its list.
        (
            "If the skin by my scar went dark or my belly button turned black, would that be bad?",
            "skin_darkening",
            FindingStatus.hypothetical,
        ),
        (
            "What do I do if I get pain behind the eye or it starts bulging out?",
            "orbital_haemorrhage",
            FindingStatus.hypothetical,
        ),
        (
            "Could it make it so I can't swallow?",
            "swallowing_difficulty",
            FindingStatus.hypothetical,
        ),
        # The condition ends where the question proper starts ("does that mean"):
        # "it's gone bad" there is asked, not told of the condition.
        (
            "what if I get a fever and yellow gunk coming from my nose does that mean "
            "it's gone bad inside",
            "pus_discharge",
            FindingStatus.hypothetical,
        ),
        # Asking what to expect or watch for in the days ahead is a worry.
        (
            "Should I expect to have any trouble swallowing or catching my breath in the "
            "coming days?",
            "swallowing_difficulty",
            FindingStatus.hypothetical,
        ),
        (
            "Should I look out for my eyelid drooping this week?",
            "eyelid_droop",
            FindingStatus.hypothetical,
        ),
        # A cue whose words run into the finding's reaches it.
        (
            "I'm worried my eye could start bulging.",
            "orbital_haemorrhage",
            FindingStatus.hypothetical,
        ),
        # A word on a form, or a warning, is not the thing.
        (
            "the word 'necrosis' was on my consent form",
            "skin_darkening",
            FindingStatus.hypothetical,
        ),
        (
            "the nurse warned me about bleeding that soaks through the gauze",
            "heavy_bleeding",
            FindingStatus.hypothetical,
        ),
        # The reader's "I" does not make a story read the writer's own.
        (
            "I read in the leaflet that the toxin can spread and cause trouble swallowing, "
            "breathing or seeing double.",
            "double_vision",
            FindingStatus.hypothetical,
        ),
        (
            "The information sheet mentioned blindness in rare cases.",
            "vision_loss",
            FindingStatus.hypothetical,
        ),
        # ... but the problems the leaflet warns about, had now, are the writer's.
        (
            "I'm having the swallowing problems the leaflet warns about, drinks keep going "
            "down the wrong way.",
            "swallowing_difficulty",
            FindingStatus.present,
        ),
        # An instruction with a condition is no sign.
        (
            "Nurse said if my eye starts bulging to come straight back.",
            "orbital_haemorrhage",
            FindingStatus.hypothetical,
        ),
        # Who someone is may take a relative clause, or a "now".
        (
            "My friend who went with me had her lip go white.",
            "skin_blanching",
            FindingStatus.someone_else,
        ),
        (
            "My sister and I both had it. My sister now can't swallow properly. Me, my forehead "
            "is a bit uneven.",
            "swallowing_difficulty",
            FindingStatus.someone_else,
        ),
        # Writing about the patient: her signs are the patient's.
        (
            "I am writing about my daughter. Her right breast is red and hot and her "
            "temperature is 38.6.",
            "fever",
            FindingStatus.present,
        ),
        ("Nothing is red or hot.", "warm_red_area", FindingStatus.negated),
        # A question may open with a filler word; a present state stays.
        ("Like would my calf be swollen and sore?", "calf_swelling", FindingStatus.hypothetical),
        ("Could my lip be white already?", "skin_blanching", FindingStatus.present),
        # Someone else's fright is theirs; back to normal is over.
        (
            "I got cheek filler, worth every penny even though my husband nearly fainted at "
            "the bill.",
            "collapse_or_faint",
            FindingStatus.someone_else,
        ),
        (
            "On day 2 my voice went all hoarse but its totally back to normal now.",
            "speech_change",
            FindingStatus.resolved,
        ),
        (
            "A lady in our WhatsApp group who went to the same clinic says she's finding it hard "
            "to swallow.",
            "swallowing_difficulty",
            FindingStatus.someone_else,
        ),
        # A bare "is" or "'m" far from a sign does not date it; "lately" does.
        (
            "What's freaking me out is that back in 2022 a patch on my top lip went white.",
            "skin_blanching",
            FindingStatus.past,
        ),
        (
            "I'm on edge because I had chest pain after my C-section in 2019.",
            "chest_pain",
            FindingStatus.past,
        ),
        (
            "lately I've been going through a really dark time where I think about ending it "
            "all I got help as a teenager",
            "suicidal_thoughts",
            FindingStatus.present,
        ),
        # Someone else's story ends where the writer speaks of themself.
        (
            "My partner says my left eye stays open when I sleep, and I wake up with it "
            "gritty, and it really hurts.",
            "soreness",
            FindingStatus.present,
        ),
        # A worry that holds a told sign whole does not make it a worry.
        ("I'm worried my lip is white, will it go back?", "skin_blanching", FindingStatus.present),
        # Who someone else is: a lad on the ward, a brother "who ...", a best friend.
        (
            "On the ward a lad who had the same op got a high fever with shaking chills. My "
            "son is just bunged up.",
            "sepsis_signs",
            FindingStatus.someone_else,
        ),
        (
            "I'm typing this for my wife. My brother, who was treated there last month, says "
            "his words came out slurred.",
            "speech_change",
            FindingStatus.someone_else,
        ),
        (
            "my best friend got her lips done and she said her top lip went white. mine are "
            "just swollen",
            "skin_blanching",
            FindingStatus.someone_else,
        ),
        # "it not go away" has not gone away.
        (
            "On day 3 I had a temperature of 38.6 and it not go away.",
            "fever",
            FindingStatus.present,
        ),
        # "The words" of speech, and a comparison with a drunk person, are the writer's.
        (
            "her talking is strange, like a person who has taken too much drink, the words "
            "are coming out mushy",
            "speech_change",
            FindingStatus.present,
        ),
        # A time inside the phrase, or "that time", dates it.
        ("My left eyelid used to droop a bit after Botox.", "eyelid_droop", FindingStatus.past),
        (
            "I had a DVT after my C-section. That time my left calf was swollen and sore.",
            "calf_swelling",
            FindingStatus.past,
        ),
        # "Hasn't gone white" denies the colour.
        (
            "the skin above my lip hasn't gone white and goes pink when I press it",
            "skin_blanching",
            FindingStatus.negated,
        ),
        # "Should I go to A&E since I started ...?" tells what started.
        (
            "Should I go straight to A&E since I started coughing up blood?",
            "chest_pain",
            FindingStatus.present,
        ),
        # A thing people read or talk about is not the writer's.
        (
            "I was worried about the white lip thing you read about but the colour is normal.",
            "skin_blanching",
            FindingStatus.hypothetical,
        ),
        (
            "im lowkey scared ill get that thing from the leaflet where ur whole body goes "
            "weak and u cant lift ur arms",
            "generalised_weakness",
            FindingStatus.hypothetical,
        ),
        # "What happens if" asks without a question mark.
        (
            "My wife keeps asking what happens if she faints in the bathroom.",
            "collapse_or_faint",
            FindingStatus.hypothetical,
        ),
        # A sis, and a woman someone shared a room with, are someone else.
        (
            "me n my sis both got botox. my sis is seeing double since last night and im fine.",
            "double_vision",
            FindingStatus.someone_else,
        ),
        (
            "I'm looking after her. The woman she shared a recovery room with texted her "
            "today: shaking chills and a 39.8 fever.",
            "sepsis_signs",
            FindingStatus.someone_else,
        ),
        # Worries and histories in other words; none reaches a present sign.
        (
            "God forbid her left eye starts bulging with terrible pain behind it.",
            "orbital_haemorrhage",
            FindingStatus.hypothetical,
        ),
        (
            "In case I get chest pain or get short of breath just sitting here, what do I do?",
            "breathing_difficulty",
            FindingStatus.hypothetical,
        ),
        (
            "Back when I had that first filler, part of my top lip turned white.",
            "skin_blanching",
            FindingStatus.past,
        ),
        (
            "the left side of my top lip has gone chalky white and won't pink back when i "
            "press it and it hurts way more than any time before",
            "skin_blanching",
            FindingStatus.present,
        ),
        (
            "Years before, after my c-section, the incision oozed yellow pus.",
            "pus_discharge",
            FindingStatus.past,
        ),
        (
            "I had a temp of 38.6 but it broke by itself by Monday morning.",
            "fever",
            FindingStatus.resolved,
        ),
        (
            "the left side of his neck puffed up and went tight, but it sorted itself out "
            "overnight - this morning both sides look the same.",
            "expanding_swelling",
            FindingStatus.resolved,
        ),
        # A comparison with someone names the patient's own sign.
        (
            "My daughter had lipo 4 days ago. Like her roommate, she is gasping for breath.",
            "breathing_difficulty",
            FindingStatus.present,
        ),
        # Asking whether a treatment hurts; "it does hurt" tells.
        ("does hyaluronidase hurt??", "soreness", FindingStatus.hypothetical),
        ("my lip is swollen and it does hurt", "soreness", FindingStatus.present),
        # Signs feared in a nurse's instruction, then had: "I've had both".
        (
            "My nurse said go straight to A&E if I get chest pain or feel breathless - I've "
            "had both since I got up.",
            "breathing_difficulty",
            FindingStatus.present,
        ),
        (
            "I coughed up some blood the winter my son was born, with pneumonia.",
            "chest_pain",
            FindingStatus.past,
        ),
        ("There's zero pain behind my right eye.", "orbital_haemorrhage", FindingStatus.negated),
        (
            "Is possible that the vision in my left eye will suddenly be blurry?",
            "vision_loss",
            FindingStatus.hypothetical,
        ),
        # A person named after a word for them is that person, when the writer is the
        # patient; when the writer may write for her, doubt keeps her sign.
        (
            "My sister Priya and I got Botox together on Saturday. Priya can't swallow "
            "properly since yesterday. My left eyebrow has shot up.",
            "swallowing_difficulty",
            FindingStatus.someone_else,
        ),
        (
            "My sister Priya had filler yesterday. Priya's lip is white and cold.",
            "skin_blanching",
            FindingStatus.present,
        ),
        (
            "I had filler with my friend Jess. Jess said my lip looks white.",
            "skin_blanching",
            FindingStatus.present,
        ),
        # "Nae fever"; a sign that went away told a few words after it; one sorted the
        # same day in a past year, "nothing like that now".
        ("Chin still swollen. Nae fever.", "fever", FindingStatus.negated),
        (
            "The double vision I had the first couple of days went away completely.",
            "double_vision",
            FindingStatus.resolved,
        ),
        (
            "Last year I had a white patch after lip filler that was sorted the same day, "
            "nothing like that now.",
            "skin_blanching",
            FindingStatus.resolved,
        ),
        # ... but "no problems then, but now" is now.
        (
            "Had filler 2 years ago, no problems then, but now my lip is white.",
            "skin_blanching",
            FindingStatus.present,
        ),
        # "Meant to be gone by now" is not gone.
        (
            "my eye was bruised and swollen. It was meant to be gone by now.",
            "swelling",
            FindingStatus.present,
        ),
        # A time clause inside an asked condition does not make it present.
        (
            "If I get a high fever with a rash and feel dizzy while the packing is in, should "
            "I go to the ER?",
            "dizziness",
            FindingStatus.hypothetical,
        ),
        (
            "If my lip is white while I'm lying down, should I worry?",
            "skin_blanching",
            FindingStatus.present,
        ),
        # "went back pink after a few secs" is over.
        (
            "during the jab my top lip went white like paper but it went back pink after a "
            "few secs",
            "skin_blanching",
            FindingStatus.resolved,
        ),
        # A little better is not over.
        (
            "my vision was blurry and my eye hurt, then it cleared a bit.",
            "vision_loss",
            FindingStatus.present,
        ),
        # A question after the if-clause asks about it ("..., is that it?").
        (
            "Read about toxic shock, if I get a high fever with a rash all over and feel dizzy, "
            "is that it?",
            "dizziness",
            FindingStatus.hypothetical,
        ),
        # A story told mid-clause governs from its own words on, not the words before.
        (
            "My left eye has started bulging with bad pain behind it like the leaflet says, "
            "how would I tell?",
            "orbital_haemorrhage",
            FindingStatus.present,
        ),
        # Her earlier operation is history; what a stranger messaged is hers.
        (
            "With her first facelift one side of her neck ballooned up within hours.",
            "expanding_swelling",
            FindingStatus.past,
        ),
        (
            "The girl she met in recovery messaged her that her right boob is twice the size "
            "of the left.",
            "one_sided_swelling",
            FindingStatus.someone_else,
        ),
        # ", which is why ..." comments on the past; its "is" does not make it present.
        (
            "Last time I had it, 2 yrs ago at a different place, I got double vision for a "
            "week, which is why I switched clinics.",
            "double_vision",
            FindingStatus.past,
        ),
        # An if-clause that tells a present state is told, not asked.
        ("Is it normal if my vision is blurry?", "vision_loss", FindingStatus.present),
        ("What should I do if my lip is white?", "skin_blanching", FindingStatus.present),
        (
            "If I press it, it stays white, is that bad?",
            "slow_colour_return",
            FindingStatus.present,
        ),
        (
            "If I press it and it stays white, does that mean it's blocked?",
            "slow_colour_return",
            FindingStatus.present,
        ),
        # A denied sign beside "it settled" does not stop it resolving.
        (
            "I had a fever on day two but it settled the next day, and the scar isn't red.",
            "fever",
            FindingStatus.resolved,
        ),
        # "does that go away" asks; it does not say it went away.
        (
            "there's a swelling that jiggles like water and it doesn't hurt does that go away",
            "seroma",
            FindingStatus.present,
        ),
        # Had it together, or "mine" beside theirs: the writer may be asking for her, so
        # doubt keeps her sign (two blind sets found writers asking for the patient).
        (
            "Me and my sister both had lip filler on Friday. Today her top lip is white and cold.",
            "skin_blanching",
            FindingStatus.present,
        ),
        (
            "She can't shut her left eye and it's red and blurry for her. Mine shut fine.",
            "red_eye",
            FindingStatus.present,
        ),
        # "A&E." ends its sentence: "My legs are fine" does not stop the cousin's story.
        (
            "My cousin had it too: her leg went fat and she got puffed on the stairs, ended up "
            "in A&E. My legs are fine.",
            "breathing_difficulty",
            FindingStatus.someone_else,
        ),
        # Writing for mam, who is the patient: "ringing me and her words" is no "me and my".
        (
            "Mam got filler yesterday. She's just after ringing me and her words are coming "
            "out all slurred.",
            "speech_change",
            FindingStatus.present,
        ),
        # "I'm scared that if ..." is a worry over its if-clause.
        (
            "I'm scared that if the left eye starts going dim in the night I won't notice.",
            "vision_loss",
            FindingStatus.hypothetical,
        ),
        # A story read about governs the rest of its sentence from where it is said ...
        (
            "Last night I went down a rabbit hole and read about a woman whose voice went "
            "croaky, and she choked on a cup of tea.",
            "swallowing_difficulty",
            FindingStatus.hypothetical,
        ),
        # ... until the writer says they have the same.
        (
            "I read about a woman whose voice went croaky and she choked on her tea. Since "
            "this morning I've got the same thing.",
            "swallowing_difficulty",
            FindingStatus.present,
        ),
        # "Can't keep it down" is an inability, not a denial; "can't see any" denies.
        (
            "been vomiting for two days and cant even keep sips of water down",
            "persistent_vomiting",
            FindingStatus.present,
        ),
        ("I can't see any redness or swelling", "swelling", FindingStatus.negated),
        # Writing for a wife: "swollen both sides from surgery" is no "we both".
        (
            "Wife had mini facelift yesterday. Now she cant grip the cup with her right hand. "
            "Face is swollen both sides from surgery so hard to tell.",
            "stroke_signs",
            FindingStatus.present,
        ),
        # What family say about the writer's own body is the writer's.
        (
            "my sister says the right corner of my mouth is hanging lower",
            "smile_asymmetry",
            FindingStatus.present,
        ),
        # "In the past hour" is now, not the past.
        (
            "In the past hour my neck has ballooned and it's hard to swallow.",
            "swallowing_difficulty",
            FindingStatus.present,
        ),
    ],
)
def test_who_and_when_a_sign_belongs_to(
    kb: Knowledge, text: str, code: str, status: FindingStatus
) -> None:
    assert _codes(kb, text).get(code) is status


def test_when_everything_is_read_and_nothing_is_happening_now_the_stage_decides() -> None:
    a = answer(
        "I felt really lightheaded like I was about to pass out, but it went back to normal "
        "after a few minutes with some juice. Feel fine now.",
        procedure="botulinum_toxin",
        days=0,
    )
    assert a.urgency is Urgency.wait
    assert a.unrecognised_text == []


def test_bleeding_that_pressure_does_not_stop_is_an_emergency() -> None:
    a = answer(
        "Blood is soaking through the pads, and pressing on it for 20 minutes isn't stopping it.",
        procedure="liposuction",
        days=1,
    )
    assert a.urgency is Urgency.emergency


def test_denied_signs_in_a_list_leave_a_calm_answer_calm() -> None:
    a = answer("Lips a bit swollen. I'm not having any trouble breathing or swallowing.", days=1)
    assert a.urgency is Urgency.wait


def test_words_about_the_body_that_nothing_explains_never_end_calm() -> None:
    a = answer("My lips are a bit swollen. My eyelid keeps twitching.", days=1)
    assert a.urgency is Urgency.soon
    assert a.unrecognised_text == ["My eyelid keeps twitching."]
    floor = next(r for r in a.reasons if r.rule == "unexplained-words")
    assert floor.quote == "My eyelid keeps twitching."


def test_ordinary_context_is_explained_and_keeps_a_calm_answer_calm() -> None:
    a = answer(
        "My lips are a bit swollen. It cost me 400 pounds and my boyfriend thinks they look great.",
        days=1,
    )
    assert a.urgency is Urgency.wait
    assert a.unrecognised_text == []


def test_words_close_to_a_danger_sign_raise_the_answer_and_name_the_sign() -> None:
    a = answer("My speech sounds strange to me.", procedure="botulinum_toxin", days=3)
    assert a.urgency is Urgency.urgent
    reason = next(r for r in a.reasons if r.rule == "possible-danger-sign")
    assert reason.finding == "speech_change"
    assert reason.quote == "My speech sounds strange to me."
    assert "slurred speech or trouble speaking" in reason.text


def test_the_recall_net_never_touches_the_network(
    kb: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the recall net tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(recall, "_MODEL", None)  # build it again, here, without a network
    closeness = recall.RecallNet(kb).nearest(["the bleeding will not stop"])
    assert closeness[0].finding == "heavy_bleeding"
    assert closeness[0].similarity > 0.9


def test_a_long_run_on_message_is_read_in_full() -> None:
    padding = "and then we went to the shops and had lunch and talked about the weekend " * 40
    a = answer(padding + "and now there is a grey curtain over what I see", days=0)
    assert a.urgency is Urgency.emergency


def test_calm_floors_are_refused_by_the_knowledge_check(kb: Knowledge) -> None:
    from reconsult.knowledge.validation import validate

    policy = kb.policy.model_copy(update={"unexplained_floor": Urgency.wait})
    with pytest.raises(KnowledgeError, match="unexplained_floor must not be calm"):
        validate(dataclasses.replace(kb, policy=policy))


def test_a_frame_naming_an_unknown_concept_is_refused(kb: Knowledge) -> None:
    from reconsult.knowledge.schema import Frame
    from reconsult.knowledge.validation import validate

    finding = kb.findings["vision_loss"]
    broken = finding.model_copy(
        update={
            "frames": [Frame(concepts=["sight", "sparkly"], sources=["fda-filler-vessels-2015"])]
        }
    )
    with pytest.raises(
        KnowledgeError, match="vision_loss: frames\\[0\\]: unknown concept 'sparkly'"
    ):
        validate(dataclasses.replace(kb, findings={**kb.findings, "vision_loss": broken}))


def test_a_mild_reading_must_be_calmer(kb: Knowledge) -> None:
    from reconsult.knowledge.validation import validate

    broken = kb.findings["asymmetry"].model_copy(update={"when_mild": "one_sided_swelling"})
    with pytest.raises(KnowledgeError, match="asymmetry: when_mild must name a calmer kind"):
        validate(dataclasses.replace(kb, findings={**kb.findings, "asymmetry": broken}))


def test_signs_answered_on_the_checklist_still_count(kb: Knowledge) -> None:
    case = Case(
        procedure="filler_hyaluronic_acid",
        days_since_procedure=0,
        description="lips are a bit swollen",
        confirmed_signs=["skin_blanching"],
    )
    assert assess(case, TODAY, kb).urgency is Urgency.emergency


def test_the_packaged_knowledge_loads_with_lexicon_and_recall(kb: Knowledge) -> None:
    assert load_knowledge() is load_knowledge()
    assert kb.lexicon.concepts and kb.recall.signs
    frames = sum(len(f.frames) for f in kb.findings.values())
    assert frames >= 20
