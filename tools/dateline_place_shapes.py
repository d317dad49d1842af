"""Measure the shape rule for a word all in capitals before a number: place or acronym
(themes.dates; session 16).

    python tools/dateline_place_shapes.py
"""
import re
CITIES_RU = """МОСКВА МИНСК АСТАНА АЛМАТЫ БИШКЕК ДУШАНБЕ ТАШКЕНТ АШХАБАД БАКУ ЕРЕВАН КИШИНЕВ КИШИНЁВ
ТБИЛИСИ КИЕВ ПЕКИН САМАРКАНД ОШ СОЧИ КАЗАНЬ НОВОСИБИРСК ЕКАТЕРИНБУРГ ВЛАДИВОСТОК ХАБАРОВСК
КРАСНОДАР ТОМСК ОМСК КУРСК ПСКОВ УФА ЧИТА ТВЕРЬ САМАРА ВОЛГОГРАД РОСТОВ КАЛИНИНГРАД МУРМАНСК
ГРОЗНЫЙ МАХАЧКАЛА НАЛЬЧИК ВЛАДИКАВКАЗ ХУДЖАНД БУХАРА НАМАНГАН АНДИЖАН ФЕРГАНА ТЕРМЕЗ
КАРАГАНДА ШЫМКЕНТ АКТАУ АТЫРАУ АКТОБЕ ПАВЛОДАР БРЕСТ ГОМЕЛЬ ГРОДНО ВИТЕБСК МОГИЛЕВ ГЮМРИ
БАТУМИ ГЯНДЖА ТУРКМЕНБАШИ МАРЫ ЧОЛПОН-АТА КАРАКОЛ ЖАЛАЛ-АБАД НУКУС УРУМЧИ ШАНХАЙ ДЕЛИ ИСЛАМАБАД
ТЕГЕРАН КАБУЛ ВЕНА ЖЕНЕВА ПАРИЖ БРЮССЕЛЬ ЛОНДОН ВАШИНГТОН НЬЮ-ЙОРК БЕРЛИН РИГА ВИЛЬНЮС
ТАЛЛИН ВАРШАВА АНКАРА СТАМБУЛ ДОХА ДУБАЙ ЭР-РИЯД КАИР СЕУЛ ТОКИО ИРКУТСК ПЕРМЬ ОРЁЛ ОРЕЛ СУРГУТ""".split()
CITIES_EN = """MOSCOW MINSK ASTANA ALMATY BISHKEK DUSHANBE TASHKENT ASHGABAT BAKU YEREVAN CHISINAU TBILISI
KYIV KIEV BEIJING SAMARKAND OSH SOCHI KAZAN NOVOSIBIRSK YEKATERINBURG VLADIVOSTOK KHABAROVSK TOMSK
OMSK UFA BREST GOMEL VITEBSK KARAGANDA SHYMKENT AKTAU ATYRAU KHUJAND BUKHARA TERMEZ NUKUS URUMQI
SHANGHAI DELHI ISLAMABAD TEHRAN KABUL VIENNA GENEVA PARIS BRUSSELS LONDON WASHINGTON BERLIN RIGA
VILNIUS TALLINN WARSAW ANKARA ISTANBUL DOHA DUBAI RIYADH CAIRO SEOUL TOKYO ROME OSLO MADRID
LISBON BERN HAGUE NAIROBI""".split()
ACRONYMS = """ОДКБ СНГ ШОС РАТС АТЦ ООН ФАТФ ЕАГ ОБСЕ НАТО ЕС ФСБ МВД КНБ ГКНБ СБУ СВР ГРУ ФСО МЧС
ЮНОДК ИКАО ЕАЭС ЕВРАЗЭС БРИКС ИНТЕРПОЛ ЕВРОПОЛ АСЕАН МАНИВЭЛ ЦАРИКЦ СВМДА ГУАМ СБ КТК ИКТ
ОИС ЛАГ АС ЮНЕСКО ЮНИСЕФ МАГАТЭ ВОЗ МОМ УВКБ ОДКБ РФ РБ РК КР РТ РУз ФСКН МИД СК ГП АТК НАК
CSTO SCO CIS RATS UN FATF EAG OSCE NATO EU FSB UNODC UNOCT CTED UNSC UNGA IAEA ICAO INTERPOL
EUROPOL ASEAN BRICS MONEYVAL CARICC CICA GUAM IGAD ECOWAS OIC GCTF CTITF UNCCT AU EAEU CTC SC
GA UNDP UNHCR IOM WHO UNESCO UNICEF EEAS OPCW BND FBI CIA MI NSA KGB GKNB NSC""".split()

VOWELS = set("АЕЁИОУЫЭЮЯAEIOUY")

def shape_place(word):
    letters = [c for c in word if c.isalpha()]
    n = len(letters)
    if n >= 5:
        return True
    if n == 4:
        cv = "".join("v" if c in VOWELS else "c" for c in letters)
        return cv == "cvcv"
    return False

for name, words, want in (("cities ru", CITIES_RU, True), ("cities en", CITIES_EN, True), ("acronyms", ACRONYMS, False)):
    wrong = [w for w in words if shape_place(w) != want]
    print(f"{name}: {len(words)-len(wrong)}/{len(words)} right; wrong: {wrong}")
