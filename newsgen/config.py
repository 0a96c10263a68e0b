"""Site settings: a small dataclass read from an optional `newsgen.yaml` at the project root.

The file is optional so a bare archive builds with sensible defaults; when it exists it is
validated strictly (unknown keys, wrong types) because a typo silently ignored is worse than a
clear error naming the file and the key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

CONFIG_FILENAME = "newsgen.yaml"
# A BCP 47 language tag as `<html lang>` wants it: `fr`, `fr-CA`, `fr-Latn-FR`.
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


class ConfigError(ValueError):
    """A settings file that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class SiteConfig:
    """`title` and `description` (head, feeds, home), `language` (`<html lang>`, search stemming),
    `base_url` (absolute URLs: canonical, Open Graph, sitemap, feed links), `per_page` (indexes)."""

    title: str = "Archive de presse"
    language: str = "fr"
    base_url: str | None = None
    per_page: int = 50
    description: str = ""


# Expected type per key, for validation and for the error message.
_TYPES: dict[str, tuple[type, ...]] = {
    "title": (str,),
    "language": (str,),
    "base_url": (str, type(None)),
    "per_page": (int,),
    "description": (str,),
}


def _type_names(types: tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", type(None): "null"}
    return " or ".join(names.get(t, t.__name__) for t in types)


def config_from_dict(data: Any, *, origin: str = "<config>") -> SiteConfig:
    """Validate plain data (as loaded from YAML) and build a SiteConfig; errors name `origin`."""
    if data is None:
        return SiteConfig()
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping of settings, got {type(data).__name__}")
    known = [f.name for f in fields(SiteConfig)]
    for key in data:
        if key not in known:
            raise ConfigError(
                f"{origin}: unknown key {key!r} (expected one of: {', '.join(known)})"
            )
    for key, value in data.items():
        types = _TYPES[key]
        # bool is an int subclass in Python; `per_page: yes` is a mistake, not 1.
        if isinstance(value, bool) or not isinstance(value, types):
            raise ConfigError(
                f"{origin}: {key!r} must be {_type_names(types)}, got {type(value).__name__} "
                f"({value!r})"
            )
    config = SiteConfig(**data)
    if config.per_page < 1:
        raise ConfigError(f"{origin}: 'per_page' must be at least 1, got {config.per_page}")
    if not config.title.strip():
        raise ConfigError(f"{origin}: 'title' must not be empty")
    if not config.language.strip():
        raise ConfigError(f"{origin}: 'language' must not be empty")
    if not _LANGUAGE.fullmatch(config.language):
        raise ConfigError(
            f"{origin}: 'language' must be a language code such as 'fr' or 'fr-CA' (it sets "
            f"<html lang> and the search stemming), got {config.language!r}"
        )
    if config.base_url is not None:
        parts = urlsplit(config.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ConfigError(
                f"{origin}: 'base_url' must be an http(s) URL such as "
                f"'https://example.org/archive/', got {config.base_url!r}"
            )
    return config


def load_config(path: Path | str) -> SiteConfig:
    """Load settings from `path` (the YAML file, or a project folder holding `newsgen.yaml`).

    A missing file gives the defaults: the settings file is optional.
    """
    path = Path(path)
    if path.is_dir():
        path = path / CONFIG_FILENAME
    if not path.exists():
        return SiteConfig()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from exc
    return config_from_dict(data, origin=str(path))
