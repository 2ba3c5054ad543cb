"""Blocking verbs by action in English, Russian, Chinese, Turkish, Persian,
Arabic and Hindi.

A verb form is STRONG when its form alone says the thing happened (blocked,
заблокирован, 封禁, engellendi, فیلتر شد, حجبت, बैन कर दिया), WEAK when it needs
a cue around it (ban, blocking, блокировка, erişim engeli, حجب), FUTURE when its
form says it has not happened yet (заблокирует, engellenecek, فیلتر خواهد).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from events.choices import Action

STRONG, WEAK, FUTURE = 1.0, 0.5, 0.0
# A word start and a word end; Devanagari letters and signs, not its danda.
WORD_START = r"(?<![\w\u0900-\u0963\u0966-\u097f])"
WORD_END = r"(?![\w\u0900-\u0963\u0966-\u097f])"


@dataclass(frozen=True)
class VerbPattern:
    action: str
    strength: float
    regex: re.Pattern
    needs_context: bool = False  # "lifted" means restored only near a ban word


def _p(action: str, strength: float, *sources: str, context: bool = False):
    return [
        VerbPattern(
            action,
            strength,
            re.compile(WORD_START + s + WORD_END, re.IGNORECASE),
            context,
        )
        for s in sources
    ]


def _cjk(action: str, strength: float, *sources: str):
    """Chinese verbs: no word boundaries in a script without spaces."""
    return [VerbPattern(action, strength, re.compile(s)) for s in sources]


B, S, W, T, R, X = (
    Action.BLOCKED,
    Action.SUSPENDED,
    Action.WITHHELD,
    Action.THROTTLED,
    Action.REMOVED,
    Action.RESTORED,
)

ENGLISH = [
    *_p(
        X,
        STRONG,
        r"unblock(?:ed|s)",
        r"restor(?:ed|es)",
        r"reinstat(?:ed|es)",
        r"back online",
        r"(?:accessible|available|reachable) again",
        r"regain(?:ed|s)? access",
        r"re-?opened",
    ),
    *_p(X, STRONG, r"lift(?:ed|s)", context=True),
    *_p(
        X,
        WEAK,
        r"unblock(?:ing)?",
        r"restor(?:e|ing|ation)",
        r"lift(?:ing)?",
        context=True,
    ),
    *_p(W, STRONG, r"withheld", r"withholds"),
    *_p(W, WEAK, r"withhold(?:ing)?"),
    *_p(T, STRONG, r"throttl(?:ed|es)", r"slow(?:ed|s)(?: down)?", r"degraded"),
    *_p(
        T,
        WEAK,
        r"throttl(?:e|ing)",
        r"slow(?:ing)? down",
        r"slowdown",
        r"slow(?:ing)? (?:the )?speed",
    ),
    *_p(S, STRONG, r"suspend(?:ed|s)"),
    *_p(S, WEAK, r"suspend(?:ing)?", r"suspension"),
    *_p(
        R,
        STRONG,
        r"remov(?:ed|es)",
        r"taken down",
        r"took down",
        r"takes down",
        r"pulled",
        r"delisted",
        r"deleted",
    ),
    *_p(R, WEAK, r"remov(?:e|ing|al)", r"take down", r"takedown"),
    *_p(
        B,
        STRONG,
        r"block(?:ed|s)",
        r"bann(?:ed)",
        r"bans",
        r"censor(?:ed|s)",
        r"filtered",
        r"shut(?:s)? (?:down|off)",
        r"cut(?:s)? off",
        r"restrict(?:ed|s)",
        r"blacklist(?:ed|s)",
        r"barred",
        r"inaccessible",
        r"disrupt(?:ed|s)",
        r"went (?:dark|offline)",
        r"silenced",
        r"(?:knocked|taken) offline",
        r"lost access",
        r"no longer (?:be )?"
        r"(?:accessible|available|reachable)",
        r"(?:could|can)(?:\s?not|n't) (?:be )?"
        r"(?:accessed|reached|opened|loaded|access|reach|open|load|use|send|connect)",
    ),
    *_p(
        B,
        WEAK,
        r"block(?:ing)?",
        r"bann?(?:ing)?",
        r"censor(?:ing|ship)?",
        r"blockade",
        r"blackout",
        r"shutdowns?",
        r"restrict(?:ing|ions?)?",
        r"filtering",
        r"blacklist",
        r"disruptions?",
    ),
]

RUSSIAN = [
    *_p(
        X,
        STRONG,
        r"разблокирова(?:л|ла|ли|н|на|ны|но)",
        r"снял\w* (?:ограничени|"
        r"блокировк|запрет)\w*",
        r"восстановлен\w*",
    ),
    *_p(X, WEAK, r"разблокировк\w*", r"сняти\w* (?:ограничени|блокировк)\w*"),
    *_p(T, WEAK, r"замедлени\w*", r"замедлить"),
    *_p(T, FUTURE, r"замедлит"),
    *_p(
        T, STRONG, r"замедли(?:л|ла|ли|ло)", r"замедлен(?:а|о|ы)?", r"замедля(?:ет|ют)"
    ),
    *_p(S, STRONG, r"приостанови(?:л|ла|ли)", r"приостановлен\w*"),
    *_p(S, WEAK, r"приостановк\w*"),
    *_p(R, STRONG, r"удали(?:л|ла|ли)", r"удален\w*"),
    *_p(R, WEAK, r"удалить", r"удалени\w*"),
    *_p(B, FUTURE, r"заблокиру(?:ет|ют)", r"ограничи(?:т|м)"),
    *_p(
        B,
        WEAK,
        r"блокировк\w*",
        r"заблокировать",
        r"блокировать",
        r"ограничени\w* доступа",
        r"ограничить",
        r"запрет\w{0,3}",
        r"черн\w+ спис\w+",
    ),
    *_p(
        B,
        STRONG,
        r"заблокирова(?:л|ла|ли|ло|н|на|но|ны)",
        r"заблокированн\w*",
        r"блокиру(?:ет|ют)",
        r"ограничи(?:л|ла|ли|ло)",
        r"ограничен(?:а|о|ы)?",
        r"внес(?:ла|ли|ен|ено|ена)? в (?:\w+ )?(?:реестр|спис\w+)",
        r"запрети(?:л|ла|ли)",
        r"запрещен\w*",
        r"недоступ\w*",
        r"перестал\w* (?:открываться|работать)",
    ),
]

CHINESE = [
    *_cjk(
        X,
        STRONG,
        r"解封",
        r"解禁",
        r"恢复访问",
        r"恢復訪問",
        r"解除(?:封锁|封鎖|屏蔽)",
        r"重新开放",
        r"重新開放",
    ),
    *_cjk(X, WEAK, r"恢复", r"恢復"),
    *_cjk(T, STRONG, r"限流", r"降速"),
    *_cjk(
        S,
        STRONG,
        r"(?:暂停|暫停)(?=[^。]{0,6}(?:服务|服務|运营|運營|账号|帳號|使用|访问|訪問))",
        r"禁言",
    ),
    *_cjk(R, STRONG, r"下架", r"删除", r"刪除", r"移除"),
    *_cjk(
        B,
        STRONG,
        r"封禁",
        r"屏蔽",
        r"被封",
        r"封号",
        r"封號",
        r"封杀",
        r"封殺",
        r"封锁",
        r"封鎖",
        r"查封",
        r"被墙",
        r"禁止访问",
        r"无法访问",
        r"無法訪問",
        r"封掉",
        r"(?:关闭|關閉)(?=[^。]{0,12}(?:账号|帐号|帳號|公众号|網站|网站))",
    ),
    *_cjk(B, WEAK, r"禁令"),
]

TURKISH = [
    *_p(
        X,
        STRONG,
        r"erişime açıl(?:dı|mıştır|mış)",
        r"yeniden açıl(?:dı|mıştır)",
        r"(?:erişim )?engeli kaldırıl(?:dı|mıştır|mış)",
        r"yasağı kaldırıl(?:dı|mıştır)",
    ),
    *_p(
        X,
        FUTURE,
        r"erişime açıl(?:acak|ması)",
        r"(?:yeniden )?açılacak",
        r"(?:engeli|yasağı) kaldırılacak",
    ),
    *_p(T, STRONG, r"yavaşlatıl(?:dı|mıştır)"),
    *_p(T, WEAK, r"bant daraltma\w*"),
    *_p(S, STRONG, r"askıya alın(?:dı|mıştır)"),
    *_p(S, FUTURE, r"askıya alınacak"),
    *_p(R, STRONG, r"kaldırıl(?:dı|mıştır)"),
    *_p(
        B,
        FUTURE,
        r"engellen(?:ecek|ebilir)",
        r"kapatıl(?:acak|abilir)",
        r"yasaklan(?:acak|abilir)",
    ),
    *_p(
        B,
        STRONG,
        r"erişim engeli getir(?:ildi|ilmiştir|ilmişti|di|miştir)",
        r"engellen(?:di|miştir|miş|mişti)",
        r"engelle(?:di|miştir|mişti)",
        r"erişime kapatıl(?:dı|mıştır|mış)",
        r"kapatıl(?:dı|mıştır)",
        r"yasaklan(?:dı|mıştır|mış)",
        r"yasakla(?:dı|mıştır)",
        r"kısıtlan(?:dı|mıştır)",
        r"erişim(?:i)? durduruldu",
    ),
    *_p(B, WEAK, r"erişim engeli", r"erişim yasağı", r"engellenmesi"),
]

PERSIAN = [
    *_p(X, FUTURE, r"رفع\s?فیلتر\s?می\u200c?شود"),
    *_p(X, STRONG, r"رفع\s?فیلتر\s?(?:شد|شده)"),
    *_p(X, WEAK, r"رفع\s?فیلتر", r"رفع\s?(?:مسدودیت|محدودیت)", r"بازگشایی"),
    *_p(T, STRONG, r"کند\s?(?:شد|شده)"),
    *_p(B, FUTURE, r"(?:فیلتر|مسدود)\s?(?:شود|خواهد)"),
    *_p(
        B,
        STRONG,
        r"فیلتر\s?(?:شد|شده|کرد|کردند|است)",
        r"مسدود\s?(?:شد|شده|کرد|کردند|است)",
        r"دستور\s+مسدودسازی",
        r"محدود\s?(?:شد|شده|کرد)",
    ),
    *_p(B, WEAK, r"فیلترینگ", r"مسدودسازی", r"فیلتر", r"مسدود"),
]

ARABIC = [
    *_p(
        X,
        STRONG,
        r"ب?رفع\s+الحظر",
        r"(?:ألغ(?:ى|ت)|ي?لغي|تلغي|إلغاء)\s+(?:\S+\s+){0,5}?ب?(?:تعليق|حظر|حجب)",
    ),
    *_p(X, WEAK, r"(?:يعود|عاد|عادت|تعود|عودة)", r"إعادة\s+(?:فتح|تشغيل)"),
    *_p(T, STRONG, r"أبطأت"),
    *_p(T, WEAK, r"إبطاء"),
    *_p(S, STRONG, r"علقت"),
    *_p(S, WEAK, r"ب?تعليق"),
    *_p(R, STRONG, r"حذفت", r"أزالت"),
    *_p(R, WEAK, r"حذف", r"إزالة"),
    *_p(B, FUTURE, r"س(?:ي|ت)(?:حجب|حظر|تم)\w*"),
    *_p(
        B,
        STRONG,
        r"حجبت",
        r"حظرت",
        r"(?:تم|جرى)\s+(?:حجب|حظر)",
        r"(?:ت|ي)(?:حجب|حظر)",
        r"أوقفت",
    ),
    *_p(B, WEAK, r"\w{0,2}حجب\w{0,2}", r"\w{0,2}حظر\w{0,2}", r"توقف\w*", r"منع"),
]

HINDI = [
    *_p(X, STRONG, r"(?:प्रतिबंध|प्रतिबन्ध|बैन|रोक)\s+हटा\s*(?:दिया|ली|लिया|दी)?", r"बहाल"),
    *_p(S, STRONG, r"निलंबित\s+कर\s+दिया"),
    *_p(S, WEAK, r"निलंबित", r"सस्पेंड"),
    *_p(R, STRONG, r"हटा\s+(?:दिया|दिए|लिया)", r"हटाया"),
    *_p(B, FUTURE, r"(?:लगा|कर)\s+सकत(?:ा|ी|े)", r"लगाएग(?:ी|ा)"),
    *_p(
        B,
        STRONG,
        r"(?:प्रतिबंध|प्रतिबन्ध)\s+लगा\s+(?:दिया|दी)",
        r"(?:प्रतिबंध|प्रतिबन्ध)\s+लगाया",
        r"प्रतिबंधित\s+कर\s+(?:दिया|दिए)",
        r"(?:बैन|ब्लॉक)\s+कर\s+(?:दिया|दिए|दी)",
        r"(?:बैन|ब्लॉक)\s+किय(?:ा|े)",
        r"रोक\s+लगा\s+(?:दी|दिया)",
        r"रोक\s+लगाई",
    ),
    *_p(B, WEAK, r"प्रतिबंध", r"प्रतिबन्ध", r"बैन", r"ब्लॉक"),
]

VERB_PATTERNS = ENGLISH + RUSSIAN + CHINESE + TURKISH + PERSIAN + ARABIC + HINDI
