"""Property tests on the front-matter reader: whatever the bytes, the only way
it fails is a :class:`SourceError` with a line inside the file.
"""

from __future__ import annotations

import string

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator import yamlio
from generator.content import parse_article, split_front_matter
from generator.errors import SourceError
from generator.files import read_text

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Pieces editors (and attackers) put in front matter, to reach deep YAML paths fast.
YAML_PIECES = [
    "---", "...", "title:", "date:", "source:", "url:", "lang:", " ", "\n", "\t", "\r\n", ":",
    "- ", "[", "]", "{", "}", ",", "&a", "*a", "!!python/object:os.system", "!!binary", "|", ">",
    "'", '"', "#", "%YAML 1.1", "? ", "2020-11-26", "2020-13-45", "2020-02-30T25:61:00",
    "1e999", "0x1F", "null", "~", "yes", "\ufeff", "\x00", "\u202e", "عنوان", "javascript:alert(1)",
    "https://example.org/x", "<script>", "&", "\\", "@", "`", "%",
]  # fmt: skip

yaml_like = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=8), max_size=40).map("".join)
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
wrapped = st.builds(lambda head, body: f"---\n{head}\n---\n{body}", yaml_like, any_text)
documents = st.one_of(any_text, yaml_like, wrapped)


def line_count(text: str) -> int:
    return text.count("\n") + 1


@SETTINGS
@given(documents)
@example("---\na: &x [1]\nb: *x\n---\n")
@example("---\ntitle: " + "[" * 200 + "\n---\n")
@example("---\ndate: 2020-13-45\n---\n")
@example("---\n? [a, b]\n: c\n---\n")
def test_split_front_matter_fails_only_with_a_source_error(text: str) -> None:
    try:
        meta, body, body_line = split_front_matter(text, "a.md")
    except SourceError as problem:
        assert problem.path == "a.md"
        assert 0 <= problem.line <= line_count(text) + 1, problem
        return
    assert isinstance(meta, dict)
    assert body_line in range(1, line_count(text) + 2)
    assert text.endswith(body)


@SETTINGS
@given(documents, st.text(alphabet=string.ascii_letters + string.digits + "-._/\\ ", max_size=12))
@example("---\ntitle: t\ndate: 2020-11-26\nsource: s\nurl: javascript:alert(1)\n---\nx", "a")
@example("---\ntitle: [t]\ndate: 2020-11-26\nsource: s\n---\nx", "a")
@example("---\ntitle: t\ndate: 99999-01-01\nsource: s\n---\nx", "a")
def test_parse_article_fails_only_with_a_source_error(text: str, article_id: str) -> None:
    try:
        article = parse_article(text, "a.md", article_id)
    except SourceError as problem:
        assert 0 <= problem.line <= line_count(text) + 1, problem
        return
    assert article.id == article_id
    assert article.title.strip() and article.source.strip()
    assert article.url is None or article.url.startswith(("http://", "https://"))
    assert "/" not in article.id and article.id != ".."


@SETTINGS
@given(st.binary(max_size=400))
@example(b"\xef\xbb\xbf---\r\ntitle: t\r\n---\r\n")
@example(b"---\ntitle: \xff\xfe\n---\n")
def test_any_bytes_read_as_text_or_a_source_error(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "a.md"
    path.write_bytes(data)
    try:
        text = read_text(path, "a.md")
        parse_article(text, "a.md", "a")
    except SourceError as problem:
        assert 0 <= problem.line <= data.count(b"\n") + 2, problem
        return
    assert "\r" not in text


def _loaded(load, text: str) -> object:
    """What a loader makes of ``text``, lines included, or the error it reports."""

    def shown(value: object) -> object:
        if isinstance(value, yamlio.Node):
            items = [(key, shown(item)) for key, item in value.items()]
            return ("mapping", value.line, sorted(value.key_lines.items()), items)
        if isinstance(value, list):
            return [shown(item) for item in value]
        return (type(value).__name__, value)

    try:
        return shown(load(text))
    except yaml.YAMLError as problem:
        return ("error", str(problem))


@SETTINGS
@given(yaml_like)
@example("title: t\ndate: 2020-11-26\nsource: s\ntags: [a, {b: c}]\n")
@example("a: &x 1\nb: *x\n")
@example("a: " + "[" * 40 + "]" * 40)
@example("a: b\tc")
@example("a: 1\na: 2\n")
@example("\ufeff\ufeff")
@example("a: \ufeffb\n")
@example("!")
@example("a: !!str 1\n")
def test_libyaml_reads_front_matter_as_pyyaml_does(text: str) -> None:
    """Plain documents are parsed by libyaml, the rest by PyYAML: the values,
    their lines and the errors are the same either way."""
    pyyaml = _loaded(lambda t: yaml.load(t, Loader=yamlio._Loader), text)  # noqa: S506
    assert _loaded(yamlio._parse, text) == pyyaml


def test_ordinary_front_matter_takes_libyaml() -> None:
    assert yaml.__with_libyaml__  # PyPI's wheels carry it; without it every document is slow
    assert yamlio._plain('title: "t"\ndate: 2020-11-26\nsource: s\nurl: "https://e.org/x"\n')
    assert not yamlio._plain("a: &x 1\nb: *x\n")
    assert not yamlio._plain("a: " + "[" * 40 + "]" * 40)
    assert not yamlio._plain("a: b\tc")
    assert not yamlio._plain("a: !!str 1")
