"""Writing direction of a language tag, for text shown in its own script."""

from __future__ import annotations

# Arabic, Aramaic, Sorani, Dhivehi, Persian, Hebrew, N'Ko, Pashto, Sindhi,
# Syriac, Uyghur, Urdu, Yiddish (iw and ji: old codes of Hebrew and Yiddish).
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "nqo", "ps", "sd", "syr"}
) | {"ug", "ur", "yi"}
RTL_SCRIPTS = frozenset(
    {"adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa"}
)


def text_direction(language: str) -> str:
    """'rtl' for a right-to-left language tag ('fa', 'ur', 'az-Arab'), else 'auto'
    (the browser then follows the text itself, which suits an unknown tag)."""
    primary, *rest = (language or "").lower().split("-")
    scripts = [tag for tag in rest if len(tag) == 4 and tag.isalpha()]
    if scripts:
        return "rtl" if scripts[0] in RTL_SCRIPTS else "auto"
    return "rtl" if primary in RTL_LANGUAGES else "auto"
