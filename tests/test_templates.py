"""Words compiled into the templates (constants.Constants) change no page.

The extension replaces ``{{ t.word }}`` and ``{{ site_title }}``-like tags by
their escaped text when a template is compiled. Each case below is rendered
by an environment with the extension and by one without, and the two must
agree, including where a template binds the name to something else.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator import build, constants, render
from generator.config import load_config
from generator.errors import Diagnostics

ROOT = Path(__file__).resolve().parent.parent

GLOBALS = {
    "t": {"skip": 'تخطَّ <إلى> المحتوى & "الصفحة"', "other": "{{ not a tag }}", "items": "x"},
    "lang": "ar",
    "site_title": "<b>Iraq & Russia</b>",
    "count": 3,  # not a string: never compiled in
}

CASES = {
    "plain": {"page.html": "{{ t.skip }}|{{ lang }}|{{ site_title }}|{{ t.other }}|{{ count }}"},
    "whitespace control": {"page.html": "a  {{- t.skip -}}  b {{ lang -}}\n c"},
    "in attributes": {"page.html": '<a title="{{ t.skip }}" lang="{{ lang }}">x</a>'},
    "with a filter": {"page.html": "{{ lang | upper }} {{ t.skip | length }}"},
    "a word named like a method": {"page.html": "{{ t.items }}"},  # dict.items, for Jinja
    "raw": {"page.html": "{% raw %}{{ t.skip }} {{ lang }}{% endraw %}{{ lang }}"},
    "set": {"page.html": '{{ lang }}{% set lang = "en" %}{{ lang }}'},
    "block set": {"page.html": "{% set site_title %}<i>{% endset %}{{ site_title }}"},
    "for": {"page.html": '{% for t in [{"skip": "x"}] %}{{ t.skip }}{% endfor %}{{ t.skip }}'},
    "with": {"page.html": '{% with lang = "fr" %}{{ lang }}{% endwith %}'},
    "macro argument": {
        "page.html": '{% macro m(site_title) %}{{ site_title }}{% endmacro %}{{ m("z") }}'
    },
    "call argument": {
        "page.html": (
            "{% macro m() %}{{ caller(1) }}{% endmacro %}"
            "{% call(lang) m() %}{{ lang }}{% endcall %}"
        )
    },
    "import as": {
        "macros.html": '{% set skip = "imported" %}',
        "page.html": '{% import "macros.html" as t %}{{ t.skip }}',
    },
    "autoescape off": {
        "page.html": "{% autoescape false %}{{ site_title }}{% endautoescape %}{{ site_title }}"
    },
    "set in a child, read in its parent": {
        "base.html": "{% block main %}{% endblock %}{{ lang }}",  # "child", not "ar"
        "page.html": '{% extends "base.html" %}{% set lang = "child" %}',
    },
    "set before an include": {
        "inner.html": "{{ lang }}{{ t.skip }}",
        "page.html": '{% set lang = "outer" %}{% include "inner.html" %}',
    },
    "read in a statement": {
        "page.html": '{% if lang == "ar" %}{{ t.skip }}{% endif %}{% include "inner.html" %}',
        "inner.html": "{{ lang }}",
    },
}


def environment(sources: dict[str, str], compiled: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.DictLoader(sources),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=[constants.Constants] if compiled else [],
    )
    env.globals.update(GLOBALS)
    return env


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_page_is_the_same_with_the_words_compiled_in(case: str) -> None:
    sources = CASES[case]
    plain = environment(sources, compiled=False).get_template("page.html").render()
    assert environment(sources, compiled=True).get_template("page.html").render() == plain


def test_the_words_are_compiled_in_where_nothing_binds_them() -> None:
    env = environment(CASES["plain"], compiled=True)
    code = env.compile(CASES["plain"]["page.html"], raw=True)
    assert "&lt;b&gt;Iraq &amp; Russia&lt;/b&gt;" in code  # escaped once, here
    assert "'site_title'" not in code and "'skip'" not in code
    assert "count" in code  # not a string: looked up on every page
    bound = environment(CASES["set"], compiled=True)
    assert "lang" in bound.compile(CASES["set"]["page.html"], raw=True)


def test_a_word_the_globals_lack_is_still_an_error() -> None:
    env = environment({"page.html": "{{ t.missing }}"}, compiled=True)
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("page.html").render()


def test_compiled_templates_are_kept_apart_by_the_words_compiled_in(tmp_path: Path) -> None:
    def about_page(lang: str, cache: Path | None) -> str:
        config = load_config(ROOT / "content", tmp_path / "site", cache=cache)
        env = render.environment(config, lang)
        return env.get_template("about.html").render(
            root="./",
            site_root="./",
            here="about/",
            section="about",
            canonical=None,
            alternates=[],
            json_ld=None,
        )

    assert about_page("ar", tmp_path / "cache")  # compiled in Arabic, kept in the cache
    assert list((tmp_path / "cache" / "templates").iterdir())
    english = about_page("en", None)
    assert about_page("en", tmp_path / "cache") == english  # not the Arabic compiled


def test_every_page_of_the_site_is_the_same_with_the_words_compiled_in(tmp_path: Path) -> None:
    config = load_config(ROOT / "content", tmp_path / "site", cache=None)
    timeline = build.assemble(config, Diagnostics())
    records = (config, timeline.articles, timeline.registry, timeline.events)
    compiled, plain = render.Site(*records), render.Site(*records)
    for lang in config.languages:
        env = render.environment(config, lang)
        next(e for e in env.iter_extensions() if isinstance(e, constants.Constants))._inlined = {}
        plain._environments[lang] = env
    assert ("t", "skip") in next(compiled.environment("ar").iter_extensions()).inlined()
    pages = [item for item in render.plan_site(compiled) if item.kind == "page"]
    assert len(pages) > 50
    for item in pages:
        assert render.render_file(compiled, item) == render.render_file(plain, item), item.path


@pytest.mark.parametrize("name", ["here", "event"])
def test_a_page_value_named_like_a_global_is_refused(tmp_path: Path, name: str) -> None:
    """A global is compiled into the templates, so a page value of the same
    name (one every page has, or one of an event page) would be passed over."""
    config = load_config(ROOT / "content", tmp_path / "site", cache=None)
    timeline = build.assemble(config, Diagnostics())
    site = render.Site(config, timeline.articles, timeline.registry, timeline.events)
    page = next(i for i in render.plan_site(site) if i.template == "event.html")
    site.environment(page.lang).globals[name] = "a global"
    with pytest.raises(ValueError, match=f"named like globals: \\['{name}'\\]"):
        render.render_file(site, page)
