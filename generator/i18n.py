"""The words of the interface in each language the site is published in.

One set of templates serves every language: they ask for ``t.<key>`` and the
build hands them the dictionary of the page's language. A key missing from one
language is an error at render time (``StrictUndefined``), and a test checks
that every language has the same keys, so no page falls back silently.
"""

from __future__ import annotations

COUNTRIES = {
    "ar": {
        "IQ": "العراق", "RU": "روسيا", "US": "الولايات المتحدة", "IR": "إيران", "SY": "سوريا",
        "TR": "تركيا", "SA": "السعودية", "EG": "مصر", "JO": "الأردن", "KW": "الكويت",
        "AE": "الإمارات", "QA": "قطر", "LB": "لبنان", "CN": "الصين", "FR": "فرنسا",
        "GB": "المملكة المتحدة", "DE": "ألمانيا", "IL": "إسرائيل", "PS": "فلسطين",
    },
    "en": {
        "IQ": "Iraq", "RU": "Russia", "US": "United States", "IR": "Iran", "SY": "Syria",
        "TR": "Türkiye", "SA": "Saudi Arabia", "EG": "Egypt", "JO": "Jordan", "KW": "Kuwait",
        "AE": "United Arab Emirates", "QA": "Qatar", "LB": "Lebanon", "CN": "China",
        "FR": "France", "GB": "United Kingdom", "DE": "Germany", "IL": "Israel",
        "PS": "Palestine",
    },
}  # fmt: skip

TYPES = {
    "ar": {
        "meeting": "لقاء",
        "visit": "زيارة",
        "host": "استقبال",
        "statement": "تصريح",
        "press_conference": "مؤتمر صحافي",
        "agreement": "اتفاق",
        "negotiation": "مفاوضات",
        "announcement": "إعلان",
        "other": "حدث آخر",
    },
    "en": {
        "meeting": "Meeting",
        "visit": "Visit",
        "host": "Reception",
        "statement": "Statement",
        "press_conference": "Press conference",
        "agreement": "Agreement",
        "negotiation": "Negotiations",
        "announcement": "Announcement",
        "other": "Other",
    },
}

STATUSES = {
    "ar": {"occurred": "وقع", "planned": "مُعلَن / مرتقب"},
    "en": {"occurred": "Took place", "planned": "Announced / expected"},
}

LANGUAGE_NAMES = {"ar": "العربية", "en": "English"}

LABELS: dict[str, dict[str, str]] = {
    "ar": {
        "dir": "rtl",
        "og_locale": "ar_AR",
        "skip": "انتقل إلى المحتوى",
        "sections": "أقسام الموقع",
        "timeline": "الخط الزمني",
        "months": "الأشهر",
        "officials": "المسؤولون",
        "sources": "المصادر",
        "about": "عن الموقع",
        "search": "بحث",
        "how_made": "كيف يُصنع هذا الخط الزمني",
        "other_language": "هذه الصفحة بلغة أخرى",
        "not_found": "الصفحة غير موجودة",
        "not_found_start": "لم نجد هذه الصفحة. ابدأ من",
        "or_from": "أو من",
        "officials_list": "قائمة المسؤولين",
        "planned_legend": "حدث أُعلن عنه ولم يقع بعد وقت النشر",
        "approximate": "تاريخ تقريبي",
        "approximate_legend": "تاريخ لم يُذكر بدقة في المصدر.",
        "more": "المزيد",
        "no_events": "لا أحداث بعد.",
        "date": "التاريخ",
        "date_origin": "مصدر التاريخ",
        "in_article": "في مقال",
        "published": "المنشور",
        "approx_mark": "(تقريبي)",
        "no_date_before": "لم يذكر المصدر تاريخًا؛ اعتُمد تاريخ نشر مقال",
        "no_date_after": "، فالتاريخ تقريبي.",
        "status": "الحالة",
        "place": "المكان",
        "editor_note": "ملاحظة المحرر",
        "what_sources_said": "ما قالته المصادر",
        "date_from": "التاريخ من",
        "edited_fields": "حقول عدّلها المحرر يدويًا:",
        "date_by_editor": "حدّد المحرر هذا التاريخ يدويًا",
        "editor_source": "مصدر أضافه المحرر",
        "event_id": "معرّف الحدث:",
        "event": "الحدث",
        "source": "المصدر",
        "country": "البلد",
        "also_named": "يرد اسمه أيضًا",
        "roles": "المناصب",
        "from": "من",
        "to": "إلى",
        "start_unknown": "بداية غير مسجلة",
        "still_in_office": "، وما زال في المنصب وفق السجل",
        "events": "الأحداث",
        "subscribe_official": "أضف أحداثه إلى تقويمك",
        "no_official_events": "لا أحداث مسجلة في الخط الزمني.",
        "statements": "من تصريحاته",
        "no_statements": "لا تصريحات منسوبة إليه في المصادر.",
        "met": "التقى أو ورد معه",
        "nobody": "لا أحد.",
        "outlet": "المصدر",
        "published_on": "تاريخ النشر",
        "original": "الأصل",
        "events_extracted": "الأحداث المستخرجة",
        "quote_sep": "، ",
        "list_sep": "، ",
        "filters": "تصفية الأحداث",
        "filter_all": "الكل",
        "filter_reset": "عرض الكل",
        "filter_official": "المسؤول",
        "filter_type": "النوع",
        "filter_country": "البلد",
        "filter_status": "الحالة",
        "filter_none": "لا أحداث تطابق هذه التصفية.",
        "filter_count": "الأحداث المعروضة: {n}",
        "search_label": "ابحث في الخط الزمني",
        "search_noscript": "يتطلب البحث تفعيل جافاسكربت؛ تصفّح الأحداث من الخط الزمني.",
        "machines": "للآلات",
        "all_events_as": "جميع الأحداث متاحة بصيغة",
        "feed": "موجز أتوم للاشتراك:",
        "calendar": "تقويم لإضافة الأحداث إلى تقويمك:",
        "calendar_each": "(ولكل مسؤول تقويمه في صفحته)",
        "spreadsheet": "جدول بيانات:",
        "embed": "للتضمين بأداة TimelineJS:",
    },
    "en": {
        "dir": "ltr",
        "og_locale": "en_US",
        "skip": "Skip to content",
        "sections": "Site sections",
        "timeline": "Timeline",
        "months": "Months",
        "officials": "Officials",
        "sources": "Sources",
        "about": "About",
        "search": "Search",
        "how_made": "How this timeline is made",
        "other_language": "This page in another language",
        "not_found": "Page not found",
        "not_found_start": "We could not find this page. Start from",
        "or_from": "or from",
        "officials_list": "the list of officials",
        "planned_legend": "announced, not yet held when reported",
        "approximate": "approximate date",
        "approximate_legend": "the source does not give the exact date.",
        "more": "More",
        "no_events": "No events yet.",
        "date": "Date",
        "date_origin": "Where the date comes from",
        "in_article": "in",
        "published": "published",
        "approx_mark": "(approximate)",
        "no_date_before": "The source gives no date; the publication date of",
        "no_date_after": " is used, so the date is approximate.",
        "status": "Status",
        "place": "Place",
        "editor_note": "Editor's note",
        "what_sources_said": "What the sources said",
        "date_from": "date from",
        "edited_fields": "Fields set by an editor:",
        "date_by_editor": "Set by an editor",
        "editor_source": "Source cited by an editor",
        "event_id": "Event id:",
        "event": "Event",
        "source": "Source",
        "country": "Country",
        "also_named": "Also written",
        "roles": "Roles",
        "from": "from",
        "to": "to",
        "start_unknown": "start not recorded",
        "still_in_office": ", still in office according to the registry",
        "events": "Events",
        "subscribe_official": "Add their events to your calendar",
        "no_official_events": "No events on the timeline.",
        "statements": "Statements",
        "no_statements": "No statements attributed in the sources.",
        "met": "Met or mentioned with",
        "nobody": "Nobody.",
        "outlet": "Outlet",
        "published_on": "Published",
        "original": "Original",
        "events_extracted": "Events extracted",
        "quote_sep": ", ",
        "list_sep": ", ",
        "filters": "Filter events",
        "filter_all": "All",
        "filter_reset": "Show all",
        "filter_official": "Official",
        "filter_type": "Type",
        "filter_country": "Country",
        "filter_status": "Status",
        "filter_none": "No events match these filters.",
        "filter_count": "Events shown: {n}",
        "search_label": "Search the timeline",
        "search_noscript": "Search needs JavaScript; browse the events on the timeline.",
        "machines": "For machines",
        "all_events_as": "Every event is available as",
        "feed": "Atom feed to subscribe:",
        "calendar": "Calendar to add the events to yours:",
        "calendar_each": "(and each official's calendar on their page)",
        "spreadsheet": "Spreadsheet:",
        "embed": "To embed with TimelineJS:",
    },
}


def count(n: int, what: str, lang: str, digits: str = "arabic") -> str:
    """ "مصدران", "3 sources": Arabic has a dual and words for one and none."""
    from generator.display import digits as to_digits

    if lang == "en":
        singular, plural = {"source": ("source", "sources"), "event": ("event", "events")}[what]
        return f"{'no' if n == 0 else n} {singular if n == 1 else plural}"
    none, one, two, few = {
        "source": ("لا مصادر", "مصدر واحد", "مصدران", "مصادر"),
        "event": ("لا أحداث", "حدث واحد", "حدثان", "أحداث"),
    }[what]
    if n == 0:
        return none
    if n == 1:
        return one
    if n == 2:
        return two
    return f"{to_digits(n, digits)} {few}"
