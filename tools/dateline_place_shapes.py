"""Measure the rules that tell a word all in capitals before a number a dateline's place
("МОСКВА 17 – 19 ноября") or a body's acronym ("ОДКБ 5 – 20 мая"): themes.dates
(_reads_as_a_place), sessions 16 and 17.

    python tools/dateline_place_shapes.py

Prints, for each list of words, how many the shape alone reads right (the lists _PLACES and
_BODIES emptied), with session 16's rule and with today's, and how many the lists and shape
together do. The session-16 lists were those the rule was written on; the session-17 lists
(places of the region and beyond, unlisted acronyms of bodies) were written after it.
"""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from themes import dates  # noqa: E402

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

# Session 17: more places (the region's towns, capitals elsewhere) and unlisted acronyms.
EXTRA_PLACES_RU = """ОРСК ЕЙСК ТУЛА ХИВА НАВОИ НУКУС ТЕРМЕЗ КАРШИ ДЖИЗАК ГУЛИСТАН УРГЕНЧ КОКАНД ТАРАЗ ТАЛДЫКОРГАН
КОСТАНАЙ ПЕТРОПАВЛОВСК УСТЬ-КАМЕНОГОРСК СЕМЕЙ КЫЗЫЛОРДА ТУРКЕСТАН ЖЕЗКАЗГАН БАЛХАШ НАРЫН ТАЛАС БАТКЕН
ТОКМОК КАНТ КУЛОБ БОХТАР ХОРОГ ИСТАРАВШАН ПЕНДЖИКЕНТ ДАШОГУЗ ТУРКМЕНАБАТ БАЛКАНАБАТ АВАЗА СУМГАИТ ШЕКИ
ВАНАДЗОР КУТАИСИ БЕЛЬЦЫ ТИРАСПОЛЬ БОБРУЙСК ОРША ПИНСК ЛИДА МОЗЫРЬ БАРАНОВИЧИ СОЛИГОРСК НОВОПОЛОЦК
ОРЕНБУРГ ЧЕЛЯБИНСК ТЮМЕНЬ БАРНАУЛ КЕМЕРОВО НОВОКУЗНЕЦК КРАСНОЯРСК ЯКУТСК МАГАДАН ПЕТРОЗАВОДСК
АРХАНГЕЛЬСК ВОЛОГДА ЯРОСЛАВЛЬ КОСТРОМА ИВАНОВО ВЛАДИМИР РЯЗАНЬ КАЛУГА БРЯНСК СМОЛЕНСК БЕЛГОРОД
ВОРОНЕЖ ЛИПЕЦК ТАМБОВ ПЕНЗА САРАТОВ УЛЬЯНОВСК ЧЕБОКСАРЫ ИЖЕВСК КИРОВ СЫКТЫВКАР СТАВРОПОЛЬ
ПЯТИГОРСК МАЙКОП ЧЕРКЕССК МАГАС НАЗРАНЬ ЭЛИСТА АСТРАХАНЬ СЕВАСТОПОЛЬ СИМФЕРОПОЛЬ ЯЛТА ИШИМ
ДЕРБЕНТ ХАСАВЮРТ БИШКЕК ЧУЙ ХУДЖАНД ДЖАЛАЛ-АБАД ИССЫК-КУЛЬ ЧОЛПОН-АТА ГУДАУТА СУХУМ ЦХИНВАЛ
ЛАХОР КАРАЧИ КВЕТТА ПЕШАВАР КАНДАГАР ГЕРАТ МАЗАРИ-ШАРИФ КУНДУЗ ХАНОЙ ДЖАКАРТА БАНГКОК МАНИЛА
НЬЮ-ДЕЛИ МУМБАИ КАТМАНДУ ДАККА КОЛОМБО АБУ-ДАБИ МАСКАТ АММАН БЕЙРУТ ДАМАСК БАГДАД ТРИПОЛИ
ТУНИС АЛЖИР РАБАТ НАЙРОБИ АДДИС-АБЕБА ПРЕТОРИЯ ЛУАНДА ГАВАНА КАРАКАС БРАЗИЛИА ЛИМА МЕХИКО
ОТТАВА МАДРИД ЛИССАБОН РИМ АФИНЫ СОФИЯ БУХАРЕСТ БЕЛГРАД ПРАГА ВЕНА БЕРН ГААГА АМСТЕРДАМ
СТОКГОЛЬМ ХЕЛЬСИНКИ КОПЕНГАГЕН ОСЛО ДУБЛИН ВАРШАВА БРАТИСЛАВА БУДАПЕШТ ЛЮБЛЯНА ЗАГРЕБ
СТРАСБУРГ ЛИОН ГРАЦ БОНН ЛОДЗЬ""".split()
EXTRA_PLACES_EN = """ORSK NUKUS NAVOI TERMEZ KARSHI JIZZAKH URGENCH KOKAND TARAZ KOSTANAY PETROPAVL SEMEY
KYZYLORDA TURKESTAN NARYN TALAS BATKEN TOKMOK KULOB BOKHTAR KHOROG DASHOGUZ TURKMENABAT AVAZA
SUMGAIT SHEKI VANADZOR KUTAISI BALTI TIRASPOL BOBRUISK ORSHA PINSK LIDA MOZYR ORENBURG CHELYABINSK
TYUMEN BARNAUL KEMEROVO KRASNOYARSK YAKUTSK MAGADAN ARKHANGELSK VOLOGDA YAROSLAVL KOSTROMA
RYAZAN KALUGA BRYANSK SMOLENSK BELGOROD VORONEZH LIPETSK TAMBOV PENZA SARATOV ULYANOVSK IZHEVSK
KIROV STAVROPOL PYATIGORSK MAYKOP MAGAS NAZRAN ELISTA ASTRAKHAN SEVASTOPOL YALTA DERBENT
LAHORE KARACHI QUETTA PESHAWAR KANDAHAR HERAT KUNDUZ HANOI JAKARTA BANGKOK MANILA MUMBAI
KATHMANDU DHAKA COLOMBO MUSCAT AMMAN BEIRUT DAMASCUS BAGHDAD TRIPOLI TUNIS ALGIERS RABAT
PRETORIA LUANDA HAVANA CARACAS BRASILIA LIMA OTTAWA ATHENS SOFIA BUCHAREST BELGRADE PRAGUE
AMSTERDAM STOCKHOLM HELSINKI COPENHAGEN DUBLIN BRATISLAVA BUDAPEST LJUBLJANA ZAGREB STRASBOURG
LYON GRAZ BONN LODZ TULA KHIVA""".split()
EXTRA_ACRONYMS = """UNICRI UNITAR UNIDIR UNRCCA UNAMA UNCTED UNOPS UNFPA UNMAS UNSCR UNCTAD UNEP UNIDO UNODA
EUROJUST FRONTEX CEPOL SELEC GIABA SAARC ESAAMLG MENAFATF GAFILAT EAPCCO AMISOM ODIHR SIPRI GIFCT
ICCT SECI OSINT AFRIPOL ASEANAPOL AMERIPOL EUROGENDFOR INTERPOL NCTC DHS OFAC FINCEN EGMONT
ЮНИКРИ ЮНИТАР ЮНИДИР РЦПДЦА ЕВРОЮСТ ФРОНТЕКС БДИПЧ ОЗХО ИКПО МОКП ЕЭК СВАТ ГУВД ГУБОП
ФСИН ФТС ФМС ЦПЭ ГУПЭ ОМОН СОБР ЦСН ФАПСИ ЮНОПС ЮНФПА ЮНКТАД ЮНЕП ЮНИДО ЕВРОГЕНДФОР АФРИПОЛ
АСЕАНАПОЛ ЭГМОНТ ОПЕК СВАП ЮНАМА МАГАТЭ СИПРИ КСОР ОДКБ МКТС""".split()

VOWELS = set("АЕЁИОУЫЭЮЯAEIOUY")

def shape_place_s16(word):
    letters = [c for c in word if c.isalpha()]
    n = len(letters)
    if n >= 5:
        return True
    if n == 4:
        cv = "".join("v" if c in VOWELS else "c" for c in letters)
        return cv == "cvcv"
    return False



def shape_place_today(word):
    """themes.dates._reads_as_a_place with its lists emptied: the shape alone."""
    places, bodies = dates._PLACES, dates._BODIES
    dates._PLACES = dates._BODIES = frozenset()
    try:
        return dates._reads_as_a_place(word)
    finally:
        dates._PLACES, dates._BODIES = places, bodies


GROUPS = (
    ("s16 cities ru", CITIES_RU, True), ("s16 cities en", CITIES_EN, True), ("s16 acronyms", ACRONYMS, False),
    ("s17 places ru", EXTRA_PLACES_RU, True), ("s17 places en", EXTRA_PLACES_EN, True),
    ("s17 acronyms", EXTRA_ACRONYMS, False),
)
for label, rule in (("shape s16", shape_place_s16), ("shape today", shape_place_today), ("lists+shape today", dates._reads_as_a_place)):
    print(f"== {label}")
    for name, words, want in GROUPS:
        wrong = [w for w in words if rule(w) != want]
        print(f"{name}: {len(words) - len(wrong)}/{len(words)} right; wrong: {wrong}")

# Session 17 follow-up (helper-7 of s17): the bodies added to _BODIES (CEPOL, SIPRI, EGMONT,
# FRONTEX, AFRIPOL, ...) were taken from EXTRA_ACRONYMS, so "lists+shape today" is no test on
# those; the -ПОЛ rule is shape. Four-letter words: would making every word in capitals that
# opens a line (a dateline's place without comma or agency, "КАНТ 17 – 19 ноября") a place
# be better than the shape? It reads every four-letter place right and every four-letter
# acronym wrong; the counts say how many of each the lists hold.
print("== four letters: lists+shape today vs 'a word in capitals opening a line is a place'")
for name, words, want in GROUPS:
    four = [w for w in words if len([c for c in w if c.isalpha()]) == 4]
    wrong = [w for w in four if dates._reads_as_a_place(w) != want]
    print(f"{name}: {len(four)} of four letters; lists+shape {len(four) - len(wrong)} right (wrong: {wrong}); "
          f"line start {len(four) if want else 0} right")
