"""Splitting an article's text into body, photo captions, origin line and page furniture.

Text copied from a news site carries more than the article: a caption with its photo credit
("... dans la soirée du 13 septembre. (Source : KCNA) |"), the closing "Source : URL" line and
page furniture ("Comment (0)", "Partager"). Each line is classified by its shape alone; offsets
are kept so later stages can point into the original text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from newsgen.records import Caption, Origin, Paragraph

_LINE = re.compile(r"[^\r\n]+")

_ORIGIN = re.compile(
    r"^\s*(?:Source|Sources|Lien|Article original|Origine|Lire sur|Source de l'article)\s*[:：]\s*"
    r"(?P<url>[a-z][a-z0-9+.-]*://\S+|www\.\S+)\s*$",
    re.IGNORECASE,
)
# A credit in parentheses or after a pipe, closing the line: "(Source : KCNA) |", "(Photo: AFP)",
# "| Photo : Reuters", "Crédit photo : X". Captions are short lines that end with one.
_CREDIT = re.compile(
    r"""(?:\(\s*(?P<label>Source|Photo|Photos|Crédits?(?:\s+photo)?|Ph(?:oto)?\.|Illustration|Image|Ảnh)
            \s*[:：]\s*(?P<credit>[^()]{1,80}?)\s*\)\s*\|?
         |\|\s*(?P<label2>Photo|Photos|Crédits?(?:\s+photo)?|Illustration|Image)\s*[:：]\s*(?P<credit2>[^|]{1,80}?)\s*\|?
         |(?<=[.!?»\"”])\s*(?P<label3>Ảnh|Photo|Photos|Crédits?\s+photo)
            \s*[:：]\s*(?P<credit3>[^:()|]{1,60}?)\s*\|?
         |(?<=[.!?»\"”])\s*\|)
        \s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# A line that is only a photo credit: "Ảnh: Yonhap", "+Photo AFP", "(Photo : Reuters)", "Crédit photo : X".
_CREDIT_LINE = re.compile(
    r"""^\s*[+|•]?\s*\(?\s*(?:Ảnh|Photo|Photos|Crédits?(?:\s+photo)?|Illustration|Image|©)
        (?:\s*[:：]\s*[^:()|]{1,60}?|\s+[A-Z©][\w&./-]*(?:[ /][A-Z][\w&./-]*){0,2})\s*\)?\s*\|?\s*$""",
    re.VERBOSE,
)
# A byline alone on its line, as French dailies print it: "Pascal CHEVILLOT", "Anne-Marie DUPONT".
_BYLINE = re.compile(r"^\s*(?:[Pp]ar\s+)?[A-ZÀ-Ý][a-zà-ÿ]+(?:[- ][A-ZÀ-Ý][a-zà-ÿ]+)?"
                     r"\s+[A-ZÀ-Ý]{2,}(?:[- '][A-ZÀ-Ý]{2,})*\s*$")
# Page furniture: short lines made only of site chrome.
_FURNITURE = re.compile(
    r"""^\s*(?:
        (?:Comments?|Commentaires?|Commenter|Réactions?|Avis)\s*(?:\(\s*\d+\s*\))?
      | (?:Partager|Partagez|Share|Tweet(?:er)?|Imprimer|Print|E-?mail|Envoyer|J'aime|Like|Facebook|Twitter|X|LinkedIn|WhatsApp)
        (?:\s*(?:sur|on)\s+\w+)?
      | (?:Lire aussi|À lire aussi|A lire aussi|Voir aussi|Lire la suite|En savoir plus|Publicité|Advertisement|Abonnez-vous.*|S'abonner.*|Newsletter.*)
      | (?:Retour|Haut de page|Accueil|Menu|Fermer|Suivant|Précédent)
      | \d+\s*(?:commentaires?|comments?|partages?|vues?|views?)
      | [|•·\-–—_*=#\s]+
    )\s*[:.]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass
class Layout:
    paragraphs: list[Paragraph] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    origin: Origin | None = None
    furniture: list[str] = field(default_factory=list)
    # (start, end) stretches that are not article prose (credits, origin line, furniture):
    # extraction masks them so no person, date or claim is read from them.
    masked: list[tuple[int, int]] = field(default_factory=list)


def outlet_of(url: str) -> str | None:
    """The outlet a URL belongs to: its host without "www."."""
    host = urlsplit(url if "://" in url else "http://" + url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def split_layout(text: str) -> Layout:
    """Classify every line of the text; return the body and what is not body."""
    out = Layout()
    for m in _LINE.finditer(text):
        line = m.group()
        start, end = m.start(), m.end()
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        start, end = start + lead, start + lead + len(stripped)
        origin = _ORIGIN.match(stripped)
        if origin:
            url = origin.group("url")
            out.origin = out.origin or Origin(url=url, outlet=outlet_of(url))
            out.masked.append((start, end))
            continue
        if len(stripped) <= 60 and (_FURNITURE.match(stripped) or _CREDIT_LINE.match(stripped)
                                    or _BYLINE.match(stripped)):
            out.furniture.append(stripped)
            out.masked.append((start, end))
            continue
        credit = _CREDIT.search(stripped)
        if credit and len(stripped) <= 600:
            caption_text = stripped[: credit.start()].rstrip()
            who = (credit.group("credit") or credit.group("credit2") or credit.group("credit3") or "").strip() or None
            out.captions.append(Caption(text=caption_text, credit=who, start=start, end=start + len(caption_text)))
            out.masked.append((start + credit.start(), end))
            continue
        out.paragraphs.append(Paragraph(text=stripped, start=start, end=end))
    return out


def masked_text(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span blanked by spaces: same length, so offsets stay true."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)
