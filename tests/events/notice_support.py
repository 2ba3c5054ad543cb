"""Notices for the tests, made through the services as curators make them."""

from __future__ import annotations

from events.choices import NoticeKind, NoticePatternType
from events.models import Notice, NoticeVariant, Platform
from events.services.notices import notice_save, notice_variant_save

WECHAT_EN = (
    "The platform may have violated relevant laws and regulations after being "
    "reviewed per users’ complaints. The account is currently blocked, and "
    "content is not available."
)
WECHAT_ZH = "此账号已被屏蔽，内容无法查看"
SAUDI_BLOCKPAGE = (
    "لمزيد من المعلومات عن خدمة الإنترنت في المملكة العربية السعودية، "
    "يمكنك زيارة الموقع التالي"
)


def make_notice(
    text: str,
    *,
    platform: Platform | None = None,
    title: str = "",
    language: str = "en",
    kind: str = NoticeKind.PLATFORM,
    variants: tuple[tuple[str, str], ...] = (),
    **fields: object,
) -> Notice:
    """A notice with `text` as its canonical wording and (language, text)
    variants."""
    notice = Notice(
        kind=kind,
        title=title or text[:60],
        platform=platform,
        canonical_text=text,
        language=language,
        **fields,
    )
    notice_save(notice=notice, user=None)
    for variant_language, wording in variants:
        notice_variant_save(
            variant=NoticeVariant(
                notice=notice, text=wording, language=variant_language
            ),
            user=None,
        )
    return notice


def wechat_notice(platform: Platform) -> Notice:
    """WeChat's notice for a blocked account, in English and Chinese."""
    return make_notice(
        WECHAT_EN,
        platform=platform,
        title="WeChat: account blocked",
        countries=["CN"],
        variants=(("zh", WECHAT_ZH),),
    )


def saudi_blockpage(**fields: object) -> Notice:
    """The Saudi national blockpage, matched by the OONI fingerprint that
    names its body text."""
    defaults: dict[str, object] = {
        "kind": NoticeKind.BLOCKPAGE,
        "language": "",
        "title": "Blockpage cl.nat_sa (SA, national)",
        "countries": ["SA"],
        "origin": "ooni:cl.nat_sa",
        "pattern": SAUDI_BLOCKPAGE,
        "pattern_type": NoticePatternType.CONTAINS,
        "location": "body",
    }
    return make_notice(SAUDI_BLOCKPAGE, **{**defaults, **fields})  # type: ignore[arg-type]
