"""content/overrides.yml -> editors' hand corrections, applied around extraction.

Extraction is sometimes wrong: a date read too loosely, an official missed,
two events that are one. Editors correct it in ``overrides.yml``, and those
corrections must keep applying after every rebuild, or fail loudly:

- :func:`load` / :func:`parse` read the file into frozen edits that remember
  their lines; wrong types ("date: tomorrow") are errors at that line.
- :func:`apply_to_articles` and :func:`apply_to_registry` run *before*
  extraction, because a fixed publication date anchors "امس" and a corrected
  name is what the extractor looks for.
- :func:`apply_to_events` runs after extraction and before rendering: merge,
  split, add, then per-event edits, then hide.

An id that names nothing is an error with the closest existing ids; an edit
that still finds its event but whose target inside it has gone (a sentence to
split off, an official to remove that extraction no longer reports) is a
warning, so ``--strict`` fails on it and nothing is dropped without a word.
All functions except :func:`load` are pure.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator import yamlio
from generator.errors import Diagnostics, SourceError
from generator.files import read_text, shown_path
from generator.history import History
from generator.markup import is_safe_url
from generator.models import (
    EVENT_TYPES,
    PRECISIONS,
    STATUSES,
    Article,
    Citation,
    Event,
    EventDate,
    Official,
    Reference,
)
from generator.officials import Registry, roles_of

FILE_NAME = "overrides.yml"
SECTIONS = ("articles", "officials", "events", "merge", "split", "add")
EVENT_KEYS = (
    "date",
    "precision",
    "approximate",
    "status",
    "type",
    "title",
    "location",
    "officials",
    "note",
    "hide",
)
#: The order in which edited fields are listed on the event page.
FIELD_ORDER = (
    "date",
    "precision",
    "approximate",
    "status",
    "type",
    "title.ar",
    "title.en",
    "location",
    "officials",
    "note",
    "sources",
)
OFFICIAL_KEYS = ("name", "aliases", "roles", "photo", "bio", "links")
ARTICLE_KEYS = ("ignore", "published")
EVENT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EDITOR_DATE = "set by an editor in overrides.yml"
NO_HISTORY = History()


# --- the edits, as read -------------------------------------------------------------------


@dataclass(frozen=True)
class Fields:
    """Event fields an editor wrote, by the names ``Event.edited`` lists, with their lines.

    ``date`` holds ``(first day, precision the date was written with)``;
    ``officials.add`` / ``officials.remove`` hold the ids to add or remove.
    """

    values: Mapping[str, Any] = field(default_factory=dict)
    lines: Mapping[str, int] = field(default_factory=dict)

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def line(self, name: str, default: int = 0) -> int:
        return self.lines.get(name, default)


@dataclass(frozen=True)
class ArticleEdit:
    id: str
    line: int
    ignore: bool = False
    published: dt.date | None = None


@dataclass(frozen=True)
class OfficialEdit:
    id: str
    line: int
    changes: Mapping[str, Any]  # Official field name -> new value; "extra" merges


@dataclass(frozen=True)
class EventEdit:
    id: str
    line: int
    fields: Fields
    hide: bool = False


@dataclass(frozen=True)
class Merge:
    into: str
    line: int
    events: tuple[tuple[str, int], ...]  # (event id, line)


@dataclass(frozen=True)
class Split:
    event: str
    new_id: str
    line: int
    sentences: tuple[tuple[str, int], ...]  # (fragment of a source sentence, line)
    fields: Fields


@dataclass(frozen=True)
class SourceRef:
    """A citation written by hand: an article sentence, or free text."""

    line: int
    article: str | None = None
    sentence: str | None = None
    text: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Addition:
    id: str
    line: int
    fields: Fields
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Overrides:
    path: str = FILE_NAME
    articles: tuple[ArticleEdit, ...] = ()
    officials: tuple[OfficialEdit, ...] = ()
    events: tuple[EventEdit, ...] = ()
    merges: tuple[Merge, ...] = ()
    splits: tuple[Split, ...] = ()
    additions: tuple[Addition, ...] = ()


# --- reading ------------------------------------------------------------------------------


def load(content: Path, diagnostics: Diagnostics) -> Overrides:
    """Read ``content/overrides.yml`` (optional); problems go to ``diagnostics``."""
    path = content / FILE_NAME
    shown = shown_path(path)
    if not path.exists():
        return Overrides(shown)
    try:
        data = yamlio.load(read_text(path, shown), shown)
    except SourceError as problem:
        diagnostics.errors.append(problem)
        return Overrides(shown)
    return parse(data, shown, diagnostics)


def parse(data: Any, shown: str, diagnostics: Diagnostics) -> Overrides:
    """The parsed YAML document -> :class:`Overrides`; every type error reported."""
    if data is None:
        return Overrides(shown)
    if not isinstance(data, yamlio.Node):
        diagnostics.error(shown, 1, f"expected a mapping with sections {', '.join(SECTIONS)}")
        return Overrides(shown)
    r = _Reader(shown, diagnostics)
    r.unknown_keys(data, SECTIONS, "section")
    return Overrides(
        path=shown,
        articles=tuple(r.by_id(data, "articles", r.article)),
        officials=tuple(r.by_id(data, "officials", r.official)),
        events=tuple(r.by_id(data, "events", r.event)),
        merges=tuple(r.listed(data, "merge", r.merge)),
        splits=tuple(r.listed(data, "split", r.split)),
        additions=tuple(r.listed(data, "add", r.addition)),
    )


class _Reader:
    """Type checks for each kind of edit; errors name the file and line."""

    def __init__(self, shown: str, diagnostics: Diagnostics):
        self.shown = shown
        self.diagnostics = diagnostics

    def error(self, line: int, message: str) -> None:
        self.diagnostics.error(self.shown, line, message)

    def unknown_keys(self, node: yamlio.Node, allowed: Iterable[str], what: str) -> None:
        allowed = tuple(allowed)
        for key in node:
            if key not in allowed:
                self.error(
                    node.line_of(key), f"{key}: unknown {what}{_did_you_mean(str(key), allowed)}"
                )

    def by_id(self, data: yamlio.Node, section: str, read: Any) -> list[Any]:
        """A section written as ``id: {edits}``, in file order."""
        node = data.get(section)
        if node is None:
            return []
        if not isinstance(node, yamlio.Node):
            self.error(data.line_of(section), f"{section}: expected a mapping of ids to edits")
            return []
        found = []
        for key, edits in node.items():
            line = node.line_of(key)
            if not isinstance(edits, yamlio.Node):
                self.error(line, f"{key}: expected a mapping of edits (key: value)")
                continue
            edit = read(str(key), line, edits)
            if edit is not None:
                found.append(edit)
        return found

    def listed(self, data: yamlio.Node, section: str, read: Any) -> list[Any]:
        """A section written as a list of ``- key: value`` entries."""
        node = data.get(section)
        if node is None:
            return []
        if not isinstance(node, list):
            self.error(data.line_of(section), f"{section}: expected a list of entries ('- …')")
            return []
        found = []
        for entry in node:
            if not isinstance(entry, yamlio.Node):
                self.error(data.line_of(section), f"{section}: each entry must be a mapping")
                continue
            item = read(entry)
            if item is not None:
                found.append(item)
        return found

    # -- articles and officials

    def article(self, article_id: str, line: int, node: yamlio.Node) -> ArticleEdit | None:
        self.unknown_keys(node, ARTICLE_KEYS, "article edit")
        ignore = self.boolean(node, "ignore", False)
        published = None
        if "published" in node:
            published = _day(node["published"])
            if published is None:
                self.error(
                    node.line_of("published"),
                    f"published: expected a date YYYY-MM-DD, got {node['published']!r}",
                )
        return ArticleEdit(article_id, line, bool(ignore), published)

    def official(self, official_id: str, line: int, node: yamlio.Node) -> OfficialEdit | None:
        self.unknown_keys(node, OFFICIAL_KEYS, "official edit")
        changes: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        if "name" in node:
            name = node["name"]
            if not isinstance(name, dict) or not name or set(name) - {"ar", "en"}:
                self.error(node.line_of("name"), "name: expected {ar: …, en: …} (either or both)")
            else:
                for lang in ("ar", "en"):
                    if lang in name:
                        text = self.text_value(name[lang], node.line_of("name"), f"name.{lang}")
                        if text is not None:
                            changes[f"name_{lang}"] = text
        if "aliases" in node:
            aliases = node["aliases"]
            if not isinstance(aliases, list) or not all(
                isinstance(a, str) and a.strip() for a in aliases
            ):
                self.error(node.line_of("aliases"), "aliases: expected a list of names")
            else:
                changes["aliases"] = tuple(a.strip() for a in aliases)
        if "roles" in node:
            before = len(self.diagnostics.errors)
            roles = roles_of(node, self.shown, self.diagnostics)
            if len(self.diagnostics.errors) == before:
                changes["roles"] = roles
        if "photo" in node:
            photo = self.url(node["photo"], node.line_of("photo"), "photo")
            if photo is not None:
                extra["photo"] = photo
        if "bio" in node:
            bio = self.text_value(node["bio"], node.line_of("bio"), "bio")
            if bio is not None:
                extra["bio"] = bio
        if "links" in node:
            links = self.links(node["links"], node.line_of("links"))
            if links is not None:
                extra["links"] = links
        if extra:
            changes["extra"] = extra
        return OfficialEdit(official_id, line, changes)

    def links(self, value: Any, line: int) -> tuple[Mapping[str, str], ...] | None:
        if not isinstance(value, list):
            self.error(line, "links: expected a list of {title: …, url: https://…}")
            return None
        links = []
        for item in value:
            item_line = item.line if isinstance(item, yamlio.Node) else line
            if not isinstance(item, dict) or "url" not in item or set(item) - {"title", "url"}:
                self.error(item_line, "links: each link is {title: …, url: https://…}")
                continue
            url = self.url(item["url"], item_line, "links.url")
            title = item.get("title", item["url"])
            if not isinstance(title, str) or not title.strip():
                self.error(item_line, f"links.title: expected text, got {title!r}")
                continue
            if url is not None:
                links.append({"title": title.strip(), "url": url})
        return tuple(links)

    # -- events

    def event(self, event_id: str, line: int, node: yamlio.Node) -> EventEdit | None:
        self.unknown_keys(node, EVENT_KEYS, "event edit")
        return EventEdit(event_id, line, self.fields(node), bool(self.boolean(node, "hide", False)))

    def merge(self, node: yamlio.Node) -> Merge | None:
        self.unknown_keys(node, ("into", "events"), "merge key")
        into = self.event_id(node, "into")
        members = node.get("events")
        if (
            not isinstance(members, list)
            or not members
            or not all(isinstance(m, str) for m in members)
        ):
            self.error(
                node.line_of("events"), "events: expected a list of the event ids to merge in"
            )
            return None
        if into is None:
            return None
        return Merge(
            into, node.line_of("into"), tuple((m, node.line_of("events")) for m in members)
        )

    def split(self, node: yamlio.Node) -> Split | None:
        self.unknown_keys(node, ("event", "id", "sentences", *EVENT_KEYS[:-1]), "split key")
        event = self.event_id(node, "event")
        new_id = self.new_id(node)
        sentences = node.get("sentences")
        if (
            not isinstance(sentences, list)
            or not sentences
            or not all(isinstance(s, str) and s.strip() for s in sentences)
        ):
            self.error(
                node.line_of("sentences"),
                "sentences: expected a list of the source sentences (or unique parts) to move",
            )
            return None
        fields = self.fields(node)
        if "title.ar" not in fields and "title.en" not in fields:
            self.error(node.line, "title: required for the new event ({ar: …, en: …})")
            return None
        if event is None or new_id is None:
            return None
        lines = tuple((s.strip(), node.line_of("sentences")) for s in sentences)
        return Split(event, new_id, node.line, lines, fields)

    def addition(self, node: yamlio.Node) -> Addition | None:
        self.unknown_keys(node, ("id", "sources", *EVENT_KEYS[:-1]), "key of an added event")
        new_id = self.new_id(node)
        fields = self.fields(node)
        missing = [k for k in ("date", "type", "title") if k not in node]
        for key in missing:
            self.error(node.line, f"{key}: required for an added event")
        sources = self.sources(node)
        if new_id is None or missing or sources is None:
            return None
        if "title.ar" not in fields:
            self.error(
                node.line_of("title"), "title: an added event needs at least its Arabic title (ar)"
            )
            return None
        return Addition(new_id, node.line, fields, sources)

    def sources(self, node: yamlio.Node) -> tuple[SourceRef, ...] | None:
        raw = node.get("sources")
        if not isinstance(raw, list) or not raw:
            self.error(
                node.line_of("sources"),
                "sources: required, a list of {article: …, sentence: …} or {text: …, url: …}",
            )
            return None
        refs = []
        for item in raw:
            if not isinstance(item, yamlio.Node):
                self.error(node.line_of("sources"), "sources: each source must be a mapping")
                continue
            self.unknown_keys(item, ("article", "sentence", "text", "url"), "source key")
            if "article" in item:
                article = item.get("article")
                sentence = item.get("sentence")
                if (
                    not isinstance(article, str)
                    or not isinstance(sentence, str)
                    or not sentence.strip()
                ):
                    self.error(
                        item.line,
                        "sources: an article source needs article: <id> and sentence: <its text>",
                    )
                    continue
                refs.append(SourceRef(item.line, article=article, sentence=sentence.strip()))
            elif "text" in item:
                text = self.text_value(item["text"], item.line_of("text"), "text")
                url = self.url(item["url"], item.line_of("url"), "url") if "url" in item else None
                if text is not None:
                    refs.append(SourceRef(item.line, text=text, url=url))
            else:
                self.error(item.line, "sources: give article + sentence, or text (and url)")
        return tuple(refs) if len(refs) == len(raw) else None

    def fields(self, node: yamlio.Node) -> Fields:
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}

        def put(name: str, value: Any, key: str) -> None:
            values[name] = value
            lines[name] = node.line_of(key)

        if "date" in node:
            date = _event_date(node["date"])
            if date is None:
                self.error(
                    node.line_of("date"),
                    f"date: expected YYYY-MM-DD, YYYY-MM or YYYY, got {node['date']!r}",
                )
            else:
                put("date", date, "date")
        for key, allowed in (
            ("precision", PRECISIONS),
            ("status", STATUSES),
            ("type", EVENT_TYPES),
        ):
            if key in node:
                if node[key] in allowed:
                    put(key, node[key], key)
                else:
                    self.error(
                        node.line_of(key),
                        f"{key}: expected one of {', '.join(allowed)}, got {node[key]!r}",
                    )
        if "approximate" in node:
            flag = self.boolean(node, "approximate", None)
            if flag is not None:
                put("approximate", flag, "approximate")
        if "title" in node:
            title = node["title"]
            if not isinstance(title, dict) or not title or set(title) - {"ar", "en"}:
                self.error(node.line_of("title"), "title: expected {ar: …, en: …} (either or both)")
            else:
                for lang in ("ar", "en"):
                    if lang in title:
                        text = self.text_value(title[lang], node.line_of("title"), f"title.{lang}")
                        if text is not None:
                            put(f"title.{lang}", text, "title")
        if "location" in node:
            location = node["location"]
            if location is None or (isinstance(location, str) and location.strip()):
                put("location", location.strip() if location else None, "location")
            else:
                self.error(
                    node.line_of("location"),
                    f"location: expected a place name or null, got {location!r}",
                )
        if "officials" in node:
            self.officials(node, put)
        if "note" in node:
            note = self.text_value(node["note"], node.line_of("note"), "note")
            if note is not None:
                put("note", note, "note")
        return Fields(values, lines)

    def officials(self, node: yamlio.Node, put: Any) -> None:
        value = node["officials"]
        line = node.line_of("officials")
        if _id_list(value):
            put("officials", tuple(value), "officials")
        elif isinstance(value, dict) and value and not set(value) - {"add", "remove"}:
            for how in ("add", "remove"):
                if how not in value:
                    continue
                if _id_list(value[how]):
                    put(f"officials.{how}", tuple(value[how]), "officials")
                else:
                    self.error(line, f"officials.{how}: expected a list of official ids")
        else:
            self.error(
                line, "officials: expected a list of official ids, or {add: [...], remove: [...]}"
            )

    # -- scalars

    def boolean(self, node: yamlio.Node, key: str, default: bool | None) -> bool | None:
        if key not in node:
            return default
        value = node[key]
        if isinstance(value, bool):
            return value
        self.error(node.line_of(key), f"{key}: expected true or false, got {value!r}")
        return default

    def text_value(self, value: Any, line: int, key: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.error(line, f"{key}: expected text, got {value!r}")
        return None

    def url(self, value: Any, line: int, key: str) -> str | None:
        if isinstance(value, str) and re.match(r"^https?://\S+$", value) and is_safe_url(value):
            return value
        self.error(line, f"{key}: expected an http(s) URL, got {value!r}")
        return None

    def event_id(self, node: yamlio.Node, key: str) -> str | None:
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.error(node.line_of(key), f"{key}: expected an event id")
        return None

    def new_id(self, node: yamlio.Node) -> str | None:
        value = node.get("id")
        if isinstance(value, str) and EVENT_ID.match(value):
            return value
        self.error(
            node.line_of("id"),
            f"id: expected a new event id (lower-case ASCII words joined by '-'), got {value!r}",
        )
        return None


def _id_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _event_date(value: Any) -> tuple[dt.date, str] | None:
    """``2020-11-25`` (day), ``"2020-11"`` (month) or ``2020`` (year) -> (first day, precision)."""
    day = _day(value)
    if day is not None:
        return day, "day"
    text = (
        str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    )
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return dt.date(year, month, 1), "month"
    if re.fullmatch(r"\d{4}", text) and int(text) >= 1:
        return dt.date(int(text), 1, 1), "year"
    return None


def _start_of(day: dt.date, precision: str) -> dt.date:
    """The first day of the period ``day`` falls in: what EventDate.value holds."""
    if precision == "year":
        return day.replace(month=1, day=1)
    if precision == "month":
        return day.replace(day=1)
    if precision == "week":
        return day - dt.timedelta(days=day.weekday())
    return day


def _closest(wanted: str, known: Iterable[str]) -> list[str]:
    return difflib.get_close_matches(wanted, sorted(set(known)), n=3, cutoff=0.6)


def _did_you_mean(wanted: str, known: Iterable[str]) -> str:
    close = _closest(wanted, known)
    return f"; did you mean {', '.join(close)}?" if close else ""


# --- applying: before extraction ----------------------------------------------------------


def apply_to_articles(
    articles: list[Article],
    edits: Overrides,
    diagnostics: Diagnostics,
    history: History = NO_HISTORY,
) -> list[Article]:
    """Drop ignored articles and fix publication dates, before dates are resolved."""
    by_id = {a.id: a for a in articles}
    changes = {}
    for edit in edits.articles:
        article = by_id.get(edit.id)
        if article is None:
            _unknown(
                diagnostics,
                edits.path,
                edit.line,
                "article",
                edit.id,
                by_id,
                "see content/articles/",
                history,
            )
            continue
        if edit.published is not None and edit.published == article.published and not edit.ignore:
            diagnostics.warn(
                edits.path,
                edit.line,
                f"{edit.id}: published: the article already says {article.published}; "
                "this edit changes nothing (remove it)",
            )
        changes[edit.id] = edit
    kept = []
    for article in articles:
        edit = changes.get(article.id)
        if edit is not None and edit.ignore:
            continue
        if edit is not None and edit.published is not None:
            article = replace(article, published=edit.published)
        kept.append(article)
    return kept


def apply_to_registry(
    registry: Registry, edits: Overrides, diagnostics: Diagnostics, history: History = NO_HISTORY
) -> Registry:
    """Names, aliases, roles, photo, bio and links, before officials are looked for."""
    if not edits.officials:
        return registry
    officials = dict(registry.officials)
    for edit in edits.officials:
        official = officials.get(edit.id)
        if official is None:
            _unknown(
                diagnostics,
                edits.path,
                edit.line,
                "official",
                edit.id,
                officials,
                "see officials.yml",
                history,
            )
            continue
        officials[edit.id] = _edit_official(official, edit.changes)
    return Registry(officials.values())


def _edit_official(official: Official, changes: Mapping[str, Any]) -> Official:
    plain = {k: v for k, v in changes.items() if k != "extra"}
    return replace(official, **plain, extra={**official.extra, **changes.get("extra", {})})


# --- applying: after extraction -----------------------------------------------------------


def apply_to_events(
    events: list[Event],
    edits: Overrides,
    articles: list[Article],
    registry: Registry,
    diagnostics: Diagnostics,
    history: History = NO_HISTORY,
) -> list[Event]:
    """Merge, split, add, edit and hide events; sorted by date then id, as extraction sorts."""
    state = _Timeline(events, edits.path, registry, diagnostics, history)
    for merge in edits.merges:
        state.merge(merge)
    for split in edits.splits:
        state.split(split)
    for addition in edits.additions:
        state.add(addition, {a.id: a for a in articles}, {e.id for e in edits.articles if e.ignore})
    for edit in edits.events:
        state.edit(edit)
    return sorted(state.events.values(), key=lambda e: (e.date.iso, e.id))


class _Timeline:
    """The events while edits apply, and why an id is no longer there."""

    def __init__(
        self,
        events: list[Event],
        path: str,
        registry: Registry,
        diagnostics: Diagnostics,
        history: History,
    ):
        self.events = {e.id: e for e in events}
        self.path = path
        self.registry = registry
        self.diagnostics = diagnostics
        self.history = history
        self.gone: dict[str, tuple[str, bool]] = {}  # id -> (why, is it only a warning)

    def find(self, event_id: str, line: int) -> Event | None:
        """The event called ``event_id``; otherwise say why not, with suggestions."""
        event = self.events.get(event_id)
        if event is not None:
            return event
        if event_id in self.gone:
            why, stale = self.gone[event_id]
            report = self.diagnostics.warn if stale else self.diagnostics.error
            report(self.path, line, f"event {event_id!r} {why}; this edit applies to nothing")
            return None
        _unknown(
            self.diagnostics,
            self.path,
            line,
            "event",
            event_id,
            self.events,
            "list the ids with `timeline events`",
            self.history,
        )
        return None

    def merge(self, merge: Merge) -> None:
        into = self.find(merge.into, merge.line)
        members: list[Event] = []
        for member_id, line in dict.fromkeys(merge.events):
            if member_id == merge.into:
                self.diagnostics.error(
                    self.path, line, f"merge: {member_id!r} cannot be merged into itself"
                )
                return
            member = self.find(member_id, line)
            if member is None:
                return
            members.append(member)
        if into is None:
            return
        merged = (into, *members)
        sources = tuple(dict.fromkeys(s for e in merged for s in e.sources))
        officials = tuple(sorted({o for e in merged for o in e.officials}))
        references = tuple(dict.fromkeys(r for e in merged for r in e.references))
        for member in members:
            del self.events[member.id]
            self.gone[member.id] = (f"was merged into {into.id} (line {merge.line})", False)
        changed = ("sources",) + (("officials",) if officials != into.officials else ())
        self.events[into.id] = _mark(
            replace(into, sources=sources, officials=officials, references=references), changed
        )

    def split(self, split: Split) -> None:
        event = self.find(split.event, split.line)
        if event is None or not self._is_new(split.new_id, split.line):
            return
        moved: list[Citation] = []
        for fragment, line in split.sentences:
            pattern = _loose(fragment)
            matches = [s for s in event.sources if pattern.search(s.sentence)]
            if not matches:
                self.diagnostics.warn(
                    self.path,
                    line,
                    f"split: no source sentence of {event.id!r} has {_short(fragment)!r} any more",
                )
            elif len(matches) > 1:
                self.diagnostics.error(
                    self.path,
                    line,
                    f"split: {_short(fragment)!r} is in {len(matches)} source sentences of "
                    f"{event.id!r}; quote more of the one to move",
                )
                return
            elif matches[0] not in moved:
                moved.append(matches[0])
        rest = tuple(s for s in event.sources if s not in moved)
        if not moved:
            self.gone[split.new_id] = (
                f"was not split off (line {split.line}): no sentence moved",
                True,
            )
            return
        if not rest:
            self.diagnostics.error(
                self.path,
                split.line,
                f"split: every source of {event.id!r} would move; edit the event instead",
            )
            return
        self.events[event.id] = _mark(
            replace(event, sources=rest, officials=self._named(rest, event)), ("sources",)
        )
        new = replace(
            event,
            id=split.new_id,
            sources=tuple(moved),
            officials=self._named(tuple(moved), event),
            speaker=None,
            notes=None,
            edited=(),
            references=(),
        )
        self.events[new.id] = self._apply(_mark(new, ("sources",)), split.fields, split.line)

    def add(self, addition: Addition, articles: Mapping[str, Article], ignored: set[str]) -> None:
        if not self._is_new(addition.id, addition.line):
            return
        citations: list[Citation] = []
        references: list[Reference] = []
        for ref in addition.sources:
            if ref.text is not None:
                references.append(Reference(ref.text, ref.url))
                continue
            assert ref.article is not None and ref.sentence is not None
            article = articles.get(ref.article)
            if article is None:
                if ref.article in ignored:
                    self.diagnostics.error(
                        self.path, ref.line, f"article {ref.article!r} is ignored above"
                    )
                elif _unknown(
                    self.diagnostics,
                    self.path,
                    ref.line,
                    "article",
                    ref.article,
                    articles,
                    "",
                    self.history,
                ):
                    self.gone[addition.id] = (
                        f"was not added: article {ref.article!r} is gone",
                        True,
                    )
                    return
                continue
            match = _loose(ref.sentence).search(article.body)
            if match is None:
                self.diagnostics.error(
                    self.path,
                    ref.line,
                    f"sentence: not in article {article.id!r} verbatim: {_short(ref.sentence)!r}",
                )
                continue
            citations.append(Citation(article.id, match.group(0), match.start(), match.end()))
        if len(citations) + len(references) < len(addition.sources):
            self.gone[addition.id] = (
                f"was not added: its source at line {addition.line} is wrong",
                False,
            )
            return
        day, precision = addition.fields.values["date"]
        title_ar = addition.fields.values["title.ar"]
        event = Event(
            id=addition.id,
            date=EventDate(day, precision, origin=EDITOR_DATE),
            status="occurred",
            type=addition.fields.values["type"],
            title_ar=title_ar,
            title_en=addition.fields.values.get("title.en", title_ar),
            officials=(),
            location=None,
            sources=tuple(citations),
            references=tuple(references),
            edited=("sources",),
        )
        self.events[event.id] = self._apply(event, addition.fields, addition.line)

    def edit(self, edit: EventEdit) -> None:
        event = self.find(edit.id, edit.line)
        if event is None:
            return
        if edit.hide:
            del self.events[edit.id]
            self.gone[edit.id] = (f"is hidden (line {edit.line})", False)
            return
        self.events[edit.id] = self._apply(event, edit.fields, edit.line)

    def _is_new(self, event_id: str, line: int) -> bool:
        if event_id in self.events or event_id in self.gone:
            self.diagnostics.error(
                self.path, line, f"id: {event_id!r} is already the id of an event"
            )
            return False
        return True

    def _named(self, sources: tuple[Citation, ...], event: Event) -> tuple[str, ...]:
        """Officials named in ``sources`` (those of ``event`` if none is)."""
        found = {
            m.official for s in sources for m in self.registry.find(s.sentence, on=event.date.value)
        }
        return tuple(sorted(found)) if found else event.officials

    def _apply(self, event: Event, fields: Fields, line: int) -> Event:
        """Set the fields an editor wrote; ``Event.edited`` records which."""
        values = fields.values
        changes: dict[str, Any] = {}
        edited: list[str] = []
        date = event.date
        if "date" in values:
            day, written = values["date"]
            precision = values.get("precision", written)
            if PRECISIONS.index(precision) < PRECISIONS.index(written):
                self.diagnostics.error(
                    self.path,
                    fields.line("precision"),
                    f"precision: {precision} needs a full date; date gives only the {written}",
                )
                return event
            date = EventDate(_start_of(day, precision), precision, False, None, EDITOR_DATE)
            edited.append("date")
        elif "precision" in values:
            precision = values["precision"]
            date = replace(
                date,
                value=_start_of(date.value, precision),
                precision=precision,
                origin=f"{date.origin}; precision set by an editor",
            )
        if "precision" in values:
            edited.append("precision")
        if "approximate" in values:
            date = replace(date, approximate=values["approximate"])
            edited.append("approximate")
        changes["date"] = date
        for name, attribute in (
            ("status", "status"),
            ("type", "type"),
            ("title.ar", "title_ar"),
            ("title.en", "title_en"),
            ("location", "location"),
            ("note", "notes"),
        ):
            if name in values:
                changes[attribute] = values[name]
                edited.append(name)
        officials = self._officials(event, fields)
        if officials != event.officials or "officials" in values:
            changes["officials"] = officials
            edited.append("officials")
        return _mark(replace(event, **changes), edited)

    def _officials(self, event: Event, fields: Fields) -> tuple[str, ...]:
        values = fields.values
        result = set(event.officials)
        if "officials" in values:
            result = set(self._known(values["officials"], fields.line("officials")))
        for official in self._known(values.get("officials.add", ()), fields.line("officials.add")):
            if official in result:
                self._stale(
                    fields.line("officials.add"),
                    f"{official} is already an official of {event.id!r}",
                )
            result.add(official)
        for official in self._known(
            values.get("officials.remove", ()), fields.line("officials.remove")
        ):
            if official not in result:
                self._stale(
                    fields.line("officials.remove"),
                    f"{official} is no longer an official of {event.id!r}",
                )
            result.discard(official)
        return tuple(sorted(result))

    def _known(self, ids: Iterable[str], line: int) -> list[str]:
        known = []
        for official in ids:
            if official in self.registry:
                known.append(official)
            else:
                _unknown(
                    self.diagnostics,
                    self.path,
                    line,
                    "official",
                    official,
                    self.registry.officials,
                    "see officials.yml",
                    self.history,
                )
        return known

    def _stale(self, line: int, what: str) -> None:
        self.diagnostics.warn(
            self.path, line, f"officials: {what}; this edit changes nothing (remove it)"
        )


def _mark(event: Event, fields: Iterable[str]) -> Event:
    edited = set(event.edited) | set(fields)
    return replace(event, edited=tuple(f for f in FIELD_ORDER if f in edited))


def _loose(text: str) -> re.Pattern[str]:
    """``text`` verbatim, except that any run of white space matches any other."""
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unknown(
    diagnostics: Diagnostics,
    path: str,
    line: int,
    kind: str,
    wanted: str,
    known: Iterable[str],
    hint: str,
    history: History = NO_HISTORY,
) -> bool:
    """Report an id that names nothing; True when it is only a warning.

    An id an earlier build saw names a target the content no longer has: a
    warning. Any other is a typo: an error, with the closest ids.
    """
    if history.knew(kind, wanted):
        close = _closest(wanted, known)
        closest = f"; closest now: {', '.join(close)}" if close else ""
        diagnostics.warn(
            path,
            line,
            f"{kind} {wanted!r} is gone (an earlier build had it; the content changed); "
            f"this edit applies to nothing{closest}",
        )
        return True
    suggestion = _did_you_mean(wanted, known) or (f"; {hint}" if hint else "")
    diagnostics.error(path, line, f"unknown {kind} id {wanted!r}{suggestion}")
    return False
