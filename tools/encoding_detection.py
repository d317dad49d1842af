"""How often themes.readers.text.detect_encoding_bytes reads short legacy-encoded Russian
(and Greek, Ukrainian, Bulgarian) text back as written.

Correct = the bytes decoded with the detected encoding give the original text (so
MacCyrillic bytes identical to windows-1251 ones count as read right either way).
Russian words and lines come from the held-out releases training/corpus/2026.4-2026.6
(the bigram table, if any, must not be built from them).

    python tools/encoding_detection.py [--seed 0] [--n 3000] [--no-charset-normalizer] [--detector OLD_TEXT_PY]
"""
import argparse, glob, json, random, re, sys, time
from collections import Counter, defaultdict

from themes.readers.text import detect_encoding_bytes

ROOT = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "training" / "corpus")
HELD_OUT = ("2026.4", "2026.5", "2026.6")
RU_CODECS = ("cp1251", "koi8-r", "cp866", "mac-cyrillic")

GREEK = """Η συνεδρίαση του συμβουλίου ασφαλείας πραγματοποιήθηκε στην Αθήνα την Τρίτη.
Οι συμμετέχοντες συζήτησαν την απειλή της τρομοκρατίας και τη χρηματοδότησή της.
Η αστυνομία συνέλαβε τρία άτομα στα σύνορα με την Τουρκία.
Τα κράτη μέλη συμφώνησαν να ενισχύσουν τη συνεργασία τους στον τομέα της κυβερνοασφάλειας.
Η χρήση μη επανδρωμένων αεροσκαφών από τρομοκρατικές οργανώσεις αυξάνεται.
Η επόμενη συνάντηση θα γίνει στη Θεσσαλονίκη τον Οκτώβριο.
Ο υπουργός δήλωσε ότι η κατάσταση παραμένει σοβαρή αλλά υπό έλεγχο.
Η διαδικτυακή προπαγάνδα των εξτρεμιστών απευθύνεται κυρίως σε νέους.
Οι ασκήσεις των ειδικών δυνάμεων ολοκληρώθηκαν με επιτυχία.
Το λαθρεμπόριο όπλων και ναρκωτικών χρηματοδοτεί τις ένοπλες ομάδες."""
UKRAINIAN = """Засідання Ради керівників органів безпеки відбулося у Києві.
Учасники обговорили загрози тероризму та його фінансування.
Прикордонники затримали трьох осіб на кордоні з Молдовою.
Держави домовилися посилити співпрацю у сфері кібербезпеки.
Наступна зустріч відбудеться у Львові в жовтні."""
BULGARIAN = """Заседанието на Съвета за сигурност се проведе в София във вторник.
Участниците обсъдиха заплахата от тероризма и неговото финансиране.
Граничната полиция задържа трима души на границата с Турция.
Държавите се съгласиха да засилят сътрудничеството си в областта на киберсигурността.
Следващата среща ще се състои във Варна през октомври."""


def russian_statements(releases):
    texts = []
    for folder in releases:
        for line in open(f"{ROOT}/{folder}/statements.jsonl", encoding="utf-8"):
            record = json.loads(line)
            text = record.get("text") or ""
            if re.search("[а-яё]{3}", text) and not re.search("[A-Za-z]", text):
                texts.append(text)
    return texts


def rate(items, codecs_, expected=None):
    """{codec: (right, total, {detected: n})}; expected=None: right when the decoding gives the text back."""
    result = {}
    for codec in codecs_:
        right, total, wrong = 0, 0, Counter()
        for text in items:
            try:
                data = text.encode(codec)
            except UnicodeEncodeError:
                continue
            got = detect_encoding_bytes(data)
            try:
                ok = data.decode(got, errors="replace") == text
            except LookupError:
                ok = False
            if expected is not None:
                ok = got in expected
            total += 1
            right += ok
            if not ok:
                wrong[got] += 1
        result[codec] = (right, total, wrong)
    return result


def show(title, result):
    for codec, (right, total, wrong) in result.items():
        print(f"{title:34} {codec:13} {right:5}/{total:<5} {100 * right / max(total, 1):6.2f}%  wrong: {dict(wrong.most_common(4))}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--detector", help="a copy of themes/readers/text.py to measure instead (the one before a change)")
    parser.add_argument("--no-charset-normalizer", action="store_true", help="detect as without the encoding extra")
    args = parser.parse_args()
    if args.detector:
        import importlib.util
        spec = importlib.util.spec_from_file_location("text_under_test", args.detector)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        global detect_encoding_bytes
        detect_encoding_bytes = module.detect_encoding_bytes
    if args.no_charset_normalizer:
        sys.modules["charset_normalizer"] = None  # import fails: the core's own heuristic
    rng = random.Random(args.seed)
    statements = russian_statements(HELD_OUT)
    words = sorted({w for t in statements for w in re.findall("[а-яё]{2,}", t)})
    words = rng.sample(words, min(args.n, len(words)))
    capitalised = [w.capitalize() for w in words[: args.n // 3]]
    lines = []
    for text in rng.sample(statements, min(args.n, len(statements))):
        tokens = re.findall(r"[а-яёА-ЯЁ]+", text.lower())
        if len(tokens) >= 2:
            k = rng.randint(2, min(5, len(tokens)))
            start = rng.randint(0, len(tokens) - k)
            lines.append(" ".join(tokens[start:start + k]))
    print(f"held-out Russian: {len(statements)} statements, {len(words)} words, {len(lines)} lines")
    started = time.perf_counter()
    show("ru single lower-case words", rate(words, RU_CODECS))
    show("ru capitalised words", rate(capitalised, RU_CODECS))
    show("ru lower-case lines (2-5 words)", rate(lines, RU_CODECS))
    show("ru statements as written", rate(statements[: args.n], RU_CODECS))
    greek_lines = GREEK.splitlines()
    greek_words = sorted({w for w in re.findall(r"\w{3,}", GREEK.lower())})
    show("el lines: read right", rate(greek_lines, ("cp1253", "iso8859-7")))
    show("el words: read right", rate(greek_words, ("cp1253",)))
    cyr = {"windows-1251", "koi8-r", "cp866", "mac-cyrillic", "cp1125", "koi8-u", "iso-8859-5"}
    for name, items in (("el lines", greek_lines), ("el words", greek_words), ("el text", [GREEK])):
        res = rate(items, ("cp1253",))
        right, total, wrong = res["cp1253"]
        misread = sum(n for enc, n in wrong.items() if enc in cyr)
        print(f"{name + ': read as Cyrillic':34} cp1253        {misread:5}/{total:<5} {100 * misread / total:6.2f}%  wrong: {dict(wrong.most_common(4))}")
    show("uk lines", rate(UKRAINIAN.splitlines(), ("cp1251", "koi8-u", "cp1125")))
    show("uk text", rate([UKRAINIAN], ("cp1251", "koi8-u", "cp1125")))
    show("bg lines", rate(BULGARIAN.splitlines(), ("cp1251",)))
    show("bg text", rate([BULGARIAN], ("cp1251",)))
    print(f"time {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    sys.exit(main())
