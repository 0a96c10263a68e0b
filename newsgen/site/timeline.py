"""The timeline: articles and events grouped by year and month, with counts.

Dates keep their precision: an article dated `2024` goes under "month unknown" of 2024, one dated
`XXXX-09-13` (year unknown) under the unknown year, an undated one in a last "no date" group.

Each year has its own page (`timeline/2024/`), and `timeline/` lists the years and months with
their counts only: one page of every article would weigh megabytes in a big archive, and an edit
would rewrite it; now it rewrites its year's page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from newsgen.site.collections import Archive, ArticleItem, Entry, name_key

UNKNOWN = "inconnu"
_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"]


def tally(articles: int, events: int) -> str:
    """`2 articles, 1 événement`, leaving out a zero count."""
    parts = [f"{n} {word}{'s' if n > 1 else ''}"
             for n, word in ((articles, "article"), (events, "événement")) if n]
    return ", ".join(parts)


@dataclass
class Month:
    key: str  # "2024-09", "2024-inconnu"
    label: str  # "septembre 2024"
    anchor: str  # id of its heading
    articles: list[ArticleItem] = field(default_factory=list)
    events: list[Entry] = field(default_factory=list)

    @property
    def tally(self) -> str:
        return tally(len(self.articles), len(self.events))


@dataclass
class Year:
    key: str  # "2024", "inconnu", "sans-date"
    label: str
    anchor: str
    months: list[Month] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"timeline/{self.key}/"

    @property
    def article_count(self) -> int:
        return sum(len(m.articles) for m in self.months)

    @property
    def event_count(self) -> int:
        return sum(len(m.events) for m in self.months)

    @property
    def tally(self) -> str:
        return tally(self.article_count, self.event_count)


def split_date(value: str | None) -> tuple[str, str]:
    """(year, month) of a date at any precision; UNKNOWN for parts the date does not give.

    `None` gives ("", ""): no date at all.
    """
    if not value:
        return "", ""
    parts = value.split("-")
    year = parts[0] if parts[0].isdigit() and len(parts[0]) == 4 else UNKNOWN
    month = parts[1] if len(parts) > 1 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12 else UNKNOWN
    return year, month


def _year_label(year: str) -> str:
    return {"": "Sans date", UNKNOWN: "Année inconnue"}.get(year, year)


def _month_label(year: str, month: str) -> str:
    if not year:
        return "Sans date"
    name = _MONTHS[int(month) - 1] if month != UNKNOWN else "mois inconnu"
    return f"{name} {year}" if year != UNKNOWN else name


def _year_order(key: str) -> tuple[int, str]:
    """Known years newest first, then the unknown year, then undated."""
    if key == UNKNOWN:
        return (1, "")
    if not key:
        return (2, "")
    return (0, str(9999 - int(key)))


def build_timeline(archive: Archive) -> list[Year]:
    """Years (newest first), each with its months (newest first, unknown month last)."""
    months: dict[tuple[str, str], Month] = {}

    def month_of(value: str | None) -> Month:
        year, month = split_date(value)
        key = (year, month)
        if key not in months:
            anchor = f"m-{year or 'sans-date'}-{month or 'x'}"
            months[key] = Month(f"{year}-{month}" if year else "sans-date",
                                _month_label(year, month), anchor)
        return months[key]

    for item in archive.articles:  # already newest first
        month_of(item.date).articles.append(item)
    events = sorted(archive.events.entries.values(), key=lambda e: (e.facts.get("date") or "", name_key(e.name)))
    for entry in reversed(events):
        month_of(entry.facts.get("date")).events.append(entry)

    years: dict[str, Year] = {}
    for (year, month) in sorted(months, key=lambda k: (_year_order(k[0]), k[1] == UNKNOWN, -int(k[1]) if k[1].isdigit() else 0)):
        if year not in years:
            years[year] = Year(year or "sans-date", _year_label(year), f"annee-{year or 'sans-date'}")
        years[year].months.append(months[(year, month)])
    return list(years.values())


@dataclass(frozen=True)
class MonthCount:
    label: str
    anchor: str
    tally: str


@dataclass(frozen=True)
class YearCount:
    """A year as the timeline's index shows it: labels, link and counts, not its articles (so
    the index is rendered again only when a count changes)."""

    label: str
    url: str
    anchor: str
    tally: str
    months: list[MonthCount]


def year_counts(years: list[Year]) -> list[YearCount]:
    return [YearCount(y.label, y.url, y.anchor, y.tally, [MonthCount(m.label, m.anchor, m.tally) for m in y.months])
            for y in years]
