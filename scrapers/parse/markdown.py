"""Markdown and MDX files (raw policy repositories) rendered to HTML for the HTML extractors."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

_FRONT_MATTER = re.compile(
    r"\A\ufeff?\s*(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|\Z)", re.S
)
_MDX_STATEMENT = re.compile(r"^(?:import|export)\b.*?(?=^\s*$|\Z)", re.M | re.S)
_LIQUID = re.compile(r"\{%-?.*?-?%\}")


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def strip_front_matter(text: str) -> str:
    return _FRONT_MATTER.sub("", text, count=1)


def markdown_to_html(text: str) -> str:
    """Render Markdown (front matter, MDX import/export lines and Liquid tags dropped)."""
    text = strip_front_matter(text.replace("\r\n", "\n"))
    text = _MDX_STATEMENT.sub("", text)
    text = _LIQUID.sub("", text)
    return "<html><body>" + _renderer().render(text) + "</body></html>"


def looks_like_markdown(text: str) -> int:
    """A rough count of Markdown signals in the first part of a text file."""
    sample = text[:20000]
    signals = 0
    signals += len(re.findall(r"^#{1,6} \S", sample, re.M)) * 2
    signals += len(re.findall(r"^\s*\|.*\|\s*$", sample, re.M))
    signals += len(re.findall(r"^\s*[-*+] \S", sample, re.M))
    signals += len(re.findall(r"\[[^\]\n]+\]\([^)\s]+\)", sample))
    signals += len(re.findall(r"\*\*[^*\n]+\*\*", sample))
    signals += 5 if _FRONT_MATTER.match(sample) else 0
    return signals
