"""Editors' Markdown (notes, bios) cannot inject script or script links."""

from __future__ import annotations

import re

import pytest

from generator.markup import is_safe_url, markdown_html, safe_url

HOSTILE = {
    "script-tag": "<script>alert(1)</script>",
    "event-handler": '<img src="x" onerror="alert(1)">',
    "inline-html": 'a <b onmouseover="alert(1)">b</b>',
    "javascript-link": "[x](javascript:alert(1))",
    "mixed-case": "[x](JaVaScRiPt:alert(1))",
    "entity": "[x](javascript&#58;alert(1))",
    "named-entity": "[x](javascript&colon;alert(1))",
    "tab-in-scheme": "[x](java\tscript:alert(1))",
    "leading-space": "[x]( javascript:alert(1))",
    "vbscript": "[x](vbscript:msgbox(1))",
    "data-url": "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "image": "![x](javascript:alert(1))",
    "reference-link": "[x][1]\n\n[1]: javascript:alert(1)",
    "autolink": "<javascript:alert(1)>",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_markdown_is_defused(name: str) -> None:
    out = str(markdown_html(HOSTILE[name]))
    tags = re.findall(r"<[^>]*>", out)
    assert tags, out
    for tag in tags:
        name_of_tag = re.match(r"</?([a-z0-9]+)", tag)
        assert name_of_tag and name_of_tag.group(1) in {"p", "a", "img"}, tag
        assert not re.search(r"\son\w+=", tag, re.I), tag
        assert not re.search(r"(href|src)=\"\s*(java|vbscript|data)", tag, re.I), tag


def test_ordinary_markdown_still_works() -> None:
    out = str(
        markdown_html("**bold** and [a link](https://example.org/?a=1&b=2) and <https://x.org>")
    )
    assert "<strong>bold</strong>" in out
    assert '<a href="https://example.org/?a=1&amp;b=2">a link</a>' in out
    assert '<a href="https://x.org">https://x.org</a>' in out
    assert (
        str(markdown_html("[rel](../officials/x/)")) == '<p><a href="../officials/x/">rel</a></p>'
    )
    assert str(markdown_html("3 < 4 & 5 > 2")) == "<p>3 &lt; 4 &amp; 5 &gt; 2</p>"


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/", True),
        ("http://example.org/", True),
        ("mailto:desk@example.org", True),
        ("../x/", True),
        ("#s-10", True),
        ("javascript:alert(1)", False),
        (" JAVASCRIPT:alert(1)", False),
        ("java&#x73;cript:alert(1)", False),
        ("data:image/png;base64,AAAA", False),
    ],
)
def test_is_safe_url(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe
    assert (safe_url(url) == url) is safe


def test_safe_url_refuses_non_text() -> None:
    assert safe_url(None) == "" and safe_url(5) == "" and safe_url("  ") == ""
