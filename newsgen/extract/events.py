"""Events: the article's main event (what, when, where, who) and the events it refers to."""
from __future__ import annotations

from newsgen.extract.context import Context
from newsgen.records import DateMention, Entity, Event, Person
from newsgen.resolve.names import make_id


def main_date(dates: list[DateMention], published: str | None) -> str | None:
    """The date of the main event: the first fully known date in the text, else publication."""
    for d in dates:
        if len(d.value) == 10 and not d.value.startswith("X"):
            return d.value
    return published


def find_events(ctx: Context, date: str | None, people: list[Person], places: list[Entity]) -> list[Event]:
    if not people and not places:
        return []
    first_para = ctx.layout.paragraphs[0] if ctx.layout.paragraphs else None
    lede = [p for p in people if first_para and any(first_para.start <= m.start < first_para.end for m in p.mentions)]
    participants = [p.name for p in (lede or people[:2])]
    place = places[0].name if places else None
    name = "Rencontre" if len(participants) > 1 else "Événement"
    if participants:
        name += " : " + ", ".join(participants)
    if place:
        name += f" à {place}"
    return [Event(id=make_id(f"{name} {date or ''}"), name=name, date=date, place=place, participants=participants, main=True)]
