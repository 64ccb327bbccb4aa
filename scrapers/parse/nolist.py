"""Say why a page holds no list: "no list here" is not "every subprocessor was removed".

Reasons are short, stable strings (they are stored and shown to reviewers):
bot check, error page, list published elsewhere, available on request,
unfilled template, list rendered by script, not a readable document, and the
fallback "no subprocessor list found on the page".
"""

from __future__ import annotations

import re

from scrapers.rows import Row

BOT_CHECK = "bot check (challenge page instead of content)"
ERROR_PAGE = "error page"
LINKS_ELSEWHERE = "the page only links to a list published elsewhere"
ON_REQUEST = "the list is available on request only"
TEMPLATE = "unfilled template (placeholder rows)"
SCRIPT_RENDERED = "the list is rendered by script; rows are not in the page source"
UNREADABLE = "not a readable document"
NOT_FOUND = "no subprocessor list found on the page"
NONE_USED = None  # "we use no subprocessors" is an empty list, not a missing one

_BOT = re.compile(
    r"just a moment\.\.\.|checking (?:if the site connection is secure|your browser)|"
    r"verify(?:ing)? you are (?:a )?human|are you a robot|attention required!? \| cloudflare|"
    r"cf-browser-verification|cf_chl_|challenge-platform|ddos protection by|"
    r"please (?:enable|turn on) (?:javascript|js) and cookies|"
    r"(?:enable|turn on) javascript (?:to|and) (?:continue|proceed|view|run)|"
    r"you need to enable javascript|this site requires javascript|"
    r"\bcaptcha\b|access to this page has been denied|request unsuccessful\. incapsula|"
    r"press (?:&|and) hold",
    re.I,
)
_ERROR = re.compile(
    r"^\s*(?:error\s*)?(?:400|401|403|404|410|429|500|502|503|504)\b|"
    r"\b(?:page|file) not found\b|\b404\b.*\bnot found\b|not found\b.*\b404\b|"
    r"internal server error|service (?:temporarily )?unavailable|bad gateway|gateway time-?out|"
    r"\baccess denied\b|\bforbidden\b|this page (?:doesn['’]t|does not) exist|"
    r"seite nicht gefunden|page introuvable|página no encontrada|pagina non trovata",
    re.I,
)
_ON_REQUEST = re.compile(
    r"(?:available|provided|furnished|sent|supplied|shared|disclosed)\s+(?:\w+\s+){0,5}"
    r"(?:on|upon)\s+(?:written\s+)?request|"
    r"(?:on|upon)\s+request\b.{0,60}\b(?:list|sub-?processors)|"
    r"request (?:a copy of )?(?:the|our) (?:current |full |canonical )?(?:list|sub-?processor)|"
    r"auf anfrage|sur demande|bajo petición|previa solicitud|mediante solicitação|su richiesta|"
    r"op verzoek",
    re.I,
)
_ELSEWHERE = re.compile(
    r"(?:list|sub-?processors?)\b.{0,120}\b(?:is|are|can be)?\s*(?:now\s+)?(?:published|available|"
    r"maintained|found|viewed|located|hosted)\s+(?:at|on|in|here)\b|"
    r"(?:view|see|find|consult|access)\s+(?:the|our)\s+(?:current|full|complete|latest|"
    r"up-to-date|authoritative)?\s*(?:list|sub-?processor)|"
    r"(?:has|have) moved to|redirected (?:automatically|to)|authoritative.{0,60}list",
    re.I,
)
_NONE_USED = re.compile(
    r"(?:we|company)\s+(?:do|does)\s+not\s+(?:currently\s+)?(?:use|engage)\s+any\s+"
    r"(?:third[- ]party\s+)?sub-?processors|"
    r"(?:there are )?no sub-?processors (?:are )?(?:currently )?(?:used|engaged)",
    re.I,
)


def is_template_rows(rows: list[Row]) -> bool:
    from scrapers.parse.rowbuild import is_placeholder

    if not rows:
        return False
    return sum(1 for r in rows if is_placeholder(r.name)) >= 0.5 * len(rows)


def reason_without_rows(
    text: str,
    *,
    title: str = "",
    had_templates: bool = False,
    meta_refresh: str = "",
    links: int = 0,
) -> str | None:
    """Why a page that yielded no rows has no list; None when it says it uses none."""
    head = f"{title}\n{text[:3000]}"
    words = len(text.split())
    if _BOT.search(head) and words < 400:
        return BOT_CHECK
    if _ERROR.search(title) or (words < 150 and _ERROR.search(head)):
        return ERROR_PAGE
    if _NONE_USED.search(text):
        return NONE_USED
    if _ON_REQUEST.search(text):
        return ON_REQUEST
    if meta_refresh or (_ELSEWHERE.search(text) and links):
        return LINKS_ELSEWHERE
    if had_templates:
        return SCRIPT_RENDERED
    return NOT_FOUND


def reason_with_rows(text: str, title: str, rows: list[Row]) -> str | None:
    """A page with rows can still be a non-list: a template, or a bot check wrapping junk."""
    if is_template_rows(rows):
        return TEMPLATE
    if _BOT.search(title) and len(rows) < 3:
        return BOT_CHECK
    return None
