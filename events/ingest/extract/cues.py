"""Cue words of the extractor: what makes a blocking verb hypothetical,
negated or factual, where a clause ends, and what marks a how-to, an opinion
piece or an unnamed authority. Word lists are matched against folded tokens;
the Russian ones are stems (prefixes), the Chinese ones substrings.
"""

from __future__ import annotations

import re


def _words(text: str) -> list[str]:
    return text.split()


HYPOTHETICAL = frozenset(
    _words(
        "may might could would will shall wo plan plans planned planning threaten "
        "threatens threatened threatening threat threats warn warns warned warning "
        "propose proposes proposed proposal proposals consider considers considering "
        "mull mulls mulling weigh weighs weighing seek seeks sought want wants wanted "
        "urge urges urged demand demands demanded bill if unless whether possible "
        "possibly potential potentially likely deadline ready prepared expected poised "
        "face faces facing risk risks mooted floated push pushes pushing vote votes "
        "voted calls call still "
        "olabilir ihtimal iddia teklif tasarı gündemde planlıyor hazırlanıyor tehdit "
        "ممکن احتمال قرار خواهد ایا طرح پیشنهاد تهدید شایعه اگر "
        "قد سوف سيتم يمكن تعتزم يعتزم تدرس يدرس مشروع تهدد يهدد تهديد اذا لو محتمل "
        "احتمال شائعات ستقوم سيقوم "
        "सकता सकती सकते तैयारी प्रस्ताव विचार अगर यदि होगा होगी संभव मांग"
    )
)
HYPOTHETICAL_RU = _words(
    "мож мог возможн планиру намерен собира хоч хот гроз пригроз угрож предлож "
    "законопроект если рассмотр рассматрива призва потребова вероятн скор "
    "ближайш будет буд исключ"
)
HYPOTHETICAL_ZH = (
    "可能",
    "或将",
    "将",
    "拟",
    "计划",
    "准备",
    "準備",
    "建议",
    "呼吁",
    "如果",
    "若",
    "会",
    "即将",
    "是否",
    "威胁",
    "考虑",
)
NEGATION = frozenset(
    _words(
        "not no never didn doesn hasn haven isn wasn weren won wouldn denied denies "
        "deny false rumour rumor rumours rumors refused refuses hoax "
        "değil yalanladı asılsız yalan не нет "
        "نه تکذیب نادرست نشده "
        "لم لن لا نفت نفى ينفي تنفي شائعه "
        "नहीं झूठी झूठ अफवाह भ्रामक खंडन"
    )
)
NEGATION_RU = ("опроверг", "отрица", "ложн")
NEGATION_ZH = ("未", "没有", "没", "否认", "並未", "并未", "不会", "谣言", "不实")
FACTUAL = frozenset(
    _words(
        "has have had was were been is are being began begin begins started start "
        "starts ordered orders order imposed imposes announced announces confirmed "
        "confirms introduced enforced effect force ruled rules decided decides "
        "directed directs instructed instructs asked asks told tells implemented "
        "issued issues approved "
        "karar kararıyla kararı başladı "
        "شد کرد دستور صادر اغاز "
        "تم قررت قرر اعلنت اعلن بدات بدا امرت امر قرار "
        "عادت عاودت تعاود واصلت تواصل قامت كان كانت "
        "लगा दिया किया आदेश फैसला घोषणा"
    )
)
FACTUAL_RU = _words(
    "начал приступ принял решени постанов внес обеспеч ввел осуществ был требовани"
)
FACTUAL_ZH = (
    "已",
    "已经",
    "已被",
    "被",
    "开始",
    "開始",
    "宣布",
    "责令",
    "責令",
    "依法",
    "要求",
)
# Words that end a clause: cues beyond them belong to another verb.
CLAUSE_BREAKS = frozenset(
    _words(
        "and but after because while although though which who when since as "
        "и но а после потому когда который которая которые ve ama sonra و پس اما "
        "ثم لكن بعد और लेकिन के बाद"
    )
)
# "lifted"/"restored" mean restored only next to one of these.
BAN_CONTEXT = re.compile(
    r"ban|block|blockade|suspension|restriction|curb|embargo|filter|outage|access|"
    r"ограничени|блокировк|запрет|yasa|engel|فیلتر|مسدود|حظر|حجب|प्रतिबंध|बैन|封|禁",
    re.IGNORECASE,
)
HOW_TO = re.compile(
    r"\bhow to\b|\bbest vpns?\b|\bguide\b|\btips?\b:|\bdoes \w+ work in\b|"
    r"\bworkarounds?\b|如何|怎么|怎樣|教程|как обойти|как зайти|как пользоваться|"
    r"nasıl|چگونه|چطور|كيف|कैसे",
    re.IGNORECASE,
)
OPINION = re.compile(
    r"\|\s*(?:editorial|letters?|opinion)\b|\bthe \w+ view on\b|^opinion:|"
    r"\bop-ed\b|\bcolumn\b",
    re.IGNORECASE,
)
GENERIC_AUTHORITY = re.compile(
    r"\b(?:court|judge|regulator|watchdog|ministry|minister|government|prosecutor|"
    r"police|authorities|суд\w*|прокуратур\w*|правительств\w*|mahkeme\w*|hükümet\w*)"
    r"\b|法院|政府|دادگاه|دادستان|محكمة|الحكومة|अदालत|सरकार",
    re.IGNORECASE,
)
# After "to": the infinitive is an order carried out, not a plan.
ORDERS = frozenset(
    _words(
        "ordered orders order directed directs instructed instructs asked asks told "
        "tells began begin begins started start starts decided decides ruled rules "
        "forced moved directive directives instruction instructions letter request "
        "requested دستور امر امرت قرار आदेश"
    )
)
# A blocking noun stated as fact by the verb after it: "the block began".
FACTUAL_AFTER = _words(
    "began started took came hit affected remained lasted continued "
    "началась начался продолжается başladı sürüyor"
)
