"""Editors' Markdown (event notes, official bios) -> HTML that cannot run script.

Notes are written by hand in ``overrides.yml`` and published as HTML, so two
doors must stay shut: raw HTML (``<script>``, ``<img onerror=…>``) is shown as
text, never passed through; and a link or image may only point at http(s),
mailto or a relative address. ``javascript:`` hides in many spellings
(``JaVaScript:``, ``java&#115;cript:``, a tab inside the scheme), so the
scheme is judged the way a browser reads it: entities decoded, whitespace and
control characters dropped, case folded.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def is_safe_url(url: str) -> bool:
    """True for http(s), mailto and relative URLs; false for any other scheme."""
    readable = _INVISIBLE.sub("", html.unescape(url.replace(AMP_SUBSTITUTE, "&"))).lower()
    match = _SCHEME.match(readable)
    return match is None or match.group(1) in SAFE_SCHEMES


def safe_url(url: object) -> str:
    """``url`` when it is safe to put in ``href``/``src``; otherwise empty."""
    return url if isinstance(url, str) and url.strip() and is_safe_url(url) else ""


class _DropUnsafeLinks(Treeprocessor):
    """Remove ``href``/``src`` attributes whose scheme could run code.

    An image left without ``src`` is replaced by its alt text: ``<img>`` with
    no source is invalid HTML and shows nothing.
    """

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not is_safe_url(value):
                    del element.attrib[attribute]
        empty = [(p, c) for p in root.iter() for c in p if c.tag == "img" and c.get("src") is None]
        for parent, image in empty:
            _replace_with_text(parent, image, image.get("alt") or "")


def _replace_with_text(parent: etree.Element, child: etree.Element, text: str) -> None:
    index = list(parent).index(child)
    text += child.tail or ""
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        parent[index - 1].tail = (parent[index - 1].tail or "") + text
    parent.remove(child)


def _converter() -> markdown.Markdown:
    converter = markdown.Markdown(output_format="html")
    converter.preprocessors.deregister("html_block")  # raw HTML blocks become text
    converter.inlinePatterns.deregister("html")  # inline tags become text
    converter.treeprocessors.register(_DropUnsafeLinks(converter), "drop_unsafe_links", -10)
    return converter


def markdown_html(text: str) -> Markup:
    """Markdown as safe HTML: raw HTML escaped, unsafe link targets removed."""
    return Markup(_converter().convert(text))
