"""Lead-ins that open with a date, and numbers after the acronym of a body (session 16b).

"On 14 May 2024 the participants:" above a list was read as a dateline ("On 14 May 2024 the
participants"): the items below it lost their lead-in as context. Such a line is a lead-in;
its date still dates a bulletin that has no dateline (source "text"), and real datelines stay
datelines. And "ОДКБ 5 – 20 мая 2024" (the 5th ... of the CSTO) gave the 5th since a word all
in capitals before a number was read as a place ("МОСКВА 17 – 19 ноября"): an acronym of a
body numbers things again. The texts are written for the purpose."""

from __future__ import annotations

import pytest

from themes import dates
from themes.archive.summary import bulletin_date
from themes.readers import Document
from themes.segment import segment


def _date(text, path="archive/bulletin.txt"):
    return bulletin_date(segment(text), Document(bulletin="x", format="txt"), path)


# ------------- 1. a lead-in that opens with a date is a lead-in, its items carry it
LEAD_INS = {
    "on-date-participants": "On 14 May 2024 the participants:",
    "on-day-month-council": "On 3 March the Council:",
    "russian-date-first": "14 мая 2024 года участники заседания:",
    "at-the-meeting-on": "At the meeting on 14 May 2024 the parties:",
    "russian-v-khode": "В ходе заседания 14 мая 2024 года стороны:",
}
ITEMS = "- agreed to exchange data on foreign terrorist fighters;\n- condemned the attack.\n"


@pytest.mark.parametrize("lead_in", LEAD_INS.values(), ids=LEAD_INS.keys())
@pytest.mark.parametrize(
    "above, gap",
    [("", ""), ("Council of Heads of Services\n", ""), ("Council of Heads of Services\n\n", "\n")],
    ids=["first-line", "below-a-title", "blank-lines-around"],
)
def test_a_lead_in_that_opens_with_a_date_is_the_context_of_its_items(lead_in, above, gap):
    segs = segment(above + lead_in + "\n" + gap + ITEMS)
    kinds = [(s.kind, s.text) for s in segs]
    assert ("lead_in", lead_in) in kinds
    assert "dateline" not in [kind for kind, _ in kinds]
    bullets = [s for s in segs if s.kind == "bullet"]
    assert len(bullets) == 2
    assert all(s.context == lead_in for s in bullets)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("On 14 May 2024 the participants:\n" + ITEMS, "2024-05-14"),
        ("Council of Heads of Services\nOn 14 May 2024 the participants:\n" + ITEMS, "2024-05-14"),
        ("14 мая 2024 года участники заседания:\n- обсудили угрозы;\n- приняли план.\n", "2024-05-14"),
        ("At the meeting on 14 May 2024 the parties:\n" + ITEMS, "2024-05-14"),
    ],
    ids=["first-line", "below-a-title", "russian", "at-the-meeting"],
)
def test_the_lead_ins_date_still_dates_a_bulletin_without_a_dateline(text, expected):
    assert _date(text) == (expected, "text")


def test_a_yearless_lead_in_is_dated_with_the_year_of_its_folder():
    text = "Council of Heads of Services\nOn 3 March the Council:\n" + ITEMS
    assert _date(text, "archive/2025/bulletin.txt") == ("2025-03-03", "text")


def test_a_dateline_above_the_lead_in_dates_the_bulletin():
    text = "Council of Heads of Services\nMOSCOW, 13 May 2024 —\nOn 14 May 2024 the participants:\n" + ITEMS
    kinds = [(s.kind, s.text) for s in segment(text)]
    assert kinds[1] == ("dateline", "MOSCOW, 13 May 2024 —")
    assert kinds[2] == ("lead_in", "On 14 May 2024 the participants:")
    assert _date(text) == ("2024-05-13", "dateline")


@pytest.mark.parametrize(
    "dateline, rest",
    [
        ("MOSCOW, 14 May 2024 —", "The Council met."),
        ("МОСКВА, 14 мая 2024 г.", "Совет провёл заседание."),
        ("14 May 2024", "The Council met."),
        ("Minsk, 14 May 2024", "The participants:\n" + ITEMS),
        ("MOSCOW, 14 May 2024 —", "The participants:\n" + ITEMS),
    ],
    ids=["wire-dash", "russian-wire", "date-alone", "place-and-date-above-a-lead-in", "wire-above-a-lead-in"],
)
@pytest.mark.parametrize("above", ["", "Council of Heads of Services\n"], ids=["first-line", "below-a-title"])
def test_real_datelines_stay_datelines(dateline, rest, above):
    segs = segment(above + dateline + "\n" + rest + "\n")
    assert [(s.kind, s.text) for s in segs if s.kind == "dateline"] == [("dateline", dateline)]
    assert _date(above + dateline + "\n" + rest + "\n") == ("2024-05-14", "dateline")


@pytest.mark.parametrize(
    "lead_in", ["On 14 May 2024 Participants:", "14 May 2024, Minsk:", "MINSK, 14 May 2024:", "Минск, 14 мая 2024 г.:"]
)
@pytest.mark.parametrize(
    "above, gap",
    [
        ("", ""),
        ("Council of Heads of Services\n", ""),
        ("Council of Heads of Services\n", "\n"),
        ("Council of Heads of Services\n", "\u2022\n"),
    ],
    ids=["first-line", "below-a-title", "blank-line-between", "marker-alone-above-the-item"],
)
def test_a_dated_line_ending_in_a_colon_above_list_items_is_their_lead_in(lead_in, above, gap):
    """Words no sentence needs ("Participants", a place): the line reads as a dateline, but
    the items below it make it their lead-in."""
    items = ITEMS.replace("- ", "", 1) if gap.strip() else ITEMS  # the first item's marker alone above it
    text = above + lead_in + "\n" + gap + items
    segs = segment(text)
    assert [s.kind for s in segs if s.text == lead_in] == ["lead_in"]
    bullets = [s for s in segs if s.kind == "bullet"]
    assert [s.context for s in bullets] == [lead_in, lead_in]
    assert _date(text) == ("2024-05-14", "text")


@pytest.mark.parametrize("below", ["The Council met.\n", "\nThe Council met.\n", ""], ids=["sentence", "blank-line", "nothing"])
def test_a_dated_line_ending_in_a_colon_above_text_stays_the_dateline(below):
    text = "Council of Heads of Services\nMINSK, 14 May 2024:\n" + below
    kinds = [(s.kind, s.text) for s in segment(text)]
    assert kinds[1] == ("dateline", "MINSK, 14 May 2024:")
    assert _date(text) == ("2024-05-14", "dateline")


def test_a_dateline_opening_a_sentence_after_a_colon_stays_one():
    segs = segment("Council of Heads of Services\nMINSK, 14 May 2024: The Council met.\n")
    assert [(s.kind, s.text) for s in segs][1:] == [("dateline", "MINSK, 14 May 2024"), ("sentence", "The Council met.")]


def test_a_lead_in_on_one_line_with_its_text_is_a_sentence():
    segs = segment("Council of Heads of Services\nOn 14 May 2024 the participants: agreed to share data.\n")
    assert [s.kind for s in segs] == ["title", "sentence"]


# ------------- 2. a body's acronym before a number numbers it; a place does not
@pytest.mark.parametrize(
    "text",
    [
        "ОДКБ 5 – 20 мая 2024",
        "СНГ 5 – 20 мая 2024 г.",
        "ШОС 5 - 20 мая 2024",
        "РАТС 5 – 20 мая 2024 года",
        "АТЦ 5 — 20 мая 2024",
        "ООН 5 – 20 мая 2024",
        "ФАТФ 5 – 20 мая 2024",
        "ЕАГ 5 – 20 мая 2024",
        "CSTO 5 - 20 May 2024",
        "SCO 5 – 20 May 2024",
        "CIS 5 - 20 May 2024",
        "RATS 5 - 20 May 2024",
        "UN 5 - 20 May 2024",
        "FATF 5 - 20 May 2024",
        "EAG 5 - 20 May 2024",
        "OSCE 5 - 20 May 2024",
        "NATO 5 - 20 May 2024",
        "НАТО 5 – 20 мая 2024",
        "MONEYVAL 5 - 20 May 2024",
        "Bulletin 5 - 20 May 2024",
    ],
)
def test_a_number_after_a_bodys_acronym_is_no_first_day(text):
    assert dates.parse_date(text) == "2024-05-20"


@pytest.mark.parametrize(
    "text, year",
    [
        ("МОСКВА 17 – 19 ноября 2025", None),
        ("АСТАНА 17 – 19 ноября", 2025),
        ("МИНСК 17 – 19 ноября 2025 г.", None),
        ("БАКУ 17 – 19 ноября 2025", None),
        ("КИЕВ 17 – 19 ноября 2025", None),
        ("ALMATY 17 - 19 November 2025", None),
        ("Москва 17 – 19 ноября 2025", None),
        ("Астана 17 – 19 ноября", 2025),
        ("Tashkent 17 - 19 November 2025", None),
    ],
)
def test_a_number_after_a_place_is_the_first_day(text, year):
    assert dates.parse_date(text, year=year) == "2025-11-17"


def test_the_codebooks_acronyms_number_things():
    """Every word in capitals of the codebook (its organisations' acronyms among them: "ФАТФ",
    "ЕАГ", "МАНИВЭЛ", "ЦАРИКЦ", "MONEYVAL") numbers the number after it."""
    import json
    import re
    from pathlib import Path

    data = Path(dates.__file__).parent / "data"
    lexicon = json.loads((data / "lexicon.json").read_text(encoding="utf-8"))
    lexicon.pop("_comment", None)
    words = set(re.findall(r"\b[A-ZА-ЯЁ]{2,}\b", json.dumps(lexicon, ensure_ascii=False)))
    words |= set(re.findall(r"\b[A-ZА-ЯЁ]{2,}\b", (data / "taxonomy.json").read_text(encoding="utf-8")))
    assert {"ФАТФ", "ЕАГ", "МАНИВЭЛ", "MONEYVAL", "FATF"} <= words
    read_as_places = sorted(w for w in words if not dates._counts_something(w + " 5", len(w) + 1))
    assert read_as_places == []


@pytest.mark.parametrize(
    "opening",
    [
        "CIS ANTI-TERRORISM CENTER\nPress service\nBulletin No. 12\n\n",
        "Regional Council\nPress release\n\n",
    ],
    ids=["header-block", "title-and-line"],
)
def test_a_dated_lead_in_below_a_header_dates_the_bulletin(opening):
    """The lead-in's date dates a bulletin with no dateline even when the lines above it were
    read as a statement (it did as a dateline, before the lead-in was one; then not at all)."""
    text = opening + "On 14 May 2024 the participants:\n- discussed the financing of terrorism;\n- agreed to hold a joint exercise.\n"
    segments = segment(text)
    assert [s.context for s in segments if s.kind == "bullet"] == ["On 14 May 2024 the participants:"] * 2
    assert bulletin_date(segments, Document(bulletin="x", format="txt"), "archive/b.txt") == ("2024-05-14", "text")


def test_a_later_lead_in_does_not_date_over_the_first_statement():
    text = "On 3 March 2024 the Council met in Minsk.\n\nOn 14 May 2024 the participants:\n- discussed drones.\n"
    assert bulletin_date(segment(text), Document(bulletin="x", format="txt"), "archive/b.txt") == ("2024-03-03", "text")
