"""Languages read for a batch at once agree with the plain definition, one text at a time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from themes.language import _NON_RUSSIAN_CYRILLIC, LANGUAGES, _in_common_word, detect_language, detect_languages


def _plain_language(text: str, languages: tuple[str, ...]) -> str | None:
    """detect_language by its definition: the script of most letters among the first 5,000 characters."""
    if text.isascii():
        return "en" if "en" in languages else None
    counts = {"cyrillic": 0, "latin": 0, "other": 0}
    for char in text[:5000]:
        code = ord(char)
        if 0x0400 <= code <= 0x04FF:
            counts["cyrillic"] += 1
        elif char.isascii() and char.isalpha() or 0x00C0 <= code <= 0x027F:
            counts["latin"] += 1
        elif 0x0340 <= code <= 0x03FF or 0x0500 <= code <= 0x07FF or 0x0800 <= code <= 0x1FFF or 0x3000 <= code <= 0xDFFF:
            counts["other"] += 1
    letters = sum(counts.values())
    if letters < 3:
        language = "en"
    elif 2 * counts["other"] > letters:
        return None
    else:
        language = "ru" if counts["cyrillic"] > counts["latin"] else "en"
    if language == "ru":  # letters Russian does not have, in common words: another language
        read = text[:5000]
        other = sum(_in_common_word(read, m.start()) for m in _NON_RUSSIAN_CYRILLIC.finditer(read))
        if other >= max(2, 0.02 * counts["cyrillic"]):
            return None
    return language if language in languages else None


TEXTS = [
    "Drones attacked the border post.",
    "Беспилотники атаковали пограничный пост.",
    "ФТФ and FTF returnees, Сирия",
    "هاجمت الطائرات المسيرة مركزا حدوديا",
    "中文 и",
    "нуль\x00внутри, and NUL\x00",
    "surrogate \ud800 ж",
    "é",
    "ɐɐɐ ж",
    "×÷ 😀😀😀 ж",
    "жж",
    "Ұлттық қауіпсіздік комитеті жиын өткізді.",  # Kazakh: letters outside code page 1251
    "Україна і Білорусь: їх спільні зусилля, ґанок, єдність",  # Ukrainian: letters inside it
    "Совещание провёл Қасым-Жомарт Тоқаев № 5 «µ»",  # a Kazakh name: Russian
    "ж" * 5_200 + "a" * 300,  # only the first 5,000 characters count
    "a" * 4_999 + "жжжж",
    "",
]


@pytest.mark.parametrize("languages", [LANGUAGES, ("en",), ("ru",)])
def test_languages_of_a_batch_are_those_of_each_text_alone(languages):
    assert detect_languages(TEXTS, languages) == [_plain_language(t, languages) for t in TEXTS]
    assert [detect_language(t, languages) for t in TEXTS] == [_plain_language(t, languages) for t in TEXTS]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("abcXYZ жЖяёЁ éßİɐ× αβ ש ع 中 —«»№µ12\x00😀іїўЂєқғә") + ["\ud800", "\u0301"]), max_size=12), max_size=10))
def test_any_batch_reads_as_each_text_alone(texts):
    assert detect_languages(texts) == [_plain_language(t, LANGUAGES) for t in texts]
