"""Asking providers to update their listings: the contacts of stale listings, as a CSV a curator can
mail-merge and as one ready e-mail per provider (a mailto: link that opens the curator's own mail)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from .csv_io import neutralise
from .records import Resource
from .store import StoredResource

CONTACT_COLUMNS = ("id", "name", "organisation", "email", "phone", "website", "last verified")


def _res(item: Any) -> Resource:
    return item.resource if isinstance(item, StoredResource) else item


def contact_rows(items: Iterable[Any]) -> list[dict[str, str]]:
    """Who to ask about each listing: its id, name and every contact it gives."""
    rows = []
    for item in items:
        r = _res(item)
        rows.append({"id": r.id, "name": r.name, "organisation": r.organisation, "email": r.email,
                     "phone": r.phone, "website": r.website,
                     "last verified": r.last_verified.isoformat() if r.last_verified else "never"})
    return rows


def contacts_csv(items: Iterable[Any]) -> bytes:
    """The contact rows as CSV UTF-8 (cells a spreadsheet would run as formulas neutralised)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CONTACT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in contact_rows(items):
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return out.getvalue().encode("utf-8")


def update_request(item: Any, sender: str = "the Signpost directory team") -> str | None:
    """A mailto: link asking the provider to check the listing, or None when it gives no e-mail address."""
    r = _res(item)
    if not r.email:
        return None
    subject = f"Is our listing of {r.name} still right?"
    body = (f"Hello,\n\nWe list {r.name}" + (f" ({r.organisation})" if r.organisation else "")
            + " in the Signpost directory that GPs and link workers use to find local support. Could you check "
            f"what we hold and tell us of any change (when and where it meets, who it is for, contacts)?\n\n"
            f"When it meets: {r.schedule or 'not stated'}\nWhere: {r.address or 'not stated'} {r.postcode}\n"
            f"Phone: {r.phone or 'not stated'}\nWebsite: {r.website or 'not stated'}\n\n"
            f"If it no longer runs, please tell us and we will take it off.\n\nThank you,\n{sender}")
    return f"mailto:{quote(r.email, safe='@')}?subject={quote(subject)}&body={quote(body)}"
