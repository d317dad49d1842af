"""Russian statements: one model reads English and Russian, routed by script.

A tiny bilingual corpus (the English literal corpus of conftest plus Russian statements
written for this test) is overfit; Russian inflected forms must share evidence, look-alike
letters and invisible characters must not change a score, and a script the model does
not read is reported, not scored.
"""

from __future__ import annotations

import pytest

from themes import classify, load_model
from themes.corpus import Statement
from themes.language import detect_language, fold_confusables, russian_stem
from themes.text import normalize_tokens

from conftest import TINY_CONFIG, assert_batch_equals_single, tiny_statements

TINY_RU = [
    ("financing", "Финансирование терроризма через криптовалюту пресечено."),
    ("financing", "Финансовая разведка заблокировала счета пособников террористов."),
    ("uav", "Беспилотники атаковали пограничную заставу."),
    ("uav", "Квадрокоптеры со взрывчаткой сбиты средствами РЭБ."),
    ("foreign_fighters", "Иностранные боевики-террористы возвращаются из Сирии."),
    ("foreign_fighters", "Релоканты из зон вооруженных конфликтов задержаны."),
    ("deradicalization", "Профилактика радикализации среди молодежи и осужденных."),
    ("deradicalization", "Дерадикализация и ресоциализация лиц, отбывших наказание."),
    ("border_security", "Пограничники пресекли незаконную миграцию через государственную границу."),
    ("border_security", "Нарушители границы задержаны в пункте пропуска."),
    ("online_propaganda", "Пропаганда терроризма в социальных сетях и мессенджерах заблокирована."),
    ("online_propaganda", "Экстремистские материалы удалены с интернет-ресурсов."),
    ("cyber_threats", "Кибератаки на информационные системы отражены."),
    ("cyber_threats", "Хакеры применили вредоносные программы против компьютерных сетей."),
    ("weapons_trafficking", "Изъяты оружие, боеприпасы и взрывчатые вещества."),
    ("weapons_trafficking", "Пресечен канал незаконного оборота огнестрельного оружия."),
    ("drug_trafficking", "Изъяты героин и синтетические наркотики."),
    ("drug_trafficking", "Наркотрафик и прекурсоры перекрыты в ходе операции."),
    ("critical_infrastructure", "Антитеррористическая защищенность объектов ТЭК и аэропортов."),
    ("critical_infrastructure", "Охрана мест массового пребывания людей и метрополитена."),
    ("international_cooperation", "Стороны подписали меморандум об обмене информацией."),
    ("international_cooperation", "Международное сотрудничество в рамках конвенции укреплено."),
    ("exercises_training", "Проведены совместные антитеррористические учения."),
    ("exercises_training", "Курсы повышения квалификации для сотрудников спецподразделений."),
    ("threat_assessment", "Оценка угроз и прогноз развития обстановки."),
    ("threat_assessment", "Анализ ситуации показал рост террористической угрозы."),
    (None, "Заседание прошло в Минске, участники поблагодарили принимающую сторону."),
    (None, "Следующее заседание состоится осенью."),
]


def bilingual_statements() -> list[Statement]:
    russian = [
        Statement(id=f"tiny-ru-{i:03d}", text=text, themes=(theme,) if theme else (), style=f"ru{i % 2}", lang="ru")
        for i, (theme, text) in enumerate(TINY_RU)
    ]
    return tiny_statements() + russian


@pytest.fixture(scope="module")
def bilingual_run():
    from themes.train import fit

    return fit(bilingual_statements(), TINY_CONFIG, seed=0, loso=False, realdev=False)


@pytest.fixture(scope="module")
def bilingual_model(bilingual_run):
    return bilingual_run.model


def test_a_model_reads_the_languages_of_its_training_split(bilingual_model, tiny_model):
    assert bilingual_model.languages == ("en", "ru")
    assert tiny_model.languages == ("en",)


def test_saved_bilingual_model_keeps_its_languages_and_scores(bilingual_run, tmp_path):
    from themes.artifact import save_model
    from themes.train.card import build_manifest

    bilingual_run.releases = [{"release": "tiny-ru.1", "sha256": "0" * 64}]
    save_model(bilingual_run.model, tmp_path / "m", build_manifest(bilingual_run, "tiny-ru"))
    loaded = load_model(tmp_path / "m")
    assert loaded.languages == ("en", "ru")
    text = "Беспилотники атаковали заставу."
    assert classify(text, model=loaded).scores == pytest.approx(classify(text, model=bilingual_run.model).scores, abs=1e-12)


def test_a_russian_only_model_does_not_score_english():
    from themes.train import fit

    russian = [s for s in bilingual_statements() if s.lang == "ru"]
    model = fit(russian, TINY_CONFIG, seed=0, loso=False, realdev=False).model
    english, russian_text = classify(["Drones attacked the border outpost.", "Беспилотники атаковали заставу."], model=model)
    assert model.languages == ("ru",)
    assert (english.themes, english.language) == ((), None)
    assert english.not_scored == "not scored: most of its letters are Latin; the model reads Russian only"
    assert russian_text.not_scored is None and "uav" in russian_text.themes


def test_russian_statement_is_scored_and_read_as_russian(bilingual_model):
    result = classify("Атака беспилотника на пограничную заставу.", model=bilingual_model)
    assert result.not_scored is None and result.language == "ru"
    assert "uav" in result.themes
    assert result.to_dict()["language"] == "ru"


@pytest.mark.parametrize(
    "forms",
    [
        ("беспилотники", "беспилотников", "беспилотниками"),
        ("финансирование", "финансирования", "финансированию"),
        ("пограничная", "пограничной", "пограничную"),
    ],
    ids=["noun-plural", "noun-singular", "adjective"],
)
def test_inflected_russian_forms_share_one_token(forms):
    assert len({tuple(normalize_tokens(form)) for form in forms}) == 1


def test_an_unseen_inflection_carries_the_theme(bilingual_model):
    # "наркотиками" (instrumental) never occurs in the corpus; "наркотики" does.
    result = classify("Задержан курьер с наркотиками.", model=bilingual_model)
    assert "drug_trafficking" in result.themes


def test_batch_of_both_languages_equals_single(bilingual_model):
    texts = [
        "Беспилотники атаковали заставу.",
        "Drones attacked the checkpoint.",
        "Изъяты героин и оружие.",
        "The next meeting will take place in the autumn.",
        "هاجمت الطائرات المسيرة مركزا حدوديا",
    ]
    batch = assert_batch_equals_single(texts, bilingual_model)
    assert [r.language for r in batch] == ["ru", "en", "ru", "en", None]
    assert batch[4].not_scored.startswith("not scored: most of its letters are neither Latin nor Cyrillic")


@pytest.mark.parametrize(
    "text",
    [
        "Ұлттық қауіпсіздік комитеті терроризмге қарсы іс-қимыл бойынша жиын өткізді.",  # Kazakh
        "Улуттук коопсуздук комитети терроризмге каршы күрөш боюнча жыйын өткөрдү.",  # Kyrgyz
        "Служба безпеки провела навчання з протидії тероризму.",  # Ukrainian
    ],
)
def test_cyrillic_in_another_language_than_russian_is_not_scored(bilingual_model, text):
    # Scored as Russian, such text gives noise; it is reported with the letters that tell it apart.
    alone = classify(text, model=bilingual_model)
    batch = classify(["Беспилотники атаковали заставу.", text], model=bilingual_model)
    assert (alone.language, alone.themes) == (None, ())
    assert alone.not_scored.startswith("not scored: Cyrillic with letters Russian does not have (")
    assert (batch[1].language, batch[1].not_scored) == (None, alone.not_scored)
    assert batch[0].language == "ru"


def test_a_russian_statement_may_spell_names_in_kazakh_letters(bilingual_model):
    text = "Совещание провел Қасым-Жомарт Тоқаев в Ақорде; беспилотники атаковали заставу."
    assert classify(text, model=bilingual_model).language == "ru"


@pytest.mark.parametrize(
    "disguised",
    [
        "Drоnеs were used to attack the checkpoint.",  # Cyrillic о and е
        "Dro\u200bnes were used to attack the check\u00adpoint.",  # zero-width space, soft hyphen
        "Drοnes were used to attack the checkpoint.",  # Greek omicron
    ],
    ids=["cyrillic-homoglyphs", "invisible-characters", "greek-homoglyph"],
)
def test_disguised_english_scores_as_the_clean_text(bilingual_model, disguised):
    clean = classify("Drones were used to attack the checkpoint.", model=bilingual_model)
    result = classify(disguised, model=bilingual_model)
    assert result.scores == pytest.approx(clean.scores, abs=1e-12)
    assert result.language == "en"


def test_latin_look_alikes_in_a_russian_word_are_folded_into_cyrillic():
    assert fold_confusables("тeррoризм") == "терроризм"  # Latin e and o
    assert normalize_tokens("Тeррoризм") == normalize_tokens("Терроризм")


def test_yo_is_read_as_ye():
    assert normalize_tokens("Учёт объёмов") == normalize_tokens("Учет объемов")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Drones attacked the post.", "en"),
        ("Беспилотники атаковали пост.", "ru"),
        ("Совещание ОДКБ по теме CSTO drones and UAV policy of the member states", "en"),
        ("Заседание СРООБ СНГ (CIS) прошло в Минске", "ru"),
        ("无人机袭击了边境哨所", None),
        ("42", "en"),
    ],
)
def test_language_follows_most_letters(text, expected):
    assert detect_language(text) == expected


def test_russian_stem_is_deterministic_and_lower_case():
    assert russian_stem("терроризма") == russian_stem("терроризму") == "терроризм"


def test_explanations_show_the_words_of_the_statement_not_stems(bilingual_model):
    text = "Беспилотниками атакована застава."
    words = {c.feature for c in bilingual_model.explain(text, k=20, themes=["uav"])["uav"] if c.kind == "word"}
    assert "беспилотниками" in words
    assert "беспилотник" not in words  # the stem the model counts is not shown


def test_evaluate_counts_statements_the_model_does_not_read_as_not_scored(tiny_model, bilingual_model):
    from themes.evaluate import evaluate

    texts = ["Беспилотники атаковали заставу.", "Drones were used to attack the checkpoint."]
    labels = [["uav"], ["uav"]]
    english_only = evaluate(tiny_model, texts, labels)
    assert english_only["not_scored"] == 1
    assert english_only["per_theme"]["uav"]["recall"] == 0.5  # the Russian one counts as missed
    both = evaluate(bilingual_model, texts, labels)
    assert both["not_scored"] == 0 and both["per_theme"]["uav"]["recall"] == 1.0


def test_themes_evaluate_prints_how_many_were_not_scored(tmp_path, capsys, tiny_model_dir):
    import json

    from themes.cli import main

    data = tmp_path / "ru.jsonl"
    data.write_text(json.dumps({"text": "Беспилотники атаковали заставу.", "themes": ["uav"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["evaluate", str(data), "--model", str(tiny_model_dir)]) == 0
    assert (
        "1 statement not scored (most of its letters are Cyrillic; the model reads English only): counted as "
        "predicted with no theme" in capsys.readouterr().out
    )


def test_russian_stems_are_the_same_with_or_without_pystemmer():
    """``themes[fast]`` swaps in Snowball's C stemmer; stems (and so scores) must not change."""
    import re

    from snowballstemmer.russian_stemmer import RussianStemmer

    words = re.findall(r"[а-я]+", " ".join(text for _, text in TINY_RU).lower().replace("ё", "е"))
    pure = RussianStemmer()
    assert len(words) > 100
    assert [russian_stem(w) for w in words] == [pure.stemWord(w) for w in words]


@pytest.mark.parametrize(
    "text",
    [
        "O\u2018zbekiston Respublikasi Davlat xavfsizlik xizmati terrorizmga qarshi kurash bo\u2018yicha yig\u2018ilish o\u2018tkazdi.",
        "Azərbaycan Respublikasının Dövlət Təhlükəsizliyi Xidməti terrorçuluğa qarşı mübarizə üzrə iclas keçirib.",
        "Türkiye İçişleri Bakanlığı terörle mücadele toplantısı düzenledi ve sınır güvenliği görüşüldü.",
        # Plain ASCII: Uzbek with ASCII apostrophes, Indonesian, Spanish without its accents.
        "Terrorizmga qarshi kurashish bo'yicha hamkorlik masalalari muhokama qilindi va qarorlar qabul qilindi.",
        "Para peserta membahas kerja sama dalam pemberantasan pendanaan terorisme dan pertukaran informasi.",
        "Los participantes discutieron la cooperacion regional contra el terrorismo y su financiacion.",
        # Russian transliterated into Latin letters: the model reads Russian in Cyrillic only.
        "Uchastniki zasedaniya obsudili voprosy protivodeystviya finansirovaniyu terrorizma i ekstremizma.",
    ],
)
def test_latin_letters_in_another_language_than_english_are_not_scored(text):
    result = classify(text)  # the shipped model: its vocabulary tells English words
    assert (result.language, result.themes) == (None, ())
    assert result.not_scored.startswith("not scored: Latin letters, but no English function word")


@pytest.mark.parametrize(
    "text",
    [
        "The delegations of Kazakhstan and Türkiye discussed drones and border security.",
        "Delegations: Kazakhstan, Kyrgyzstan, Tajikistan, Türkiye, Uzbekistan, Azerbaijan.",
        "exchanged views, adopted decisions, approved plans, discussed drones, noted threats — Türkiye.",
        # ASCII English with no function word: headings, telegraphic bullets, lists of names.
        "Counter-Terrorism Week, United Nations Headquarters, New York, 19-23 June 2023",
        "shut down 17 clandestine laboratories producing synthetic drugs",
        "Delegations: Kazakhstan, Kyrgyzstan, Tajikistan, Uzbekistan, Turkmenistan, Azerbaijan, Armenia.",
    ],
)
def test_english_with_a_few_foreign_letters_is_still_english(text):
    result = classify(text)
    assert (result.language, result.not_scored) == ("en", None)


def test_themes_classify_prints_why_a_statement_was_not_scored(capsys):
    from themes.cli import main

    assert main(["classify", "Ұлттық қауіпсіздік комитеті жиын өткізді.", "Drones attacked the border."]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("(not scored: Cyrillic with letters Russian does not have")
    assert out[1].startswith("uav ")


def test_the_not_scored_reason_names_the_language_the_letters_point_to():
    # The reason listed "Kazakh, Kyrgyz, Tajik, Ukrainian..." whatever the letters, and an
    # Uzbek statement (ў, қ) was told it might be any of them but Uzbek.
    uzbek = classify("Давлат хавфсизлик хизмати ўз қарорини қабул қилди.")
    assert uzbek.themes == () and "(ў, қ, as in Uzbek)" in uzbek.not_scored
    kazakh = classify("Ұлттық қауіпсіздік комитеті жиын өткізді.")
    assert "as in Kazakh)" in kazakh.not_scored


def test_a_kazakh_date_in_a_russian_statement_does_not_make_it_kazakh():
    # "2025 жылғы 12 желтоқсан" (a date the date reader reads) holds ғ and қ; a Russian
    # statement quoting it was not scored, read as Kazakh.
    russian = "2025 жылғы 12 желтоқсан в Астане прошло совещание по противодействию финансированию терроризма."
    result = classify(russian)
    assert result.not_scored is None and "financing" in result.themes
    # Kazakh text with the same date is still Kazakh, and the words alone are not a date.
    assert classify("Ұлттық қауіпсіздік комитеті 2025 жылғы 12 желтоқсан жиын өткізді.").not_scored
    assert classify("Совещание желтоқсан жылғы прошло в Астане по противодействию терроризму.").not_scored
