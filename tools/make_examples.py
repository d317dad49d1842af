"""Rebuild the binary and non-UTF-8 examples from the texts written here.

Run from the repository root: ``python tools/make_examples.py``; it writes into
``examples/``, which holds only bulletins (``themes score examples/`` reports any other file
as not read). Needs python-docx and reportlab (``pip install 'themes[test]'``). The .txt and
.html examples are kept as they are.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "examples"

EXERCISE_TITLE = "Mountain Shield-2024 exercise concludes"
EXERCISE_DATELINE = "Dushanbe, 5 September 2024"
EXERCISE_PARAGRAPHS = [
    "The joint anti-terrorist exercise Mountain Shield-2024 ended today at a training ground "
    "near Dushanbe. Special units of five member states, about 1,200 personnel in all, took part.",
    "The exercise scenario included:",
    ["the release of hostages seized by an armed group at a hydroelectric power station;",
     "the detection and suppression of an attack by unmanned aerial vehicles on a fuel depot;",
     "the search for militants who had crossed the state border through mountain passes."],
    "Observers from the Secretariat praised the level of coordination between the units. "
    "Lt. Col. R.S. Nazarov, head of the exercise staff, said the lessons learned will be "
    "used in the training courses planned for 2025.",
    "The parties agreed to hold the next joint exercise in the Kyrgyz Republic.",
]

FINANCING_TITLE = "Working group on countering the financing of terrorism meets in Moscow"
FINANCING_DATELINE = "Moscow, 18 November 2024"
FINANCING_PARAGRAPHS = [
    "The working group on countering the financing of terrorism held its regular meeting in "
    "Moscow. Heads of the financial intelligence units of the member states took part.",
    "The participants exchanged views on new channels for moving funds to terrorist groups. "
    "Speakers paid attention to:",
    ["the use of crypto-assets and anonymous electronic wallets to collect donations for militants;",
     "informal money transfer systems of the hawala type;",
     "cash couriers crossing borders with sums below the declaration threshold."],
    "The group agreed to prepare common indicators of suspicious transactions linked to "
    "terrorism and to share them with banks and payment services.",
    "The results of the meeting will be reported to the Council in March 2025.",
]

BORDER_RU = """Совещание руководителей пограничных ведомств

Бишкек, 10 февраля 2025 г.

В Бишкеке прошло совещание руководителей пограничных ведомств государств-участников под председательством А.В. Петрова. Участники обсудили обстановку на внешних границах.

В ходе совещания стороны:
– отметили рост попыток незаконной миграции через горные участки границы;
– договорились усилить обмен сведениями о лицах, причастных к террористической деятельности;
– обсудили пресечение контрабанды наркотиков и оружия на южных направлениях.

Следующее совещание состоится осенью 2025 г. в Ташкенте.
"""


def make_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
    )

    styles = getSampleStyleSheet()
    story = [Paragraph(EXERCISE_TITLE, styles["Title"]), Paragraph(EXERCISE_DATELINE, styles["Italic"]), Spacer(1, 8)]
    for block in EXERCISE_PARAGRAPHS:
        if isinstance(block, list):
            items = [ListItem(Paragraph(item, styles["BodyText"])) for item in block]
            story.append(ListFlowable(items, bulletType="bullet", start="\u2022"))
        else:
            story.append(Paragraph(block, styles["BodyText"]))
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, title=EXERCISE_TITLE, author="Secretariat", invariant=True,
    )
    doc.build(story)


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading(FINANCING_TITLE, level=1)
    document.add_paragraph(FINANCING_DATELINE)
    for block in FINANCING_PARAGRAPHS:
        if isinstance(block, list):
            for item in block:
                document.add_paragraph(item, style="List Bullet")
        else:
            document.add_paragraph(block)
    properties = document.core_properties
    properties.title = FINANCING_TITLE
    properties.author = "Secretariat"
    properties.created = dt.datetime(2024, 11, 18, 12, 0, 0)
    properties.modified = dt.datetime(2024, 11, 18, 12, 0, 0)
    document.save(str(path))


def main() -> None:
    make_pdf(HERE / "2024-09-05-joint-exercise.pdf")
    make_docx(HERE / "2024-11-18-working-group-financing.docx")
    (HERE / "2025-02-10-border-agencies-cp1251.txt").write_bytes(BORDER_RU.encode("windows-1251"))


if __name__ == "__main__":
    main()
