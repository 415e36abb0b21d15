"""The message back to the GP, as a short PDF letter (fpdf2): when a referral is accepted (what was
agreed) and when it is closed (what happened), with the SNOMED CT codes a practice system files
it under. Notes are never in a letter: a GP never sees them. Letters are made in memory only."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from fpdf import FPDF

from directory.accounts import PermissionDenied, User
from directory.records import DOMAIN_LABELS, InputError, ValidationIssue
from directory.store import NotFoundError, Store

from . import access, audit, load, schema, staff
from .records import (
    CLOSED_STATUSES,
    ONS4_QUESTIONS,
    SOCIAL_PRESCRIBING_DECLINED,
    SOCIAL_PRESCRIBING_REFERRAL,
    display_name,
)

LETTER_KINDS = ("accepted", "closed")
# A Unicode font where the system has one (names are not all Latin-1); else Helvetica.
_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
ONS4_SHORT = {"life_satisfaction": "Life satisfaction", "worthwhile": "Things I do are worthwhile",
              "happiness": "Happiness yesterday", "anxiety": "Anxiety yesterday (lower is better)"}


def _pdf() -> tuple[FPDF, bool]:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_creator("Signpost")
    pdf.add_page()
    unicode = _FONT.exists()
    if unicode:
        pdf.add_font("body", "", str(_FONT))
        pdf.set_font("body", size=11)
    else:
        pdf.set_font("Helvetica", size=11)
    return pdf, unicode


def _nhs(number: str | None) -> str:
    return f"{number[:3]} {number[3:6]} {number[6:]}" if number else "not recorded"


def _lines(kind: str, person, ref, onward, outcomes) -> list[tuple[str, str]]:
    """(style, text) lines of the letter; style 'h' for a heading, '' for body text."""
    accepted = kind == "accepted"
    title = "Social prescribing: referral accepted" if accepted else "Social prescribing: referral closed"
    out = [("title", title),
           ("", f"To: {ref.requester}" + (f", practice {ref.practice}" if ref.practice else "")),
           ("", f"About: {display_name(person['demographics'])}, born {person['demographics'].get('birthDate', 'not recorded')}, "
                f"NHS number {_nhs(person['nhs_number'])}"),
           ("", f"Your referral of {ref.authored_on[:10]} was received on {ref.received_at[:10]}.")]
    if accepted:
        out.append(("", f"It was accepted by the link worker service ({person['link_worker'] or 'a link worker'})."))
    else:
        reason = f" ({ref.status_reason})" if ref.status_reason else ""
        out.append(("", f"It is now closed: {ref.status}{reason}."))
    out.append(("h", "What was agreed" if accepted else "What happened"))
    if not onward:
        out.append(("", "No referral to a local service has been made yet." if accepted
                    else "No referral to a local service was made."))
    for o in onward:
        need = f" for {DOMAIN_LABELS[o.need]}" if o.need else ""
        done = ", attended" if o.attended else ""
        out.append(("", f"- {o.listing_name}{need}: {o.status}{done}"))
    if not accepted and outcomes:
        first = next((o for o in outcomes if o.stage == "start" and o.ons4), None)
        last = next((o for o in reversed(outcomes) if o.stage == "discharge" and o.ons4), None)
        if first or last:
            out.append(("h", "Well-being (ONS4, 0-10)"))
            for key in ONS4_QUESTIONS:
                start = first.ons4.get(key, "-") if first else "-"
                end = last.ons4.get(key, "-") if last else "-"
                out.append(("", f"{ONS4_SHORT[key]}: {start} at the start, {end} at discharge"))
    out.append(("h", "Coding"))
    code, text = SOCIAL_PRESCRIBING_DECLINED if ref.declined else SOCIAL_PRESCRIBING_REFERRAL
    out.append(("", f"SNOMED CT {code} {text}"))
    return out


def _render(lines: list[tuple[str, str]]) -> bytes:
    pdf, unicode = _pdf()
    for style, text in lines:
        if not unicode:
            text = text.encode("latin-1", "replace").decode("latin-1")
        size = {"title": 15, "h": 12.5}.get(style, 11)
        pdf.set_font_size(size)
        if style:
            pdf.ln(3)
        pdf.multi_cell(0, 6 if not style else 8, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def gp_letter(store: Store, actor: User, referral_id: int, kind: str) -> bytes:
    """The PDF letter for a referral: `kind` 'accepted' or 'closed'."""
    access.require(actor, "gp_letter")
    if kind not in LETTER_KINDS:
        raise InputError([ValidationIssue(None, "kind", "a letter is 'accepted' or 'closed'")])
    if not schema.ensure(store):
        raise NotFoundError(f"no referral {referral_id}")
    with store.engine.begin() as conn:
        row = conn.execute(sa.select(schema.incoming).where(schema.incoming.c.id == referral_id)).first()
        if row is None:
            raise NotFoundError(f"no referral {referral_id}")
        person = conn.execute(sa.select(schema.people).where(schema.people.c.id == row.person_id)).one()
        place = staff.placement(conn, actor.username)
        if not (access.sees_person(actor, place.team, person.link_worker, person.team)
                or access.sees_referral(actor, place.practice, row.practice)):
            raise PermissionDenied(f"{actor.username} may not see referral {referral_id}")
        ref = load.incoming_record(row)
        if kind == "closed" and ref.status not in CLOSED_STATUSES:
            raise InputError([ValidationIssue(None, "kind", "the referral is not closed yet")])
        if kind == "accepted" and ref.status in ("draft", "requested", "rejected", "entered-in-error"):
            raise InputError([ValidationIssue(None, "kind", "the referral has not been accepted")])
        onward = [load.onward_record(r) for r in conn.execute(
            sa.select(schema.onward).where(schema.onward.c.incoming_id == referral_id).order_by(schema.onward.c.id))]
        outcomes = [load.outcome_record(r) for r in conn.execute(
            sa.select(schema.outcomes).where(schema.outcomes.c.incoming_id == referral_id)
            .order_by(schema.outcomes.c.id))]
        facts = {"demographics": json.loads(person.demographics), "nhs_number": person.nhs_number,
                 "link_worker": person.link_worker}
        audit.write(conn, actor, "gp_letter", audit.person_subject(row.person_id),
                    {"referral": referral_id, "kind": kind})
    return _render(_lines(kind, facts, ref, onward, outcomes))
