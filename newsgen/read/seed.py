"""Reading one seed: `NAME.txt` with its optional `NAME.yaml` sidecar, into a RawArticle."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsgen.read.layout import Layout, split_layout
from newsgen.read.sidecar import Sidecar, load_sidecar
from newsgen.read.text import UnreadableFile, decode


@dataclass
class RawArticle:
    path: Path
    text: str
    encoding: str
    layout: Layout
    sidecar: Sidecar
    warnings: list[str] = field(default_factory=list)


def read_seed(path: Path) -> RawArticle:
    """Decode and lay out one seed; raises UnreadableFile / OSError for files that cannot be read."""
    decoded = decode(path.read_bytes())
    if not decoded.text.strip():
        raise UnreadableFile("the file is empty: nothing to extract (skipped)")
    sidecar = load_sidecar(path.with_suffix(".yaml"))
    warnings = [f"{path}: {w}" for w in decoded.warnings] + sidecar.problems
    return RawArticle(path, decoded.text, decoded.encoding, split_layout(decoded.text), sidecar, warnings)
