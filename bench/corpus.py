"""A deterministic synthetic archive of Arabic visit-coverage articles.

The benchmark needs thousands of articles that exercise what the real ones
do: officials named by full name, alias and role title; weekdays, "امس",
"غدا" and explicit dates ("10 تشرين الأول/أكتوبر 2020"); numbers that are
not dates ("14 مذكرة تفاهم"); future and past tense. Everything comes from a
seeded RNG, so the same ``(count, seed)`` always writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

# Officials of the shipped registry: (id, ways an article names them).
OFFICIALS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fuad-hussein", ("فؤاد حسين", "وزير الخارجية العراقي فؤاد حسين", "وزير الخارجية العراقي")),
    ("sergey-lavrov", ("سيرغي لافروف", "لافروف", "وزير الخارجية الروسي سيرغي لافروف")),
    ("juma-inad", ("جمعة عناد", "وزير الدفاع العراقي جمعة عناد", "وزير الدفاع العراقي")),
    ("leonid-slutsky", ("ليونيد سلوتسكي", "سلوتسكي")),
    ("mustafa-al-kadhimi", ("مصطفى الكاظمي", "رئيس الوزراء العراقي مصطفى الكاظمي", "الكاظمي")),
    ("yury-borisov", ("يوري بوريسوف", "نائب رئيس الوزراء الروسي يوري بوريسوف")),
    ("maxim-maximov", ("ماكسيم ماكسيموف", "السفير الروسي لدى العراق ماكسيم ماكسيموف")),
    ("donald-trump", ("دونالد ترامب", "الرئيس الأمريكي دونالد ترامب")),
)

SOURCES = (
    ("elaph", "إيلاف"), ("defensearabia", "Defense Arabia"), ("rt", "روسيا اليوم"),
    ("sputnik", "سبوتنيك عربي"), ("ina", "وكالة الأنباء العراقية"), ("alsumaria", "السومرية"),
    ("rudaw", "رووداو"), ("aawsat", "الشرق الأوسط"), ("alarabiya", "العربية"),
    ("aljazeera", "الجزيرة نت"), ("shafaq", "شفق نيوز"), ("almada", "المدى"),
)  # fmt: skip

WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
MONTHS_LEVANT = (
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
)  # fmt: skip
MONTHS_EGYPT = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip
CITIES = ("موسكو", "بغداد", "أربيل", "البصرة", "سوتشي")
TOPICS = (
    "التعاون العسكري", "ملف الطاقة", "إعادة الإعمار", "الاستثمارات المشتركة",
    "مكافحة الإرهاب", "القضية الفلسطينية", "أمن المنطقة", "التبادل التجاري",
)  # fmt: skip

# Sentence frames. {a}/{b}: officials; {when}: a temporal expression;
# {n}: a number that is not a date; {city}, {topic}.
PAST = (
    "التقى {a} {when} نظيره {b} في {city} وبحث معه {topic}.",
    "وأكد {a} {when} أن بلاده مستعدة لتعزيز {topic} مع العراق.",
    "واستقبل {a} في {city} {when} {b} حيث جرت مباحثات حول {topic}.",
    "وقال {a} خلال مؤتمر صحافي مشترك مع {b} {when} إن الجانبين اتفقا على {n} نقطة.",
    "ووقع {a} و{b} {when} على {n} مذكرة تفاهم في مجالات الاقتصاد والطاقة والثقافة.",
    "وأشار {a} إلى أن حجم التبادل التجاري بلغ {n} مليون دولار في العام الماضي.",
    "وأعلن {a} {when} عن تشكيل لجنة مشتركة تضم {n} خبيرا لمتابعة {topic}.",
)
FUTURE = (
    "ومن المقرر أن يزور {a} {city} {when} لبحث {topic}.",
    "وسيصل {a} إلى {city} {when} على رأس وفد يضم {n} مسؤولا.",
    "ويعتزم {a} لقاء {b} {when} لاستكمال المفاوضات بشأن {topic}.",
)
FILLER = (
    "وتأتي الزيارة في إطار تطوير العلاقات الثنائية بين البلدين.",
    "ولفت مراقبون إلى أن {n} شركة أبدت اهتمامها بالمشاريع المطروحة.",
    "وشهدت العاصمة {city} إجراءات أمنية مشددة تزامنا مع الزيارة.",
    "ويبلغ عدد سكان العراق نحو {n} مليون نسمة بحسب آخر الإحصاءات.",
    "وكان البلدان قد وقعا اتفاقيات سابقة في مجالات النفط والكهرباء.",
)


@dataclass(frozen=True)
class Corpus:
    """Where a generated archive lives."""

    content: Path
    articles: tuple[Path, ...]


def write_corpus(
    content: Path, count: int, seed: int = 2020, registry_from: Path | None = None
) -> Corpus:
    """Write ``count`` articles (and the shipped site.yml/officials.yml) into ``content``."""
    rng = random.Random(seed)
    if content.exists():
        shutil.rmtree(content)
    (content / "articles").mkdir(parents=True)
    if registry_from is not None:
        for name in ("site.yml", "officials.yml"):
            shutil.copyfile(registry_from / name, content / name)
    paths = []
    start = dt.date(2018, 1, 1)
    for index in range(count):
        published = start + dt.timedelta(days=rng.randrange(0, 5 * 365))
        slug, outlet = rng.choice(SOURCES)
        article_id = f"{slug}-{published.isoformat()}-{index:06d}"
        path = content / "articles" / f"{article_id}.md"
        path.write_text(article_text(rng, published, outlet), encoding="utf-8")
        paths.append(path)
    return Corpus(content, tuple(paths))


def article_text(rng: random.Random, published: dt.date, outlet: str) -> str:
    """One article: front matter and three to five paragraphs of coverage."""
    host, guest = rng.sample(OFFICIALS, 2)
    paragraphs = []
    for _ in range(rng.randint(3, 5)):
        sentences = [_sentence(rng, published, host, guest) for _ in range(rng.randint(1, 3))]
        paragraphs.append(" ".join(sentences))
    title = f"{rng.choice(host[1])} يبحث {rng.choice(TOPICS)} مع {rng.choice(guest[1])}"
    return (
        "---\n"
        f'title: "{title}"\n'
        f"date: {published.isoformat()}\n"
        f'source: "{outlet}"\n'
        f'url: "https://example.org/{published.isoformat()}/{rng.randrange(10**6)}"\n'
        "lang: ar\n"
        "---\n" + "\n\n".join(paragraphs) + "\n"
    )


def _sentence(rng: random.Random, published: dt.date, host: tuple, guest: tuple) -> str:
    a, b = rng.sample([host, guest], 2)
    roll = rng.random()
    frames = PAST if roll < 0.6 else FUTURE if roll < 0.8 else FILLER
    text = rng.choice(frames).format(
        a=rng.choice(a[1]),
        b=rng.choice(b[1]),
        when=_when(rng, published, future=frames is FUTURE),
        n=rng.choice((3, 7, 14, 25, 40, 120, 300, 1500, 2020)),
        city=rng.choice(CITIES),
        topic=rng.choice(TOPICS),
    )
    return " ".join(text.split())  # an empty {when} leaves no double space


def _when(rng: random.Random, published: dt.date, future: bool) -> str:
    """A temporal expression of the kinds news uses, consistent with the tense."""
    kind = rng.random()
    if kind < 0.3:
        return rng.choice(WEEKDAYS)
    if kind < 0.5:
        return rng.choice(
            ("غدا", "الأسبوع المقبل", "قريبا") if future else ("امس", "اليوم", "مؤخرا")
        )
    if kind < 0.8:
        day = published + dt.timedelta(days=rng.randint(1, 20) * (1 if future else -1))
        month = MONTHS_LEVANT[day.month - 1]
        if rng.random() < 0.5:
            return f"في {day.day} {month}/{MONTHS_EGYPT[day.month - 1]}"
        return f"في {day.day} {MONTHS_EGYPT[day.month - 1]} {day.year}"
    return ""


def edit_article(path: Path, round_: int = 0) -> None:
    """Add one sentence naming an official, as an editor's correction would."""
    text = path.read_text(encoding="utf-8")
    name = OFFICIALS[round_ % len(OFFICIALS)][1][0]
    text = text.rstrip("\n") + f"\n\nوأكد {name} اليوم أن المحادثات ستستمر (تصحيح {round_}).\n"
    path.write_text(text, encoding="utf-8")
