"""The person's plan as a PDF to print in one click (fpdf2): what was chosen, when, where, what it
costs, how to get in touch, how far (as the crow flies), the next step and the link worker.

Fixed words are in the person's language (matcher.plan_words); listing text is printed as held.
Large print doubles as the accessible version. The text is drawn, never interpreted: a listing
holding markup prints it as characters. Nothing here is logged or stored.

The fonts (DejaVu Sans, and Noto for the scripts DejaVu lacks) are chosen in matcher.plan_fonts;
`SIGNPOST_PLAN_FONT_DIR` names another folder to look in first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from fpdf import FPDF

from directory.languages import language_name
from directory.vocabulary import COST_WORDS

from . import plan_fonts
from .plan import _resource, contact_lines, where_text
from .plan_words import PlanWords, plan_languages

SIZES = {False: {"body": 13, "h1": 22, "h2": 16, "line": 6.4},
         True: {"body": 18, "h1": 28, "h2": 22, "line": 9.0}}


def _non_latin(text: str) -> bool:
    """Whether text holds letters beyond Latin (the plan language's own script, for a non-Latin language)."""
    return any(c.isalpha() and ord(c) > 0x2FF for c in text)


class _Plan(FPDF):
    def __init__(self, words: PlanWords, large: bool):
        super().__init__(format="A4")
        self.words, self.size = words, SIZES[large]
        plan_fonts.require_dejavu()
        self.own, self.latin = plan_fonts.faces(words.language)[0], plan_fonts.DEJAVU
        for face in {self.own, self.latin}:
            for style, name in (("", face.regular), ("B", face.bold)):
                self.add_font(face.family, style, str(plan_fonts.find_font(name)), collection_font_number=face.index)
        # harfbuzz shaping joins Arabic letters and forms Indic conjuncts; the bidi algorithm orders mixed
        # English and Arabic-script lines.
        self.set_text_shaping(True)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=16)
        self.align = "R" if words.rtl else "L"
        self.label_w = 0.0

    def _select(self, text: str, size: str, bold: bool) -> float:
        """Font, fallback and direction for one piece of text; returns its line height.

        Text in the language's own script is drawn in its face (Nastaliq for Urdu), anything else (a
        listing's English name, a phone number) in DejaVu, each with the other behind it for the letters
        it lacks. In a right-to-left plan, text with right-to-left letters reads right to left throughout.
        """
        own = self.own if _non_latin(text) else self.latin
        other = self.latin if own is self.own else self.own
        self.set_fallback_fonts([other.family] if other is not own else [])
        self.set_text_shaping(True, direction="rtl" if self.words.rtl and _non_latin(text) else None)
        # fpdf2 2.8.9 keeps a fallback face as the current font after a line that began in it, and then
        # skips a set_font of the same family: forget the selection so every piece selects afresh.
        self.font_family = ""
        self.set_font(own.family, "B" if bold else "", self.size[size])
        return self.size["line"] * self.size[size] / self.size["body"] * own.line_factor

    def para(self, text: str, size: str = "body", bold: bool = False, gap: float = 0.0) -> None:
        height = self._select(text, size, bold)
        self.multi_cell(0, height, text, align=self.align, new_x="LMARGIN", new_y="NEXT")
        if gap:
            self.ln(gap)

    def fit_labels(self, labels: Sequence[str]) -> None:
        """One label column wide enough for the widest label (at most 40% of the line)."""
        widths = []
        for label in labels:
            self._select(label, "body", True)
            widths.append(self.get_string_width(label))
        self.label_w = min(max(widths, default=0) + 4, 0.4 * self.epw)

    def field(self, label: str, value: str) -> None:
        """A label and its value side by side: the label on the reading side (right in a right-to-left plan)."""
        # Each side at its own line height: Nastaliq's tall lines must not space out an English value.
        label_h, value_h = self._select(label, "body", True), self._select(value, "body", False)
        if self.will_page_break(2 * max(label_h, value_h)):
            self.add_page()
        top, value_w = self.get_y(), self.epw - self.label_w
        label_x = self.l_margin + value_w if self.words.rtl else self.l_margin
        value_x = self.l_margin if self.words.rtl else self.l_margin + self.label_w
        first = max(label_h, value_h)  # the two first lines share one middle
        self._select(label, "body", True)
        self.set_xy(label_x, top + (first - label_h) / 2)
        self.multi_cell(self.label_w, label_h, label, align=self.align, new_x="LMARGIN", new_y="NEXT")
        below = self.get_y() + (first - label_h) / 2
        self._select(value, "body", False)
        self.set_xy(value_x, top + (first - value_h) / 2)
        self.multi_cell(value_w, value_h, value, align=self.align, new_x="LMARGIN", new_y="NEXT")
        self.set_y(max(below, self.get_y() + (first - value_h) / 2))

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
    if pdf.will_page_break(5 * pdf.size["line"] * pdf.own.line_factor):
        pdf.add_page()  # a listing's name starts a page rather than end one alone
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
    # A language whose letters the installed fonts do not all hold gets English words, never empty boxes.
    words = PlanWords(language if language in plan_languages() else "en")
    pdf = _Plan(words, large_print)
    pdf.set_title(words("title"))
    pdf.add_page()
    pdf.fit_labels([words(k) for k in ("when", "where", "how_far", "cost", "contact")]
                   + ["Phone", "E-mail", "Website", "Language"])
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
