"""Session 17 review of Russian bulletins as an analyst at a CIS body has them: the readers
(a web page whose charset lies, a PDF's placeholder title) and a bulletin in Ukrainian,
Belarusian or Kazakh, which is not scored as Russian statement by statement."""

from pathlib import Path

from themes import score_archive
from themes.readers import read_documents


def read_document(path):
    (doc,) = read_documents(path)
    return doc

_PAGE = """<html><head><meta charset={charset}><title>Заседание Совета</title></head><body>
<h1>Заседание Совета министров внутренних дел</h1>
<p>ЕРЕВАН, 25 сентября 2025 г. В Ереване состоялось заседание Совета министров внутренних дел государств - участников СНГ.</p>
<p>По итогам совещания принято решение:</p>
<ul><li>утвердить план мероприятий по противодействию экстремизму в молодежной среде;</li>
<li>организовать обучение сотрудников методам выявления вербовщиков в социальных сетях.</li></ul>
</body></html>"""


def _page(tmp_path, charset, encoding, name="page.html"):
    path = tmp_path / name
    path.write_bytes(_PAGE.format(charset=charset).encode(encoding))
    return path


def _text(doc):
    return "".join(doc.iter_text())


# ------------------------- 1. a web page that declares the wrong Cyrillic code page
def test_a_page_declaring_koi8r_but_written_in_windows_1251_is_read_as_russian(tmp_path):
    doc = read_document(_page(tmp_path, "koi8-r", "cp1251"))
    assert "Ереване состоялось заседание" in _text(doc)
    assert doc.encoding == "windows-1251"


def test_a_page_declaring_windows_1251_but_written_in_koi8r_is_read_as_russian(tmp_path):
    doc = read_document(_page(tmp_path, "windows-1251", "koi8-r"))
    assert "Ереване состоялось заседание" in _text(doc)
    assert doc.encoding == "koi8-r"


def test_a_page_declaring_latin1_but_written_in_windows_1251_is_read_as_russian(tmp_path):
    doc = read_document(_page(tmp_path, "iso-8859-1", "cp1251"))
    assert "Ереване состоялось заседание" in _text(doc)
    assert doc.encoding == "windows-1251"


def test_a_page_whose_declaration_is_right_keeps_it(tmp_path):
    for charset, encoding in (("windows-1251", "cp1251"), ("koi8-r", "koi8-r")):
        doc = read_document(_page(tmp_path, charset, encoding, f"{charset}.html"))
        assert "Ереване состоялось заседание" in _text(doc)
        assert doc.encoding == charset


def test_a_latin1_page_in_french_keeps_its_declaration(tmp_path):
    path = tmp_path / "fr.html"
    path.write_bytes(
        "<html><head><meta charset=iso-8859-1></head><body><p>Le Comité a examiné la sécurité "
        "des frontières et la coopération régionale contre le terrorisme.</p></body></html>".encode("latin-1")
    )
    doc = read_document(path)
    assert "Comité a examiné la sécurité" in _text(doc)


# ------------------------------- 2. a PDF whose metadata title is a tool's placeholder
def test_a_placeholder_metadata_title_is_no_title():
    from themes.readers import metadata_title

    for placeholder in ("(anonymous)", "untitled", "Untitled document", "Документ1", "Document1",
                        "Microsoft Word - 2025-12-02.docx", "  ", "Без названия"):
        assert metadata_title(placeholder) is None, placeholder
    assert metadata_title("Заседание Совета РАТС ШОС") == "Заседание Совета РАТС ШОС"
    assert metadata_title("Microsoft Word - Заседание Совета РАТС ШОС.docx") == "Заседание Совета РАТС ШОС"


def test_a_pdf_made_by_reportlab_has_no_anonymous_title(tmp_path):
    import pytest

    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    path = tmp_path / "2025-12-02-bulletin.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Tashkent, 2 December 2025. The Council met.")
    c.save()
    assert read_document(path).title is None


# -------- 3. a bulletin in another Cyrillic language: none of its statements is Russian
_UKRAINIAN = """Київ, 14 травня 2025 року

Служба безпеки України провела засідання Антитерористичного центру.
Учасники засідання обговорили питання захисту об'єктів критичної інфраструктури від ударів безпілотників.
Було прийнято рішення посилити взаємодію з прикордонною службою.
"""

_BELARUSIAN = """Мінск, 22 верасня 2025 года

У Мінску адбылося пасяджэнне міжведамаснай камісіі па пытаннях барацьбы з тэрарызмам.
Удзельнікі пасяджэння абмеркавалі пытанні ўзмацнення аховы дзяржаўнай мяжы.
Было прынята рашэнне аб правядзенні сумесных вучэнняў у кастрычніку.
"""

_RUSSIAN_WITH_A_KAZAKH_QUOTE = """Астана, 5 марта 2025 г.

5 марта 2025 г. в Астане прошло совещание представителей компетентных органов.
Председатель зачитал обращение: «Терроризмді қаржыландыру арналарын анықтау жөніндегі жұмыстар жалғастырылатын болады».
Участники отметили рост числа атак беспилотников на объекты энергетики.
Делегации подчеркнули необходимость укрепления пограничного контроля.
"""


def _score(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (result,) = score_archive([str(path)])
    return result


def test_a_ukrainian_bulletin_is_not_scored_as_russian(tmp_path):
    result = _score(tmp_path, "uk.txt", _UKRAINIAN)
    cyrillic = [r for r in result.records if r["kind"] != "title"]
    assert cyrillic and all(r["not_scored"] for r in result.records), [
        (r["text"], r["not_scored"]) for r in result.records
    ]
    # the statement of one word with "і" is not scored as Russian either, and says why
    first = next(r for r in result.records if r["text"].startswith("Служба"))
    assert "Ukrainian" in first["not_scored"] and first["language"] is None and first["themes"] == []
    assert result.summary["languages"] == {}


def test_a_belarusian_bulletin_is_not_scored_as_russian(tmp_path):
    result = _score(tmp_path, "be.txt", _BELARUSIAN)
    assert all(r["not_scored"] for r in result.records), [(r["text"], r["not_scored"]) for r in result.records]
    assert all(r["themes"] == [] for r in result.records)
    assert "Belarusian" in result.records[0]["not_scored"]


def test_a_russian_bulletin_quoting_kazakh_keeps_its_russian_statements(tmp_path):
    result = _score(tmp_path, "ru.txt", _RUSSIAN_WITH_A_KAZAKH_QUOTE)
    not_scored = [r["text"] for r in result.records if r["not_scored"]]
    assert len(not_scored) == 1 and "қаржыландыру" in not_scored[0]
    assert result.summary["languages"]["ru"] >= 4


def test_a_mixed_ukrainian_and_english_bulletin_scores_its_english(tmp_path):
    text = _UKRAINIAN + "\nThe participants discussed protecting critical infrastructure from drone strikes.\n"
    result = _score(tmp_path, "uk-en.txt", text)
    english = [r for r in result.records if r["language"] == "en"]
    assert len(english) == 1 and english[0]["themes"]
    assert all(r["not_scored"] for r in result.records if r["language"] != "en")


def test_the_run_names_the_bulletins_none_of_whose_statements_was_scored(tmp_path):
    from themes.archive import write_scores

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "uk.txt").write_text(_UKRAINIAN, encoding="utf-8")
    (tmp_path / "in" / "be.txt").write_text(_BELARUSIAN, encoding="utf-8")
    (tmp_path / "in" / "ru.txt").write_text(_RUSSIAN_WITH_A_KAZAKH_QUOTE, encoding="utf-8")
    report = write_scores([str(tmp_path / "in")], str(tmp_path / "scores.jsonl"))
    assert sorted(Path(b).name for b in report.unscored) == ["be.txt", "uk.txt"]
    line = report.unscored_line()
    assert line.startswith("2 of 3 bulletins had no statement scored (") and "not_scored says why" in line


def test_themes_score_prints_the_bulletins_none_of_whose_statements_was_scored(tmp_path, capsys):
    from themes.cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "uk.txt").write_text(_UKRAINIAN, encoding="utf-8")
    (tmp_path / "in" / "ru.txt").write_text(_RUSSIAN_WITH_A_KAZAKH_QUOTE, encoding="utf-8")
    assert main(["score", str(tmp_path / "in"), "--out", str(tmp_path / "scores.jsonl"), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "themes: 1 of 2 bulletins had no statement scored (" in err and "uk.txt" in err
