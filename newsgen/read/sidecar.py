"""The optional metadata sidecar `NAME.yaml` beside `NAME.txt`.

It states what the text cannot (`published`, `language`, `title`, `url`) and may force any
record field. It is loaded with the safe loader only, and every problem is reported with the
file and line so the user can fix it; a bad sidecar never stops the article from building.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

KNOWN = {"published", "language", "title", "url", "outlet", "date", "slug"}


@dataclass
class Sidecar:
    published: dt.date | None = None
    language: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    date: str | None = None
    slug: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def load_sidecar(path: Path) -> Sidecar:
    """Read a sidecar; problems are collected as messages naming file and line, never raised."""
    car = Sidecar()
    if not path.exists():
        return car
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        car.problems.append(f"{path}{line}: not valid YAML ({getattr(err, 'problem', err)}); sidecar ignored")
        return car
    except (OSError, UnicodeDecodeError) as err:
        car.problems.append(f"{path}: cannot read ({err}); sidecar ignored")
        return car
    if data is None:
        return car
    if not isinstance(data, dict):
        car.problems.append(f"{path}:1: expected 'key: value' lines, found {type(data).__name__}; sidecar ignored")
        return car
    lines = _key_lines(path)
    for key, value in data.items():
        where = f"{path}:{lines.get(str(key), 1)}"
        if key == "published":
            d = parse_date(value)
            if d is None:
                car.problems.append(f"{where}: published must be a date like 2024-09-14, not {value!r}; ignored")
            else:
                car.published = d
        elif key in KNOWN:
            if value is None:
                continue
            if not isinstance(value, (str, int, float, dt.date)):
                car.problems.append(f"{where}: {key} must be text, not {type(value).__name__}; ignored")
                continue
            setattr(car, key, str(value))
        else:
            car.extra[str(key)] = value
    return car


def _key_lines(path: Path) -> dict[str, int]:
    """Line number of each top-level key, for messages."""
    lines: dict[str, int] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8-sig", errors="replace").splitlines(), 1):
        if line and not line[0].isspace() and ":" in line and not line.startswith("#"):
            lines.setdefault(line.split(":", 1)[0].strip(), n)
    return lines
