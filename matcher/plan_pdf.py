"""The person's plan as a PDF to print in one click (fpdf2): what was chosen, when, where, what it
costs, how to get in touch, how far (as the crow flies), the next step and the link worker.

Fixed words are in the person's language (matcher.plan_words); listing text is printed as held.
Large print doubles as the accessible version. The text is drawn, never interpreted: a listing
holding markup prints it as characters. Nothing here is logged or stored.

The font is DejaVu Sans from Debian's `fonts-dejavu-core` (scripts/system-deps.sh installs it);
`SIGNPOST_PLAN_FONT_DIR` names another folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF

from directory.languages import language_name
from directory.vocabulary import COST_WORDS

from .plan import _resource, contact_lines, where_text
from .plan_words import PlanWords

FONT_DIR_ENV = "SIGNPOST_PLAN_FONT_DIR"
DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SIZES = {False: {"body": 13, "h1": 22, "h2": 16, "line": 6.4},
         True: {"body": 18, "h1": 28, "h2": 22, "line": 9.0}}


def font_dir() -> Path:
    where = Path(os.environ.get(FONT_DIR_ENV) or DEFAULT_FONT_DIR)
    if not (where / "DejaVuSans.ttf").exists():
        raise FileNotFoundError(f"The plan's font is missing: {where / 'DejaVuSans.ttf'}. Install Debian's "
                                f"fonts-dejavu-core (make system-deps) or set {FONT_DIR_ENV}.")
    return where


class _Plan(FPDF):
    def __init__(self, words: PlanWords, large: bool):
        super().__init__(format="A4")
        self.words, self.size = words, SIZES[large]
        where = font_dir()
        self.add_font("DejaVu", "", str(where / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(where / "DejaVuSans-Bold.ttf"))
        # harfbuzz shaping joins Arabic letters; the bidi algorithm orders mixed English and Arabic lines.
        self.set_text_shaping(True)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=16)
        self.align = "R" if words.rtl else "L"

    def para(self, text: str, size: str = "body", bold: bool = False, gap: float = 0.0) -> None:
        self.set_font("DejaVu", "B" if bold else "", self.size[size])
        height = self.size["line"] * self.size[size] / self.size["body"]
        self.multi_cell(0, height, text, align=self.align, new_x="LMARGIN", new_y="NEXT")
        if gap:
            self.ln(gap)

    def field(self, label: str, value: str) -> None:
        self.para(f"{label}: {value}")

    def heading(self, text: str) -> None:
        self.ln(self.size["line"] * 0.6)
        self.para(text, "h2", bold=True)
        y = self.get_y() + 0.8
        self.set_line_width(0.6)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.ln(2.5)


def _activity(pdf: _Plan, item: Any, number: int) -> None:
    w = pdf.words
    r = _resource(item)
    pdf.para(f"{number}. {r.name}", "h2", bold=True)
    if r.organisation:
        pdf.para(r.organisation)
    pdf.para(r.description, gap=1.5)
    pdf.field(w("when"), r.schedule or w("ask"))
    pdf.field(w("where"), where_text(r))
    distance = getattr(item, "distance_km", None)
    if distance is not None and "in_person" in r.delivery:
        pdf.field(w("how_far"), w.km(distance))
    pdf.field(w("cost"), COST_WORDS.get(r.cost, COST_WORDS[None]))
    for label, value in contact_lines(r) or [(w("contact"), w("ask"))]:
        pdf.field(label, value)
    langs = [language_name(c) for c in r.languages]
    if langs and langs != ["English"]:
        pdf.field("Language", ", ".join(langs) + (" (interpreter available)" if r.interpreter_available else ""))
    reasons = list(getattr(item, "reasons", []) or [])
    if reasons:
        pdf.para(w("why"), bold=True)
        for x in reasons:
            pdf.para(f"• {x}")
    pdf.ln(pdf.size["line"])


def render_plan_pdf(chosen: Sequence[Any], first_name: str | None = None, next_step: str = "",
                    link_worker_contact: str = "", today: dt.date | None = None, language: str = "en",
                    large_print: bool = False, not_found: Sequence[str] = ()) -> bytes:
    """The plan as PDF bytes. `chosen`: results or listings; `not_found`: honest lines about needs
    nothing local meets (matcher.summary.unmet_lines)."""
    words = PlanWords(language)
    pdf = _Plan(words, large_print)
    pdf.set_title(words("title"))
    pdf.add_page()
    name = (first_name or "").strip()
    pdf.para(words("title_named", name=name) if name else words("title"), "h1", bold=True)
    pdf.para(words("made_on", date=words.date(today or dt.date.today())))
    pdf.heading(words("chosen"))
    if not chosen:
        pdf.para(words("none_chosen"))
    for i, item in enumerate(chosen, start=1):
        _activity(pdf, item, i)
    if not_found:
        pdf.heading(words("not_found"))
        for line in not_found:
            pdf.para(line)
    pdf.heading(words("next_step"))
    pdf.para(next_step.strip() or "\n\n\n")
    pdf.heading(words("link_worker"))
    pdf.para(link_worker_contact.strip() or "\n\n")
    return bytes(pdf.output())
