"""People: spaCy PER entities, cleaned and grouped into one record per person."""
from __future__ import annotations

from newsgen.extract.context import Context
from newsgen.records import Person, Span
from newsgen.resolve.names import make_id, name_tokens, strip_honorific


def find_people(ctx: Context) -> list[Person]:
    people: dict[str, Person] = {}
    for ent in ctx.doc.ents:
        if ent.label_ != "PER":
            continue
        name = strip_honorific(ent.text)
        toks = name_tokens(name)
        if not toks:
            continue
        key = toks[-1]
        person = people.get(key)
        if person is None:
            person = people[key] = Person(id=make_id(name), name=name)
        elif len(name) > len(person.name):
            person.aliases.append(person.name)
            person.name, person.id = name, make_id(name)
        elif name != person.name and name not in person.aliases:
            person.aliases.append(name)
        person.mentions.append(Span(ent.text, ent.start_char, ent.end_char))
    return list(people.values())
