"""What leaves the screen: the person's plan (a standalone, printable HTML page) and the GP's
referral note (plain text to paste into a referral to the link worker).

Every piece of listing text and everything the link worker typed is escaped with `html.escape`:
a listing that says `<script>` prints `<script>`, it never runs. The page has no scripts, no
external resources and print styles with large, clear type, so it prints the same anywhere and can
be saved or e-mailed as one file. Nothing here is logged or stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from directory.languages import language_name
from directory.records import Resource
from directory.vocabulary import COST_WORDS, DELIVERY_WORDS, DOMAIN_LABELS, RULE_SHORT

from .plan_words import PlanWords

_CSS = """
:root { color-scheme: light; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 18pt; line-height: 1.45; color: #111;
       background: #fff; margin: 0 auto; max-width: 48em; padding: 1.5em; }
h1 { font-size: 26pt; margin: 0 0 .2em; }
h2 { font-size: 21pt; margin: 1.2em 0 .3em; border-bottom: 2px solid #222; padding-bottom: .1em; }
.date, .org { color: #333; }
.activity { border: 2px solid #222; border-radius: 8px; padding: .6em .9em; margin: 1em 0;
            page-break-inside: avoid; break-inside: avoid; }
.activity h2 { border: 0; margin-top: .1em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25em 1em; margin: .5em 0; align-items: baseline; }
dt { font-weight: bold; }
dd { margin: 0; }
ul.why { margin: .3em 0 0; margin-inline-start: 1.1em; padding: 0; }
.next { border: 2px dashed #222; border-radius: 8px; padding: .6em .9em; min-height: 6em; }
.lines { border-bottom: 1px solid #555; height: 1.6em; }
.howto { font-size: 12pt; color: #444; }
/* Nastaliq, the style Urdu readers expect, needs taller lines; Latin letters fall through to Arial. */
:lang(ur) { font-family: "Noto Nastaliq Urdu", "Jameel Noori Nastaleeq", "Urdu Typesetting", Arial, Helvetica,
            sans-serif; line-height: 2; }
:lang(ur) [dir="auto"] { font-family: Arial, Helvetica, "Liberation Sans", "DejaVu Sans", "Noto Sans", "Noto Nastaliq Urdu",
                         sans-serif; line-height: 1.45; }
/* A listing's English words in a right-to-left plan keep their own order but sit on the reading side. */
html[dir="rtl"] [dir="auto"] { text-align: right; }
@media print {
  body { font-size: 16pt; padding: 0; max-width: none; }
  .howto { display: none; }
  a { color: #000; text-decoration: none; }
  @page { margin: 15mm; }
}
"""


def _resource(item: Any) -> Resource:
    return item if isinstance(item, Resource) else item.resource


def where_text(resource: Resource) -> str:
    """Where an activity happens, in words: the address, else how it is delivered."""
    place = ", ".join(p for p in (resource.address, resource.postcode) if p)
    others = [DELIVERY_WORDS[m] for m in resource.delivery if m != "in_person"]
    if "in_person" in resource.delivery:
        text = place or "In person (ask for the address)"
        return text + (f"; also {' and '.join(others)}" if others else "")
    return (" and ".join(others)).capitalize() or "Ask the organisers"


def contact_lines(resource: Resource) -> list[tuple[str, str]]:
    out = []
    if resource.phone:
        out.append(("Phone", resource.phone))
    if resource.email:
        out.append(("E-mail", resource.email))
    if resource.website:
        out.append(("Website", resource.website))
    return out


def _row(label: str, value: str, own: bool = False) -> str:
    """A label in the plan's language and its value; a listing's own text reads in its own direction."""
    direction = "" if own else ' dir="auto"'
    return f"<dt>{escape(label)}</dt><dd{direction}>{escape(value)}</dd>"


def _activity(item: Any, number: int, w: PlanWords) -> str:
    r = _resource(item)
    rows = [
        _row(w("when"), r.schedule) if r.schedule else _row(w("when"), w("ask"), own=True),
        _row(w("where"), where_text(r)),
    ]
    distance = getattr(item, "distance_km", None)
    if distance is not None and "in_person" in r.delivery:
        rows.append(_row(w("how_far"), w.km(distance), own=True))
    rows.append(_row(w("cost"), COST_WORDS.get(r.cost, "Cost not stated")))
    contacts = contact_lines(r)
    if contacts:
        rows.extend(_row(label, value) for label, value in contacts)
    else:
        rows.append(_row(w("contact"), "Your link worker will help you get in touch"))
    langs = [language_name(c) for c in r.languages]
    if langs and langs != ["English"]:
        rows.append(_row("Language", ", ".join(langs) + (" (interpreter available)" if r.interpreter_available else "")))
    if r.wheelchair_accessible is True and "in_person" in r.delivery:
        rows.append(_row("Access", "Wheelchair accessible"))
    reasons = list(getattr(item, "reasons", []) or [])
    why = ""
    if reasons:
        why = f"<p><strong>{escape(w('why'))}</strong></p><ul class=\"why\">" + "".join(
            f'<li><span dir="auto">{escape(x)}</span></li>' for x in reasons) + "</ul>"
    org = f'<div class="org" dir="auto">{escape(r.organisation)}</div>' if r.organisation else ""
    return (f'<section class="activity"><h2 dir="auto">{number}. {escape(r.name)}</h2>{org}'
            f"<p dir=\"auto\">{escape(r.description)}</p><dl>{''.join(rows)}</dl>{why}</section>")


def render_plan_html(chosen: Sequence[Any], first_name: str | None = None, next_step: str = "",
                     link_worker_contact: str = "", today: dt.date | None = None, *,
                     not_found: Sequence[str] = (), language: str = "en") -> str:
    """The person's plan: one standalone HTML page with print styles and large type.

    `chosen`: results (anything with `.resource` and optionally `.reasons`) or listings; `not_found`:
    honest lines about needs nothing local meets (matcher.summary.unmet_lines); `language`: of the
    fixed words (matcher.plan_words), the page's `lang`, and `dir="rtl"` for a right-to-left one.
    """
    w = PlanWords(language)
    today = today or dt.date.today()
    name = (first_name or "").strip()
    title = w("title_named", name=name) if name else w("title")
    activities = "".join(_activity(item, i, w) for i, item in enumerate(chosen, start=1)) or (
        f"<p>{escape(w('none_chosen'))}</p>")
    step = escape(next_step.strip()).replace("\n", "<br>") if next_step.strip() else ""
    blank = "" if step else '<div class="lines"></div><div class="lines"></div><div class="lines"></div>'
    contact = escape(link_worker_contact.strip()).replace("\n", "<br>") if link_worker_contact.strip() else (
        '<div class="lines"></div>')
    direction = ' dir="rtl"' if w.rtl else ""
    return (
        f"<!DOCTYPE html>\n<html lang=\"{w.language}\"{direction}><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1><div class=\"date\">{escape(w('made_on', date=w.date(today)))}</div>"
        "<p class=\"howto\" lang=\"en\" dir=\"ltr\">To print: press Ctrl+P (or Cmd+P on a Mac).</p>"
        f"<h2>{escape(w('chosen'))}</h2>{activities}"
        + (f"<h2>{escape(w('not_found'))}</h2>" + "".join(f'<p dir="auto">{escape(x)}</p>' for x in not_found)
           if not_found else "")
        + f"<h2>{escape(w('next_step'))}</h2><div class=\"next\" dir=\"auto\">{step}{blank}</div>"
        f"<h2>{escape(w('link_worker'))}</h2><p dir=\"auto\">{contact}</p>"
        "</body></html>\n"
    )


def _contacts(r: Resource) -> str:
    return ", ".join(x for x in (r.phone, r.email, r.website) if x)


def _option_line(i: int, item: Any) -> list[str]:
    """One option for the link worker: what it is, why it fits (needs met, distance, cost), when, how to reach it."""
    r = _resource(item)
    head = f"{i}. {r.name}" + (f" ({r.organisation})" if r.organisation else "")
    why = [DOMAIN_LABELS.get(d, d) for d in (getattr(item, "needs_met", None) or [])]
    facts = []
    if why:
        facts.append("for " + " and ".join(why))
    distance = getattr(item, "distance_km", None)
    if distance is not None:
        facts.append(f"{distance:.1f} km away")
    else:
        facts.append(" or ".join(DELIVERY_WORDS[m] for m in r.delivery))
    facts.append(COST_WORDS[r.cost].lower())
    if r.gender:
        facts.append("women only" if r.gender == "female" else "men only")
    lines = [head + ": " + ", ".join(facts)]
    when = [x for x in (r.schedule, _contacts(r)) if x]
    if when:
        lines.append("   " + "; ".join(when))
    return lines


def referral_text(results: Iterable[Any], needs_text: str = "", location: str = "",
                  languages: Sequence[str] = (), *, needs: Sequence[str] = (), unmet: Sequence[str] = (),
                  near_misses: Iterable[Any] = (), gender: str | None = None) -> str:
    """A short note a GP pastes into a referral to the link worker: what the GP saw, the local
    options with why each fits (needs met, distance, cost), when they meet and how to reach them, and
    what nothing local meets. Written to the link worker (not the person's "as you described").

    The free text the GP typed about the person is not repeated here beyond what they chose to
    write; the note is shown on screen for copying and never stored.
    """
    lines = ["Referral to social prescribing link worker."]
    if needs_text.strip():
        lines.append(f"Seen by GP: {' '.join(needs_text.split())}")
    about = []
    if needs:
        about.append("needs: " + ", ".join(DOMAIN_LABELS.get(d, d) for d in needs))
    if location.strip():
        about.append(f"area: {location.strip()}")
    if languages:
        about.append("languages: " + ", ".join(language_name(c) for c in languages))
    if gender in ("female", "male"):
        about.append("gender: " + ("woman" if gender == "female" else "man"))
    if about:
        joined = "; ".join(about)
        lines.append(joined[0].upper() + joined[1:] + ".")
    items = list(results)
    if items:
        lines.append("Local options found in Signpost (please check they are still running):")
        for i, item in enumerate(items, start=1):
            lines.extend(_option_line(i, item))
    else:
        lines.append("No local option matched in Signpost; please explore with the person.")
    if unmet:
        lines.append("Nothing local found for: " + ", ".join(DOMAIN_LABELS.get(d, d) for d in unmet) + ".")
    near = list(near_misses)
    if near:
        lines.append("Nearly fitted: " + "; ".join(f"{m.name} ({RULE_SHORT.get(m.broken, m.broken).lower()})"
                                                   for m in near[:3]) + ".")
    return "\n".join(lines)
