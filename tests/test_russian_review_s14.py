"""Session 14 review of Russian bulletins: reading, segmentation and dating."""

from themes import segment
from themes.dates import search_date


def _texts(text, **kw):
    return [s.text for s in segment(text, **kw)]


# ------------------------------------- 1. a year with "г." glued to it is still a year
def test_a_date_with_the_year_word_glued_to_the_year_is_read():
    assert search_date("17.11.2025г.").iso == "2025-11-17"
    assert search_date("состоялось 17 ноября 2025г. в Минске").iso == "2025-11-17"
    assert search_date("17 ноября 2025года").iso == "2025-11-17"


def test_a_dateline_with_the_year_word_glued_dates_the_bulletin():
    kinds = [(s.kind, s.text) for s in segment("Заседание СБ\n\n17.11.2025г.\n\nСтороны обсудили угрозы.\n")]
    assert kinds[1] == ("dateline", "17.11.2025г.")


# ------------------------------- 2. a range of days before a dotted date: its first day
def test_a_range_of_days_before_a_dotted_date_gives_its_first_day():
    assert search_date("Учения 17-19.11.2025 в Минске") == ("2025-11-17", 7, 20)
    assert search_date("с 17 по 19.11.2025 г.") == ("2025-11-17", 0, 18)
    assert search_date("17–19.11.2025г.").iso == "2025-11-17"
    assert search_date("от 17.11.2025 №5").iso == "2025-11-17"
    assert search_date("17.11-19.11.2025").iso != "2025-11-11"  # a month's number is no day


# --------------------- 3. a surname glued to its initials ends a sentence at its full stop
def test_a_sentence_ending_in_initials_glued_to_a_surname_ends_there():
    assert _texts("Выступил Директор ФСБ России А.В.Бортников. Он отметил рост угроз.") == [
        "Выступил Директор ФСБ России А.В.Бортников.",
        "Он отметил рост угроз.",
    ]
    assert _texts("Заседание открыл А.В.Бортников. Затем выступили эксперты.")[1] == "Затем выступили эксперты."
    # still one sentence: initials before the surname, abbreviations inside a token
    assert len(_texts("Доклад сделал А.В. Бортников. Он отметил рост угроз.")) == 2
    assert len(_texts("Выступил А.В.Бортников и др. участники.")) == 1


# ------------ 4. a lead-in on a line of its own, a sentence below it on the next line
def test_a_lead_in_line_above_a_sentence_of_the_same_paragraph_is_a_lead_in():
    text = "Итоги\n\nСовет провёл заседание.\n\nСправочно:\nЦентр создан в 2000 году. Он расположен в Москве.\n"
    assert [(s.kind, s.text) for s in segment(text)][2:] == [
        ("lead_in", "Справочно:"),
        ("sentence", "Центр создан в 2000 году."),
        ("sentence", "Он расположен в Москве."),
    ]
    # a colon inside a line, or before a line in lower case, ends nothing
    assert _texts("Справочно: Центр создан в 2000 году.") == ["Справочно: Центр создан в 2000 году."]


# ------ 5. a dateline with the year word glued, before the first sentence on its line
def test_a_dateline_with_a_glued_year_word_before_the_first_sentence_is_a_dateline():
    for line in ("17.11.2025г. Совет провёл заседание.", "МОСКВА, 17.11.2025г. Совет провёл заседание.",
                 "17 ноября 2025г. Совет провёл заседание."):
        kinds = [(s.kind, s.text) for s in segment("Заседание СНГ\n\n" + line)]
        assert kinds[1:] == [("dateline", line[: line.index("г.") + 2]), ("sentence", "Совет провёл заседание.")]


# ------------- 6. abbreviations of addresses, citizens and sums do not end a sentence
def test_russian_address_and_citizen_abbreviations_do_not_end_a_sentence():
    assert _texts("Задержан гр. Иванов. Возбуждено дело.") == ["Задержан гр. Иванов.", "Возбуждено дело."]
    assert _texts("Штаб расположен по адресу: мкр. Восток, д. 5, корп. 2. Работает ежедневно.") == [
        "Штаб расположен по адресу: мкр. Восток, д. 5, корп. 2.",
        "Работает ежедневно.",
    ]
    assert len(_texts("Встреча прошла на наб. Тараса Шевченко, в пер. Садовом.")) == 1
    assert len(_texts("Участвовали сотрудники МВД (вкл. ГИБДД) и ФСБ.")) == 1
    # a sum in "трлн." closes its sentence before a word that opens one, as in "млн."
    assert _texts("Ущерб составил 2 трлн. руб. В ходе проверки выявлены нарушения.") == [
        "Ущерб составил 2 трлн. руб.",
        "В ходе проверки выявлены нарушения.",
    ]


# ------- 7. initials after a surname close the sentence before a word that opens one
def test_initials_after_a_surname_end_a_sentence_before_a_word_that_opens_one():
    assert _texts("С докладом выступил Бортников А.В. В ходе заседания обсуждены угрозы.") == [
        "С докладом выступил Бортников А.В.",
        "В ходе заседания обсуждены угрозы.",
    ]
    assert _texts("Выступил Иванов И. И. Он отметил рост угроз.")[1] == "Он отметил рост угроз."
    # before a name or a verb, the initials are the name's
    assert len(_texts("Совещание провёл Директор А.В. Бортников.")) == 1
    assert len(_texts("Бортников А.В. вручил награды.")) == 1


# ------------------------- 8. a wire dateline whose date is written with dots
def test_a_wire_dateline_with_a_dotted_date_is_a_dateline():
    for dateline in ("ДУШАНБЕ, 17.11.2025 /Ховар/.", "Душанбе, 17.11.2025 г. /Ховар/.", "ДУШАНБЕ, 17.11.2025. /Ховар/."):
        kinds = [(s.kind, s.text) for s in segment("Заседание СНГ\n\n" + dateline + " Совет провёл заседание.")]
        assert kinds[1:] == [("dateline", dateline), ("sentence", "Совет провёл заседание.")]
    # a number with dots after a place is no date
    kinds = [s.kind for s in segment("Заседание СНГ\n\nДУШАНБЕ, 17.11 /Ховар/. Совет провёл заседание.")]
    assert kinds[1] == "sentence"


# ------------- 9. a dateline with a time of day after its year keeps its year
def test_a_dateline_with_a_time_after_its_year_keeps_the_year():
    kinds = [(s.kind, s.text) for s in segment("Заседание СНГ\n\nМосква, 17 ноября 2025 г., 12:30\n\nСовет провёл заседание.")]
    assert kinds[1:] == [("dateline", "Москва, 17 ноября 2025 г., 12:30"), ("sentence", "Совет провёл заседание.")]
    kinds = [(s.kind, s.text) for s in segment("Заседание СНГ\n\nМОСКВА, 17 ноября 2025 г., 12:30. Совет провёл заседание.")]
    assert kinds[1:] == [("dateline", "МОСКВА, 17 ноября 2025 г., 12:30."), ("sentence", "Совет провёл заседание.")]


# ----------- 10. the items of a list that lost all its markers, below its lead-in
def test_items_without_markers_below_a_lead_in_are_its_bullets():
    text = "Итоги\n\nВ ходе заседания участники:\nобсудили угрозы;\nодобрили план.\n\nЗаседание закрыто.\n"
    assert [(s.kind, s.text, s.context) for s in segment(text)][1:] == [
        ("lead_in", "В ходе заседания участники:", None),
        ("bullet", "обсудили угрозы;", "В ходе заседания участники:"),
        ("bullet", "одобрили план.", "В ходе заседания участники:"),
        ("sentence", "Заседание закрыто.", None),
    ]
    # a line in lower case that does not end as an item goes on with the sentence
    assert len(segment("Итоги\n\nУчастники обсудили следующее:\nугрозы и меры.\n")) == 2


# -------------- 11. a DOCX list nested in a list keeps its item as its lead-in
def test_a_nested_docx_list_has_its_item_above_as_context(tmp_path):
    import pytest

    docx = pytest.importorskip("docx")
    from themes.readers import docx as docx_reader

    document = docx.Document()
    document.add_paragraph("ПОСТАНОВИЛИ:")
    document.add_paragraph("Одобрить проект Плана.", style="List Number")
    document.add_paragraph("Поручить Секретариату:", style="List Number")
    document.add_paragraph("подготовить доклад;", style="List Number 2")
    document.add_paragraph("направить его в Совет.", style="List Number 2")
    document.add_paragraph("Провести заседание в 2026 г.", style="List Number")
    document.save(tmp_path / "p.docx")
    text = "".join(docx_reader.read_docx(tmp_path / "p.docx").iter_text())
    assert [(s.kind, s.text, s.context) for s in segment(text)] == [
        ("lead_in", "ПОСТАНОВИЛИ:", None),
        ("bullet", "Одобрить проект Плана.", "ПОСТАНОВИЛИ:"),
        ("lead_in", "Поручить Секретариату:", None),
        ("bullet", "подготовить доклад;", "Поручить Секретариату:"),
        ("bullet", "направить его в Совет.", "Поручить Секретариату:"),
        ("bullet", "Провести заседание в 2026 г.", "ПОСТАНОВИЛИ:"),
    ]


# ------------- 12. a quotation in «ёлочки» of a few sentences is one statement
def test_a_short_quotation_of_several_sentences_stays_whole():
    text = "Председатель подчеркнул: «Угрозы сохраняются. Мы продолжим работу». Заседание закрыто."
    assert _texts(text) == [
        "Председатель подчеркнул: «Угрозы сохраняются. Мы продолжим работу».",
        "Заседание закрыто.",
    ]
    assert _texts("«Угроза реальна. Мы готовы», – добавил он. Все согласились.") == [
        "«Угроза реальна. Мы готовы», – добавил он.",
        "Все согласились.",
    ]
    # a quotation never closed is split as before
    assert len(_texts("Он сказал: «Угроза реальна. Мы готовы.")) == 2


# -------- 13. a range of ordinal days around a spaced dash: its first day
def test_a_range_of_ordinal_days_with_a_spaced_dash_gives_its_first_day():
    assert search_date("17-го – 19-го ноября 2025 г.") == ("2025-11-17", 0, 25)
    assert search_date("from 17th – 19th November 2025").iso == "2025-11-17"
    # a number and a date stay so
    assert search_date("No. 5 – 20 May 2024").iso == "2024-05-20"


# ------ 14. "т.г.", "с.г." and "г.г." close a sentence before a word that opens one
def test_this_year_abbreviations_end_a_sentence_before_a_word_that_opens_one():
    assert _texts("Заседание пройдёт в ноябре т.г. В ходе него обсудят угрозы.") == [
        "Заседание пройдёт в ноябре т.г.",
        "В ходе него обсудят угрозы.",
    ]
    assert len(_texts("План выполнен в 2023-2024 г.г. В ходе проверки нарушений нет.")) == 2
    assert len(_texts("Заседание пройдёт в мае с.г. Участники утвердили повестку.")) == 2
    # before a name they stay in the sentence, as "2025 г." does
    assert len(_texts("В ноябре т.г. Советом принято решение.")) == 1


# ------------- 15. points numbered "1.1.", "2.3." are items of the decision's list
def test_sub_numbered_points_are_bullets_of_their_list():
    text = (
        "РЕШИЛИ:\n1. Одобрить проект.\n2. Поручить Секретариату:\n2.1. подготовить доклад;\n"
        "2.2. направить его в Совет.\n3. Провести заседание в 2026 г.\n"
    )
    assert [(s.kind, s.text, s.context) for s in segment(text)] == [
        ("lead_in", "РЕШИЛИ:", None),
        ("bullet", "Одобрить проект.", "РЕШИЛИ:"),
        ("lead_in", "Поручить Секретариату:", None),
        ("bullet", "подготовить доклад;", "Поручить Секретариату:"),
        ("bullet", "направить его в Совет.", "Поручить Секретариату:"),
        ("bullet", "Провести заседание в 2026 г.", "РЕШИЛИ:"),
    ]
    # a date or a sum opening a line is no number of a point
    assert segment("Итоги\n\n17.11.2025. Совет провёл заседание.\n")[1].kind != "bullet"
    assert segment("Итоги\n\n1.5 млн руб. выделено на проект.\n")[1].kind == "sentence"


# ---- 16. blank lines between a point ending in a colon and the items under it
def test_items_under_a_point_ending_in_a_colon_keep_it_as_context_across_blank_lines():
    text = (
        "ПОСТАНОВИЛИ:\n\n1. Одобрить проект.\n\n2. Поручить Секретариату:\n\n- подготовить доклад;\n\n"
        "- направить его в Совет.\n\n3. Провести заседание.\n"
    )
    assert [(s.kind, s.text, s.context) for s in segment(text)] == [
        ("lead_in", "ПОСТАНОВИЛИ:", None),
        ("bullet", "Одобрить проект.", "ПОСТАНОВИЛИ:"),
        ("lead_in", "Поручить Секретариату:", None),
        ("bullet", "подготовить доклад;", "Поручить Секретариату:"),
        ("bullet", "направить его в Совет.", "Поручить Секретариату:"),
        ("bullet", "Провести заседание.", "ПОСТАНОВИЛИ:"),
    ]
    # a paragraph after such a point, even indented, is no part of it
    kinds = [(s.kind, s.text) for s in segment("Итоги\n\n- Участники:\n\n  Совет провёл заседание.\n")]
    assert kinds[-1] == ("sentence", "Совет провёл заседание.")


# ---------- 17. "17 ноября 2025 г., Москва." before the first sentence is a dateline
def test_a_dateline_with_the_place_after_the_year_word_is_a_dateline():
    for dateline in ("17 ноября 2025 г., Москва.", "ТАШКЕНТ, 17 ноября 2025 г., УзА."):
        kinds = [(s.kind, s.text) for s in segment("Заседание СНГ\n\n" + dateline + " Совет провёл заседание.")]
        assert kinds[1:] == [("dateline", dateline), ("sentence", "Совет провёл заседание.")]
