"""Reading: decoding, and the split of a pasted page into body, captions, origin and furniture."""
import codecs

import pytest

from newsgen.read.layout import masked_text, outlet_of, split_layout
from newsgen.read.sidecar import load_sidecar
from newsgen.read.text import UnreadableFile, decode

PAGE = """Le 2 mars, le ministre a visité l'usine de Lyon.
Le ministre serre la main d'un ouvrier à Lyon, le 2 mars. (Photo : AFP) |
« Nous tiendrons nos engagements », a-t-il déclaré devant la presse.
Partager
Source : https://www.exemple-info.fr/economie/visite-usine-123.html
Commentaires (12)
"""


def test_layout_separates_caption_origin_and_furniture():
    lay = split_layout(PAGE)
    assert [p.text for p in lay.paragraphs] == [
        "Le 2 mars, le ministre a visité l'usine de Lyon.",
        "« Nous tiendrons nos engagements », a-t-il déclaré devant la presse.",
    ]
    assert len(lay.captions) == 1
    assert lay.captions[0].text == "Le ministre serre la main d'un ouvrier à Lyon, le 2 mars."
    assert lay.captions[0].credit == "AFP"
    assert lay.origin.url == "https://www.exemple-info.fr/economie/visite-usine-123.html"
    assert lay.origin.outlet == "exemple-info.fr"
    assert lay.furniture == ["Partager", "Commentaires (12)"]


def test_offsets_point_into_the_original_text():
    text = PAGE.replace("\n", "\r\n")
    lay = split_layout(text)
    for p in lay.paragraphs:
        assert text[p.start:p.end] == p.text
    cap = lay.captions[0]
    assert text[cap.start:cap.end] == cap.text


def test_masking_keeps_length_and_blanks_non_prose():
    lay = split_layout(PAGE)
    masked = masked_text(PAGE, lay.masked)
    assert len(masked) == len(PAGE)
    assert "Commentaires" not in masked and "https://" not in masked and "AFP" not in masked
    assert "Nous tiendrons nos engagements" in masked


def test_prose_line_mentioning_source_word_stays_body():
    lay = split_layout("Source : selon le ministère, la réforme entrera en vigueur en juin.\n")
    assert lay.origin is None
    assert len(lay.paragraphs) == 1


def test_outlet_of():
    assert outlet_of("https://www.lemonde.fr/a/b.html") == "lemonde.fr"
    assert outlet_of("baoquocte.vn/x") == "baoquocte.vn"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252", "latin-1"])
def test_decode_french_in_common_encodings(encoding):
    text = "Le président a été reçu à l'Élysée où il a évoqué la crise économique et sociale du pays."
    data = text.encode(encoding)
    out = decode(data)
    assert out.text.lstrip("\ufeff") == text


def test_decode_utf8_bom_and_reports_non_utf8():
    assert decode(codecs.BOM_UTF8 + "Été".encode()).text == "Été"
    out = decode("Le député a présenté un amendement très détaillé à l'Assemblée.".encode("cp1252"))
    assert out.warnings and "UTF-8" in out.warnings[0]


def test_binary_is_refused():
    with pytest.raises(UnreadableFile):
        decode(bytes(range(256)) * 20)


def test_mojibake_is_reported():
    assert any("mojibake" in w for w in decode("Le prÃ©sident est arrivÃ©.".encode()).warnings)


def test_sidecar_problems_name_file_and_line(tmp_path):
    car_path = tmp_path / "a.yaml"
    car_path.write_text("language: fr\npublished: yesterday\n", encoding="utf-8")
    car = load_sidecar(car_path)
    assert car.published is None and car.language == "fr"
    assert car.problems and car.problems[0].startswith(f"{car_path}:2:")


def test_sidecar_refuses_python_objects(tmp_path):
    car_path = tmp_path / "a.yaml"
    car_path.write_text("published: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    car = load_sidecar(car_path)
    assert car.published is None and car.problems and "not valid YAML" in car.problems[0]


def test_trailing_credit_without_parentheses_makes_a_caption():
    lay = split_layout("Le Premier ministre à son arrivée à Hanoï. Ảnh: TTXVN\nLe sommet s'est ouvert lundi.\n")
    assert [(c.text, c.credit) for c in lay.captions] == [("Le Premier ministre à son arrivée à Hanoï.", "TTXVN")]
    assert [p.text for p in lay.paragraphs] == ["Le sommet s'est ouvert lundi."]


def test_credit_alone_on_its_line_is_furniture():
    text = "Le sommet s'est ouvert lundi.\nẢnh: Yonhap\n+Photo AFP\n(Photo : Reuters)\nPhoto de famille du G7.\n"
    lay = split_layout(text)
    assert lay.furniture == ["Ảnh: Yonhap", "+Photo AFP", "(Photo : Reuters)"]
    assert [p.text for p in lay.paragraphs] == ["Le sommet s'est ouvert lundi.", "Photo de famille du G7."]


def test_byline_alone_on_its_line_is_furniture():
    lay = split_layout("Le conseil municipal a voté le budget.\nMarie DUVAL\n")
    assert lay.furniture == ["Marie DUVAL"]
    assert [p.text for p in lay.paragraphs] == ["Le conseil municipal a voté le budget."]
