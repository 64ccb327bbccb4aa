"""A small reStructuredText reader: section titles, definition lists, bullets, paragraphs.

Enough for policy pages such as Read the Docs' sub-processor list; directives and
comments are skipped and inline markup is reduced to its text.
"""

from __future__ import annotations

import html
import re

_ADORNMENT = re.compile(r"^([=\-~^\"'`#*+:.])\1{2,}\s*$")
_ROLE = re.compile(r":[\w-]+:`([^`<]*?)\s*(?:<[^>]*>)?`")
_LINK = re.compile(r"`([^`<]+?)\s*(?:<[^>]*>)?`_{1,2}")
_LITERAL = re.compile(r"``([^`]+)``")
_STRONG = re.compile(r"\*\*([^*]+)\*\*")
_EMPH = re.compile(r"\*([^*\s][^*]*)\*")


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    text = _ROLE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _LITERAL.sub(r"<code>\1</code>", text)
    text = _STRONG.sub(r"<strong>\1</strong>", text)
    return _EMPH.sub(r"<em>\1</em>", text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def rst_to_html(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\t", "    ").split("\n")
    out: list[str] = ["<html><body>"]
    levels: list[str] = []
    i = 0
    n = len(lines)
    in_dl = False

    def close_dl():
        nonlocal in_dl
        if in_dl:
            out.append("</dl>")
            in_dl = False

    while i < n:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if _ADORNMENT.match(stripped) and i + 2 < n and _ADORNMENT.match(lines[i + 2].strip()):
            i += 1  # overline: the title follows
            continue
        nxt = lines[i + 1] if i + 1 < n else ""
        if (
            _indent(line) == 0
            and _ADORNMENT.match(nxt.strip())
            and len(nxt.strip()) >= len(stripped) - 2
        ):
            close_dl()
            style = nxt.strip()[0]
            if style not in levels:
                levels.append(style)
            level = min(6, levels.index(style) + 1)
            out.append(f"<h{level}>{_inline(stripped)}</h{level}>")
            i += 2
            continue
        if stripped.startswith(".."):
            i += 1
            while i < n and (not lines[i].strip() or _indent(lines[i]) > 0):
                i += 1
            continue
        if (
            _indent(line) == 0
            and nxt.strip()
            and _indent(nxt) > 0
            and not re.match(r"^[-*+] ", stripped)
        ):
            body = []
            i += 1
            while i < n and (not lines[i].strip() or _indent(lines[i]) > 0):
                body.append(lines[i].strip())
                i += 1
            if not in_dl:
                out.append("<dl>")
                in_dl = True
            paras = " ".join(body).strip()
            out.append(f"<dt>{_inline(stripped)}</dt><dd>{_inline(paras)}</dd>")
            continue
        close_dl()
        if re.match(r"^[-*+] ", stripped):
            out.append("<ul>")
            while i < n and re.match(r"^\s*[-*+] ", lines[i]):
                item = [lines[i].strip()[2:]]
                i += 1
                while (
                    i < n
                    and lines[i].strip()
                    and _indent(lines[i]) > 0
                    and not re.match(r"^\s*[-*+] ", lines[i])
                ):
                    item.append(lines[i].strip())
                    i += 1
                out.append(f"<li>{_inline(' '.join(item))}</li>")
            out.append("</ul>")
            continue
        para = []
        while i < n and lines[i].strip() and _indent(lines[i]) == 0:
            para.append(lines[i].strip())
            i += 1
        if not para:  # a stray indented line
            para.append(stripped)
            i += 1
        out.append(f"<p>{_inline(' '.join(para))}</p>")
    close_dl()
    out.append("</body></html>")
    return "\n".join(out)


def looks_like_rst(text: str) -> bool:
    sample = text[:20000]
    titles = len(re.findall(r"^\S.*\n([=\-~^])\1{2,}\s*$", sample, re.M))
    directives = len(re.findall(r"^\.\. [\w-]+::", sample, re.M))
    return titles >= 1 and (directives >= 1 or titles >= 2) and "\n#" not in sample
