"""The batch split of texts into words agrees with :func:`raw_words`, one text at a time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from themes.text.normalization import SEPARATOR_WORD, raw_words, read_names, split_batch, statement_words

# Texts that would show a difference between the code-page fast path and raw_words.
# Texts that would show a difference between the code-page fast path and raw_words. The
# fast path reads texts written in code page 1251 only (others go to raw_words whole), so
# each case of that path comes in a text of the code page.
TRICKY = [
    "АКИpress сообщает",  # a Russian word with Latin letters
    "тeррoризм и cyбер",  # Latin look-alikes inside Russian words, and the other way round
    "drоnеs over the border",  # Cyrillic look-alikes inside an English word
    "а1b, b2б, x99ж, жж7zz",  # scripts mixed across digits
    "Ёмкость, ёлка и ЁЖ",  # ё read as е
    "анти\u00adтеррористический",  # soft hyphen
    "Drone’s range, drone's, DRONE'S, 's_x, 'sx, сеть’s, сеть's",  # possessives
    "’sа",  # and one that makes a word of two scripts
    "№ 5, ﬁnance, ＦＴＦ, Ⅻ",  # NFKC changes them, into the code page
    "«Кавычки» — тире – дефис и …",
    "разделитель zqxthemesbreakzqx внутри",  # the separator word itself
    "нуль\x00внутри",  # the code page path's own separator
    "snake_case и под_черк",
    "cy\u200bber и \ufeffБОМ\u2060, анти\u200dтеррор",  # invisible characters outside the code page
    # Outside the code page: read by raw_words.
    "cy\u200bber, \ufeffБОМ, ИГИЛʼs, café",
    "½, µ, ², дефис‑",
    "\u0301ударение в начале",  # a combining mark first
    "в конце ударение\u0301",  # and last
    "Straße, İstanbul, ΣΟΦΙΑ, ﬀ",  # case folding beyond one character
    "αβγ δράση και τρομοκρατία",
    "α-в βa ԁrone",  # Greek look-alikes with Latin and Cyrillic
    "\x98\u0098 управляющие",
    "مرحبا بالعالم",
    "эмодзи 🚁 и 😀",
    "",
    "   ",
    "ASCII only, with an apostrophe's end",
    # Names read as acronyms, whatever stands between their words.
    "The Shanghai  Cooperation -- Organisation's summit",
    "Организации Договора о коллективной безопасности, «Шанхайской организации сотрудничества»",
    "a reorganization of islamic cooperation, the Organization of the Islamic Cooperation",
    "Organization for Security and Co-operation in Europe (OSCE); café",
    # Words broken over two lines with a hyphen (PDF text) are read whole.
    "the financ-\ning of terrorism, Russian-\nChinese talks, counter-\r\n  terrorism",
    "the financ- \ning of terrorism, counter-\t\n terrorism",  # blanks before the line break
    "финан-\r\n  сирования терроризма и Северо-\nЗапад, ﬁnanc-\ning",
]


def _plain(texts: list[str]) -> list[str]:
    """split_batch by its definition: each text's statement_words, the separator word between texts."""
    words: list[str] = []
    for i, text in enumerate(texts):
        words += ([SEPARATOR_WORD] if i else []) + statement_words(text)
    return words


@pytest.mark.parametrize("text", TRICKY)
def test_each_tricky_text_splits_as_statement_words(text):
    assert split_batch([text]) == statement_words(text)
    assert split_batch(["Обычный текст.", text, "Ещё один."]) == _plain(["Обычный текст.", text, "Ещё один."])


def test_a_batch_of_tricky_texts_splits_as_each_text_alone():
    assert split_batch(TRICKY) == _plain(TRICKY)
    without_ascii = [t for t in TRICKY if not t.isascii()]
    assert split_batch(without_ascii) == _plain(without_ascii)
    assert split_batch(without_ascii[::-1]) == _plain(without_ascii[::-1])


_CODE_PAGE_CHARACTERS = list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЖЯ" "abcehkmopstxyzABCS" "0123456789" " .,;:-_/'’«»—–№\n\r\t\u00ad\x00")
_OTHER_CHARACTERS = ["\u200b", "\u0301", "\u0308", "\u00a0", "ﬁ", "ß", "İ", "α", "ο", "ε", "ԁ", "é", "µ", "²", "ʼ"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from(_CODE_PAGE_CHARACTERS), max_size=40), min_size=1, max_size=8))
def test_any_batch_in_the_code_page_splits_as_each_text_alone(texts):
    assert split_batch(texts) == _plain(texts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from(_CODE_PAGE_CHARACTERS + _OTHER_CHARACTERS), max_size=40), min_size=1, max_size=8))
def test_any_batch_splits_as_each_text_alone(texts):
    assert split_batch(texts) == _plain(texts)


def test_only_texts_outside_the_code_page_or_mixing_scripts_in_a_word_are_read_one_by_one(monkeypatch):
    from themes.text import normalization

    texts = ["Латиница x", "бв и 2022г", "АКИpress", "café", "обычный текст", "ИГИЛ (ISIS)", "нуль\u200bширины"]
    expected = _plain(texts)
    read = []
    monkeypatch.setattr(normalization, "raw_words", lambda text: read.append(text) or raw_words(text))
    assert split_batch(texts) == expected
    assert read == ["АКИpress", "café"]


def test_names_whose_words_are_theme_terms_are_read_as_their_acronyms():
    assert statement_words("The Shanghai Cooperation Organisation and cooperation") == ["the", "sco", "and", "cooperation"]
    assert statement_words("Collective Security Treaty Organization's council") == ["csto", "council"]
    assert statement_words("Organization for Security and Co-operation in Europe") == ["osce"]
    assert statement_words("шанхайской организации сотрудничества") == ["шос"]
    assert statement_words("the UN Office on Drugs and Crime") == ["the", "un", "unodc"]
    assert statement_words("Управление ООН по наркотикам и преступности")[-1] == "унп"
    assert statement_words("the Minister of Emergency Situations") == ["the", "minister", "of", "emercom"]
    assert statement_words("Министр по чрезвычайным ситуациям") == ["министр", "по", "мчс"]
    assert "мчс" not in statement_words("предупреждение чрезвычайных ситуаций")  # the name's form only
    # Only whole words start a name, and a name never runs across two statements.
    assert "oic" not in statement_words("reorganization of islamic cooperation")
    assert split_batch(["the shanghai cooperation", "organization met"]) == ["the", "shanghai", "cooperation", SEPARATOR_WORD, "organization", "met"]
    assert read_names("no names here") == "no names here"


_NAME_WORDS = ["shanghai", "cooperation", "co", "operation", "organisation", "organization", "of", "the",
               "islamic", "for", "security", "and", "in", "europe", "collective", "treaty", "шанхайской",
               "организации", "сотрудничества", "договора", "о", "коллективной", "безопасности",
               "emergency", "situations", "по", "чрезвычайным", "ситуациям"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_NAME_WORDS + [" ", "-", ",", "  "]), max_size=12).map("  ".join), min_size=1, max_size=5))
def test_any_batch_of_name_words_splits_as_each_text_alone(texts):
    assert split_batch(texts) == _plain(texts)


def test_a_word_broken_over_two_lines_with_a_hyphen_is_read_whole():
    assert statement_words("the financ-\ning of terrorism") == ["the", "financing", "of", "terrorism"]
    assert statement_words("финан-\r\n сирования") == ["финансирования"]
    # before a capital the hyphen is a real one; within a line it always separates
    assert statement_words("Russian-\nChinese talks") == ["russian", "chinese", "talks"]
    assert statement_words("anti-terrorism") == ["anti", "terrorism"]


def test_names_read_from_word_spans_are_those_of_read_names():
    """read_names_in_words (a batch reads names from the words that may start one) gives what
    read_names gives on the joined words, on texts dense with names, their parts and overlaps."""
    import random

    from themes.text.normalization import NAME_FIRST_WORDS, name_word_flags, read_names, read_names_in_words

    vocabulary = (
        "shanghai cooperation organization organisation of the islamic for security and co operation in europe "
        "collective treaty north atlantic gulf council asia pacific economic conference on interaction confidence "
        "building measures south asian association regional office drugs crime transnational threats department "
        "emergency situations organizations shanghaiese шанхайской организации сотрудничества организация договора "
        "о коллективной безопасности по и сотрудничеству в европе исламского североатлантического совещание "
        "взаимодействию мерам доверия азии наркотикам преступности чрезвычайным ситуациям"
    ).split()
    rng = random.Random(0)
    phrases = [p.split() for p in (
        "shanghai cooperation organization", "organization for security and co operation in europe",
        "organisation of the islamic cooperation", "collective security treaty organization",
        "шанхайской организации сотрудничества", "организации договора о коллективной безопасности",
        "совещание по взаимодействию и мерам доверия в азии", "office on drugs and crime", "emergency situations")]
    for _ in range(3000):
        words = []
        while len(words) < rng.randint(1, 30):
            words += rng.choice(phrases)[: rng.randint(1, 9)] if rng.random() < 0.5 else [rng.choice(vocabulary)]
        flags = [name_word_flags(w) for w in words] + [0]
        # Every word that starts with a first word, or (as a batch does) only those followed
        # by a word that may come second.
        for starts in ([i for i, w in enumerate(words) if w.startswith(NAME_FIRST_WORDS)],
                       [i for i in range(len(words)) if flags[i] & 1 and flags[i + 1] & 2]):
            out, done = [], 0
            for start, end, acronym in read_names_in_words(words, starts):
                out += words[done:start] + [acronym]
                done = end
            out += words[done:]
            assert out == read_names(" ".join(words)).split(), words


def test_batch_word_keys_are_the_words_of_split_batch():
    """split_batch_keys (words as bytes, looked up without decoding) gives split_batch's words,
    names not read, on batches that mix ASCII, code-page and other texts."""
    import random

    from themes.text.normalization import split_batch_keys, word_key, word_of_key

    pieces = ["Тeррoризм", "Drоnеs", "АКИpress", "граница", "border's", "ΑΒΓ", "uav", "беспилотник", "x", "я", "Zя",
              "mixedсlovo", "№5", "ёж", "café", "İstanbul", "Тоқаев", "financ-\ning", "Shanghai Cooperation Organization",
              "ШОС", "\u200b", "’s", SEPARATOR_WORD, "12.03.2001", "Ў", "\x00", "😀"]
    rng = random.Random(2)
    for _ in range(2000):
        texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 5))]
        if rng.random() < 0.3:
            texts = [t.encode("ascii", "ignore").decode() for t in texts]
        keys = split_batch_keys(texts)
        assert [word_of_key(k) for k in keys] == split_batch(texts, names=False), texts
        assert keys == [word_key(w) for w in split_batch(texts, names=False)], texts


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(list("aeiostnrzy2ёжбплаис") + ["isation", "ies", "uas", "ss"]), max_size=6).map("".join), max_size=30))
def test_normal_forms_of_a_batch_are_those_of_each_word(words):
    """normal_forms (a batch's new words: fast tests, Russian stemmed together) gives normal_form of each."""
    from themes.text.normalization import _canonical_map, normal_form, normal_forms

    words = words + list(_canonical_map())[:50]
    assert normal_forms(words) == [normal_form(w) for w in words]
