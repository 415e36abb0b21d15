"""The plan's fixed words in Urdu, Punjabi, Bengali, Chinese, Hindi, Tigrinya and Kurdish (Kurmanji): offered,
drawn with every letter (no empty box), right to left for Urdu, and the same words in the HTML plan."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from types import SimpleNamespace

import pypdfium2 as pdfium
import pytest
import uharfbuzz as hb
from pypdf import PdfReader

from directory.languages import code_for_name, language_name
from matcher import plan_fonts
from matcher.plan import render_plan_html
from matcher.plan_pdf import render_plan_pdf
from matcher.plan_words import PlanWords, draft_languages, load_words, plan_language_label, plan_languages

from .matcher_fixtures import listing

NEW = ["ur", "pa", "bn", "zh", "hi", "ti", "ku"]
FACE_NAMES = {"ur": "NotoNastaliqUrdu", "pa": "NotoSansGurmukhi", "bn": "NotoSansBengali", "zh": "NotoSansCJKSC",
              "hi": "NotoSansDevanagari", "ti": "NotoSansEthiopic", "ku": "DejaVuSans"}
DAY = dt.date(2026, 3, 2)


def plan(language: str) -> bytes:
    r = listing("P1", name="Govan Lunch Club", schedule="Wednesdays 12:00-14:00", phone="0141 000 0001")
    item = SimpleNamespace(resource=r, reasons=["Free"], distance_km=0.24)
    return render_plan_pdf([item], "Mary", "Phone on Monday", "Sam", today=DAY, language=language,
                           not_found=["Nothing helps with money."])


def squeezed(text: str) -> str:
    """Text without spaces and control characters, so line breaks and spacing do not matter."""
    return "".join(c for c in unicodedata.normalize("NFC", text) if not c.isspace() and unicodedata.category(c) != "Cc")


def page_chars(data: bytes) -> list[tuple[str, tuple[float, float, float, float]]]:
    page = pdfium.PdfDocument(data)[0]
    text = page.get_textpage()
    # One entry per character the page draws (a glyph without text of its own counts as NUL).
    return [((text.get_text_range(i, 1) or "\0")[0], text.get_charbox(i)) for i in range(text.count_chars())]


def shaped_glyphs(face: plan_fonts.Face, text: str, bold: bool) -> list[int]:
    path = plan_fonts.find_font(face.bold if bold else face.regular)
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(path)), face.index))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    return [g.codepoint for g in buf.glyph_infos]


def own_runs(text: str, face: plan_fonts.Face) -> list[str]:
    """The runs of text the plan draws in the language's face (fpdf2 hands the rest to DejaVu)."""
    held = plan_fonts.letters_of(face)
    runs, run = [], ""
    for c in text:
        if ord(c) in held:
            run += c
        elif run:
            runs.append(run)
            run = ""
    return [*runs, run] if run else runs


def test_the_seven_languages_are_offered_complete_and_marked_as_drafts():
    words = load_words()
    offered = plan_languages()
    for lang in NEW:
        assert lang in offered, lang
        assert set(words[lang]) == set(words["en"]), lang
    assert set(NEW) <= draft_languages() and not {"en", "pl", "ar"} & draft_languages()
    assert PlanWords("ur").draft and not PlanWords("pl").draft


@pytest.mark.parametrize("lang", NEW)
def test_every_letter_of_the_plan_words_is_in_the_plan_fonts_and_shapes_without_an_empty_box(lang):
    w = PlanWords(lang)
    texts = [*w.texts(), w.date(DAY), w.date(dt.date(2026, 11, 30)), w.km(12.5), "Govan Lunch Club 0141 000 0001"]
    assert plan_fonts.missing_letters(texts, lang) == set()
    own = plan_fonts.faces(lang)[0]
    for text in texts:
        for run in own_runs(text, own):
            for bold in (False, True):
                assert 0 not in shaped_glyphs(own, run, bold), (lang, run, bold)  # glyph 0 is .notdef


def test_a_font_without_the_letters_withdraws_the_language_instead_of_printing_boxes(monkeypatch):
    dejavu_only = (plan_fonts.SYSTEM_FONT_DIRS[0],)
    monkeypatch.setattr(plan_fonts, "SYSTEM_FONT_DIRS", dejavu_only)
    monkeypatch.delenv(plan_fonts.FONT_DIR_ENV, raising=False)
    hindi = PlanWords("hi").texts()
    assert plan_fonts.missing_letters(hindi, "hi")  # DejaVu has no Devanagari
    offered = plan_languages()
    assert "hi" not in offered and "zh" not in offered and "ur" not in offered
    assert "ku" in offered and "pl" in offered  # Latin letters: DejaVu holds them
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(plan("hi"))).pages)
    assert "What we chose together" in text  # English headings, not empty boxes


@pytest.mark.parametrize("lang", NEW)
def test_pdf_plan_in_each_language_is_drawn_in_its_script_face_with_the_translated_heading(lang):
    data = plan(lang)
    reader = PdfReader(io.BytesIO(data))
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert any(FACE_NAMES[lang] in f for f in fonts), fonts
    assert any("DejaVuSans" in f for f in fonts)  # the listing's English name, by fallback
    doc = pdfium.PdfDocument(data)
    text = squeezed("\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))))
    w = PlanWords(lang)
    assert "GovanLunchClub" in text and "Wednesdays12:00-14:00" in text
    if lang == "ur":
        # Nastaliq's letters step down along a word, so text extraction splits a word over lines: check the
        # letters are there (the layout is checked below).
        assert set(squeezed(w("chosen"))) <= set(text)
    else:
        # (Only the first heading: fpdf2 2.8.9 gives a glyph that shaping split off a letter, such as Bengali's
        # ে, no text of its own, so a copy of some later words carries a stray character.)
        assert squeezed(w("chosen")) in text


def _box_of(chars, word: str) -> tuple[float, float, float, float]:
    text = "".join(c for c, _ in chars)
    i = text.index(word)
    boxes = [b for _, b in chars[i:i + len(word)]]
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def test_urdu_plan_is_laid_out_right_to_left_and_english_left_to_right():
    width = 595.28  # A4, points
    margin = 18 / 25.4 * 72
    ur, en = page_chars(plan("ur")), page_chars(plan("en"))
    # The listing's name, a heading, sits against the right margin in Urdu and the left one in English.
    assert _box_of(ur, "Govan Lunch Club")[2] == pytest.approx(width - margin, abs=6)
    assert _box_of(en, "1. Govan Lunch Club")[0] == pytest.approx(margin, abs=6)
    # The label 'When' (کب) is to the right of its value in Urdu, to the left in English.
    (w_box,) = [b for c, b in ur if c == "W"]  # of "Wednesdays 12:00-14:00"
    line = [(c, b) for c, b in ur if b[1] < w_box[3] and b[3] > w_box[1]]
    value = [b for c, b in line if c.isascii() and c.isalnum()]
    label = [b for c, b in line if "\u0600" <= c <= "\u06ff"]
    assert label and value and min(b[0] for b in label) > max(b[2] for b in value)
    assert _box_of(en, "When")[2] < _box_of(en, "Wednesdays")[0]


@pytest.mark.parametrize("lang", NEW)
def test_html_plan_carries_the_language_its_direction_and_the_words(lang):
    r = listing("P1", name="Govan Lunch Club", schedule="Wednesdays 12:00-14:00")
    page = render_plan_html([SimpleNamespace(resource=r, reasons=[], distance_km=0.24)], "Mary", today=DAY,
                            language=lang)
    w = PlanWords(lang)
    assert f'<html lang="{lang}"' in page
    assert ('dir="rtl"' in page.split(">")[1]) == (lang == "ur")
    for key in ("chosen", "when", "next_step", "link_worker"):
        assert w(key) in page, (lang, key)
    assert w.date(DAY) in page and w.km(0.24) in page
    assert '<h2 dir="auto">1. Govan Lunch Club</h2>' in page  # the listing's own words keep their direction


def test_dates_come_from_babel_in_each_locale():
    assert PlanWords("zh").date(DAY) == "2026年3月2日"
    assert PlanWords("hi").date(DAY) == "2 मार्च 2026"
    assert PlanWords("ku").date(DAY) == "2ê adara 2026an"
    assert PlanWords("ti").date(DAY) == "መጋቢት 2, 2026"
    assert PlanWords("ur").date(DAY) == "2 مارچ، 2026"
    assert PlanWords("ku").km(1.26) == "1,3 km ji malê, bi xeta rast"


def test_language_names_for_the_seven_codes():
    names = {c: language_name(c) for c in NEW}
    assert names == {"ur": "Urdu", "pa": "Punjabi", "bn": "Bengali", "zh": "Chinese", "hi": "Hindi",
                     "ti": "Tigrinya", "ku": "Kurdish (Kurmanji)"}
    assert code_for_name("Kurdish") == code_for_name("Kurmanji") == code_for_name("Kurdish (Kurmanji)") == "ku"
    assert code_for_name("Kurdish Sorani") is None  # Sorani is another language; `ku` here is Kurmanji
    assert plan_language_label("ur") == "Urdu · اردو" and plan_language_label("en") == "English"


def test_the_font_folder_setting_is_looked_in_first(tmp_path, monkeypatch):
    # A folder whose "Ethiopic" font is really DejaVu (no Ethiopic letters): it is the one used, so
    # Tigrinya is withdrawn; without the setting the system's Noto Sans Ethiopic serves again.
    dejavu = plan_fonts.find_font(plan_fonts.DEJAVU.regular)
    for name in (plan_fonts.SCRIPT_FACES["ti"].regular, plan_fonts.SCRIPT_FACES["ti"].bold):
        (tmp_path / name).symlink_to(dejavu)
    monkeypatch.setenv(plan_fonts.FONT_DIR_ENV, str(tmp_path))
    assert plan_fonts.find_font(plan_fonts.SCRIPT_FACES["ti"].regular) == tmp_path / "NotoSansEthiopic-Regular.ttf"
    assert "ti" not in plan_languages() and "hi" in plan_languages()
    monkeypatch.delenv(plan_fonts.FONT_DIR_ENV)
    assert "ti" in plan_languages()


def test_a_language_babel_does_not_know_gets_british_dates():
    words = {**load_words(), "tlh": dict(load_words()["en"], when="ghorgh")}
    w = PlanWords("tlh", words)
    assert w("when") == "ghorgh" and w.date(DAY) == "2 March 2026" and w.km(1.26).startswith("1.3 km")
