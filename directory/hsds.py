"""Open Referral HSDS: import (3.0 JSON, 3.0 tabular datapackages, 1.1/2.0 datapackages, zipped
datapackages) and export (3.0 JSON), as listings of contract section 2.

Every reader returns validated `Resource`s as a `records.Loaded` list, with `warnings`, or raises
`InputError` carrying every problem found in the file (never the first only, never a traceback).
An issue's `row` locates the object: a path into the JSON document (``services[3]``,
``organization.services[0].service_at_locations[1].location``) or a table row (``services.csv
row 5``, the header being row 1); its `column` is the HSDS field (``minimum_age``, ``latitude``).
A parse error names the line (``row``) and column of the text.

Errors and warnings
-------------------
An error (a missing name, an age or language that cannot be read, text where a number belongs,
malformed JSON, a file that is not HSDS at all...) refuses the whole file: nothing is imported.
A warning says what Signpost could not use as the file says it and imported anyway, located the
same way. There is one kind today, the venue that is not placed: a physical location whose
latitude and longitude are missing, or out of range (the HSDS 3.0 examples put every location at
latitude 100, which is no latitude). Its coordinates are dropped, never guessed (Signpost does not
geocode); the listing keeps its delivery as the file says (in_person), its address and the rest,
and is imported as ``inactive``, so it is never offered to anyone (contract section 4, rule 1)
and cannot be reactivated until a curator sets where it meets::

    service.service_at_locations[0].location, latitude: 100 is not a latitude (-90 to 90);
    'Community Counselling' is imported as inactive until a curator places the venue

A valid HSDS file that holds no services (taxonomies, API metadata, a lone location,
organizations without services, a datapackage whose services.csv has no rows) imports nothing:
an empty list whose one warning says so ("taxonomy.json holds an HSDS taxonomy and no services:
nothing to import"). An empty file, a JSON Schema, an OpenAPI description or other JSON that is
not HSDS remains an error.

How an HSDS service becomes listings
------------------------------------
id
    The service id. A service meeting in person at several places (several service_at_locations
    whose location is physical) gives one listing per place, placed or not: the first place (in
    the order the file lists them) keeps the service id, every further place is
    ``<service id>:<service_at_location id>`` (the location id, then the 1-based position, when
    the service_at_location has no id). Re-importing the same feed gives the same ids; a place
    keeps its id as long as the publisher keeps its service_at_location id.
name, description, organisation
    ``name``; ``description``, else the organization's description, else an issue (a listing
    needs one); the organization's ``name``.
categories
    Term names (else codes) of the service's attributes' taxonomy terms; for 1.1, the names of the
    taxonomy rows linked by services_taxonomy.csv or ``taxonomy_ids``.
website, email, phone
    ``url`` (else the organization's ``website``/1.1 ``url``); ``email`` (else a service contact's,
    else the organization's); the first number that is not a fax or pager among the service's
    phones, else its service_at_location's, else the organization's, else the location's. Stray
    quotes around a number are removed and an extension is kept as ``ext. N``.
languages
    ``languages[].code`` (``en-GB`` -> ``en``; three-letter ISO 639-2 codes for common languages),
    else ``name`` (``Polish`` -> ``pl``), for 1.1 the ``language`` column. An in-person listing adds
    its location's languages. A language that cannot be turned into an ISO 639-1 code is an issue,
    never guessed and never dropped (dropping the only one would turn the listing into English).
    HSDS 1.1 lists "languages, other than English": when a 1.1 service lists any, ``en`` is added.
    Phone languages are about the phone line and are not used.
interpreter_available
    True when ``interpretation_services`` holds text other than "no"/"none"/"n/a".
min_age, max_age
    ``minimum_age``/``maximum_age`` (whole years). HSDS 1.1/2.0 eligibility rows: the 2.0 columns
    ``minimum_age``/``maximum_age``, else numbers read conservatively from the text: "55+",
    "18 and over", "aged 18-25", "under 16" (max 15), "16 and under". Words alone ("adult",
    "child", "seniors") set no limit. Out-of-range ages and min > max are issues.
gender
    HSDS cannot say "women only", so Signpost reads a convention: an attribute whose taxonomy
    term code or name is ``women-only``/``female-only``/``ladies-only`` (-> ``female``) or
    ``men-only``/``male-only`` (-> ``male``), eligibility text saying "women only"/"men only",
    or a 1.1 eligibility value ``female``/``male``. Signals for both genders give no restriction.
    Export writes the term in the ``signpost_eligibility`` taxonomy and the eligibility text.
delivery
    in_person for each service_at_location whose location is physical (``location_type``
    ``physical`` or, as in 1.1, not given): the listing takes that location's coordinates,
    address (``address_1``..``address_4``, ``city``, physical address first), ``postal_code``
    and wheelchair access (accessibility text: "not wheelchair accessible", "no step-free
    access", "inaccessible" -> false; "wheelchair", "step-free", "level access", "ramp", "lift",
    "accessible" -> true; otherwise unknown). A location without usable coordinates is not
    placed: the listing is inactive, with a warning (see "Errors and warnings").
    online when a location is ``virtual``, or the service has a ``url`` and nothing else to go by
    (no physical location, no phone of its own).
    phone only when the service has no physical location at all and either has a phone of its
    own (service or service_at_location phones) or its application process / description says
    to call, ring or phone and some number (organization's, location's) is given. An
    organization's switchboard alone never makes a service "by phone": a bag lunch with a support
    line is not a phone service, and saying otherwise would send someone who cannot travel to it.
    A postal location says where to write, not where to go, and is passed over. A service that is
    left with no delivery mode (no physical or virtual location, no phone of its own, no website)
    is an issue ("cannot tell how it is delivered").
cost
    Cost options: amount 0 -> free, up to 5 (GBP, EUR or USD, taken as equivalent) -> low_cost,
    more -> paid; ``fees_description``/``fees`` (1.1 ``fees``) text: "free", "no charge" -> free;
    "low cost", "pay as you feel", "donation" -> low_cost; an amount ("£50") by the same bands;
    "we charge", "fees apply" -> paid. The highest level found wins (a person must not be sent
    to something they cannot pay for as "free"). Nothing found -> blank (unknown). 1.1
    payments_accepted says how, not whether, one pays: not used.
schedule
    ``schedules`` (3.0; the service_at_location's own first) or 1.1 ``regular_schedules``
    (weekday 1 = Monday, HSDS 1.1.1) as short text: "Mon-Wed 09:00-17:00", "Thu, Fri
    10:00-18:00", "Fortnightly Tue 10:00-12:00", "1st Mon 18:00-20:00"; an entry without days or
    times gives its ``description``.
status
    ``active`` (or blank) -> active; ``inactive``, ``defunct``, ``temporarily closed`` -> inactive;
    anything else is an issue. A listing whose venue is not placed is inactive whatever the file says.
last_verified
    ``assured_date``; else the latest ``last_action_date`` of metadata about the service itself.
domains
    Empty (the system infers them) unless attributes use the ``signpost_domains`` taxonomy.

Signpost's own conventions (written by export, read by import; other taxonomies pass through as
categories): attributes in the taxonomies ``signpost_domains`` (term code = domain key),
``signpost_delivery`` (in_person/phone/online; when present it decides delivery instead of the
rules above), ``signpost_cost`` (free/low_cost/paid; decides cost), ``signpost_eligibility``
(women-only/men-only), ``signpost_categories`` (curator tags), ``signpost_contact`` (a website or
email whose text the schema's uri/email formats would refuse, e.g. ``example.org``; value = the
text) and ``signpost_extra`` (columns a publisher sent that the contract does not name; term
code = column, value = cell). With these,
``read_json(write_json(x))`` gives back ``x``.

Export writes one HSDS 3.0 service per listing (id = the listing id, so that ids survive the
round trip; nested objects get UUIDs derived from it), with its organization, phones, languages,
schedule text, cost option (free) and fees text, eligibility, a physical location (coordinates,
address with country GB, accessibility; an in-person listing not yet placed gets one without
coordinates, which reads back as the same inactive listing) and/or a virtual one, and the
attributes above. `validate_hsds` checks objects against the HSDS 3.0 JSON schemas, packaged in
``directory/data/hsds-3.0-schema`` (copied unchanged from Open Referral; $SIGNPOST_HSDS_SCHEMA
overrides). HSDS asks for UUID ids; listing ids such as ``EX01`` are not, so the uuid format of
ids is checked only with ``strict_ids=True``.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import os
import re
import uuid
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from . import csv_io
from .languages import LANGUAGE_NAMES, code_for_name, language_name
from .records import DOMAIN_LABELS, InputError, Loaded, Resource, ValidationIssue, validate_resource

# ---- limits for uploads (zip) ------------------------------------------------------------------
MAX_ZIP_MEMBERS = 500
MAX_ZIP_TOTAL_BYTES = 200 * 1024 * 1024  # the same ceiling as importer.MAX_IMPORT_BYTES
MAX_ZIP_RATIO = 200  # a deflated CSV shrinks ~5-20x; hundreds-fold is a zip bomb

# 5: the edge between "low_cost" and "paid", in GBP (EUR and USD taken as equal). A convention.
LOW_COST_MAX = 5.0

SIGNPOST_TAXONOMIES = (
    "signpost_domains", "signpost_delivery", "signpost_cost", "signpost_eligibility",
    "signpost_categories", "signpost_contact", "signpost_extra",
)
_NS = uuid.UUID("6f1c2d9e-4b7a-5c3e-9a1f-2d8e7b6c5a40")  # namespace of ids Signpost derives on export

SCHEMA_DIR_ENV = "SIGNPOST_HSDS_SCHEMA"

Issues = list[ValidationIssue]


class _Row(dict):
    """A table row (or tabular.json item) turned into an HSDS object; remembers where it came from."""

    __slots__ = ("where",)

    def __init__(self, data: dict, where: str):
        super().__init__(data)
        self.where = where


def _where(obj: Any, path: str) -> str:
    return obj.where if isinstance(obj, _Row) else path


def _s(value: Any) -> str:
    """The text of a scalar ('' for None and for lists/objects)."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _text(obj: dict, key: str, where: str, issues: Issues) -> str:
    value = obj.get(key)
    if isinstance(value, (dict, list)):
        issues.append(ValidationIssue(where, key, "must be text, not a list or an object"))
        return ""
    return _s(value)


def _items(obj: dict, key: str, where: str, issues: Issues) -> list[tuple[dict, str]]:
    """The objects of a list field, each with its path."""
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        issues.append(ValidationIssue(where, key, "must be a list"))
        return []
    out = []
    for i, item in enumerate(value):
        path = _where(item, f"{where}.{key}[{i}]")
        if isinstance(item, dict):
            out.append((item, path))
        else:
            issues.append(ValidationIssue(path, None, "is not an object"))
    return out


def _number(value: Any, where: str, key: str, issues: Issues) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        issues.append(ValidationIssue(where, key, f"{json.dumps(value)} is not a number"))
        return None
    try:
        number = float(value)
    except OverflowError:  # a whole number beyond any float, e.g. 10**400
        issues.append(ValidationIssue(where, key, f"{_s(value)[:20]}… is not a usable number (far too large)"))
        return None
    except ValueError:
        issues.append(ValidationIssue(where, key, f"'{value.strip()}' is not a number"))
        return None
    if not math.isfinite(number):
        issues.append(ValidationIssue(where, key, f"'{value}' is not a number"))
        return None
    return number


def _whole(value: Any, where: str, key: str, issues: Issues) -> int | None:
    number = _number(value, where, key, issues)
    if number is None:
        return None
    if not number.is_integer():
        issues.append(ValidationIssue(where, key, f"{_s(value)} is not a whole number of years"))
        return None
    return int(number)


def _date(text: str) -> dt.date | None:
    m = re.match(r"^(\d{4}-\d{2}-\d{2})", text.strip())
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m.group(1))
    except ValueError:
        return None


# ---- languages ---------------------------------------------------------------------------------
# ISO 639-2 codes that publishers use for the languages most often met in UK directories.
_ISO639_2 = {
    "eng": "en", "spa": "es", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "urd": "ur",
    "pol": "pl", "pan": "pa", "ara": "ar", "ben": "bn", "zho": "zh", "chi": "zh", "cym": "cy",
    "wel": "cy", "gla": "gd", "gle": "ga", "ita": "it", "por": "pt", "rus": "ru", "tur": "tr",
    "som": "so", "fas": "fa", "per": "fa", "hin": "hi", "guj": "gu", "tam": "ta", "ron": "ro",
    "rum": "ro", "slk": "sk", "slo": "sk", "ces": "cs", "cze": "cs", "lit": "lt", "lav": "lv",
    "ukr": "uk", "kur": "ku", "pus": "ps", "tir": "ti", "amh": "am", "vie": "vi", "yor": "yo",
    "ibo": "ig", "hun": "hu", "bul": "bg", "ell": "el", "gre": "el", "heb": "he", "jpn": "ja",
    "kor": "ko", "tha": "th", "swa": "sw", "nld": "nl", "dut": "nl", "smo": "sm", "tgl": "tl",
}


def _language_code(raw: str) -> str | None:
    text = raw.strip()
    if not text:
        return None
    base = re.split(r"[-_]", text, maxsplit=1)[0].lower()
    if len(base) == 2 and base in LANGUAGE_NAMES:
        return base
    if len(base) == 3 and base in _ISO639_2:
        return _ISO639_2[base]
    return code_for_name(text)


def _languages_of(obj: dict, where: str, issues: Issues) -> list[str]:
    """Codes of an object's `languages` list (3.0 code/name, 1.1 `language`)."""
    codes: list[str] = []
    for lang, path in _items(obj, "languages", where, issues):
        for key in ("code", "name", "language"):
            raw = _s(lang.get(key))
            if not raw:
                continue
            parts = [p for p in re.split(r"[,;]", raw) if p.strip()] if key == "language" else [raw]
            for part in parts:
                code = _language_code(part)
                if code is None:
                    issues.append(ValidationIssue(path, key, f"'{part.strip()}' is not a language Signpost knows: "
                                                             "use an ISO 639-1 code such as 'en' or 'pl'"))
                elif code not in codes:
                    codes.append(code)
            break
    return codes


# ---- gender, ages, cost, accessibility from words ----------------------------------------------
_FEMALE_TERMS = {"women-only", "female-only", "woman-only", "ladies-only"}
_MALE_TERMS = {"men-only", "male-only", "man-only"}
_FEMALE_TEXT = re.compile(r"\b(?:women|woman|female|ladies)[\s-]+only\b|\bonly\s+(?:for\s+)?(?:women|females|ladies)\b", re.I)
_MALE_TEXT = re.compile(r"\b(?:men|man|male)[\s-]+only\b|\bonly\s+(?:for\s+)?(?:men|males)\b", re.I)


def _term_gender(term: str) -> str | None:
    key = re.sub(r"[\s_]+", "-", term.strip().lower())
    if key in _FEMALE_TERMS:
        return "female"
    if key in _MALE_TERMS:
        return "male"
    return None


def _text_genders(text: str) -> set[str]:
    found = set()
    if _FEMALE_TEXT.search(text):
        found.add("female")
    if _MALE_TEXT.search(text):
        found.add("male")
    return found


_AGE_RANGE = re.compile(r"\b(\d{1,3})\s*(?:-|–|to)\s*(\d{1,3})\b")
_AGE_MIN = re.compile(r"\b(\d{1,3})\s*(?:\+|(?:years?\s*)?(?:and|or)\s*(?:over|older|above|up)\b)", re.I)
_AGE_UNDER = re.compile(r"\b(?:under|below|younger than)\s*(\d{1,3})\b", re.I)
_AGE_MAX = re.compile(r"\b(\d{1,3})\s*(?:years?\s*)?(?:and|or)\s*(?:under|younger|below)\b", re.I)


def _ages_from_text(text: str) -> tuple[int | None, int | None]:
    """Age limits a sentence states with numbers; nothing is read from words alone."""
    ranges = _AGE_RANGE.findall(text)
    if len(ranges) == 1:
        return int(ranges[0][0]), int(ranges[0][1])
    if ranges:
        return None, None
    mins = {int(m) for m in _AGE_MIN.findall(text)}
    maxs = {int(m) - 1 for m in _AGE_UNDER.findall(text)} | {int(m) for m in _AGE_MAX.findall(text)}
    return (mins.pop() if len(mins) == 1 else None), (maxs.pop() if len(maxs) == 1 else None)


_COST_RANK = {"free": 0, "low_cost": 1, "paid": 2}
_FREE_TEXT = re.compile(r"\b(?:free(?: of charge)?|no (?:charges?|costs?|fees?)|costs? nothing|without charge)\b", re.I)
_LOW_TEXT = re.compile(r"\b(?:low[- ]cost|pay[- ]as[- ]you[- ](?:can|feel|wish)|pay what you can|donations?|subsidi[sz]ed)\b", re.I)
_PAID_TEXT = re.compile(r"\b(?:we charge|there is a charge|charges? apply|fees? apply|fees? (?:is|are) payable|you pay|pay for)\b", re.I)
_MONEY = re.compile(r"(?:£|\$|€|\b(?:GBP|USD|EUR)\s?)\s?(\d+(?:[.,]\d{1,2})?)"
                    r"|\b(\d+(?:\.\d{1,2})?)\s?(?:(?P<pence>pence\b|p\b)|pounds?\b|GBP\b|USD\b|EUR\b)", re.I)
_EQUIVALENT_CURRENCIES = {"", "gbp", "eur", "usd", "£", "€", "$"}


def _amount_level(amount: float, pence: bool = False) -> str:
    if pence:
        amount /= 100
    if amount == 0:
        return "free"
    return "low_cost" if amount <= LOW_COST_MAX else "paid"


def _text_cost(text: str) -> str | None:
    levels = []
    for m in _MONEY.finditer(text):
        raw = (m.group(1) or m.group(2)).replace(",", ".")
        levels.append(_amount_level(float(raw), pence=bool(m.group("pence"))))
    if _FREE_TEXT.search(text):
        levels.append("free")
    rest = _FREE_TEXT.sub(" ", text)
    if _LOW_TEXT.search(rest):
        levels.append("low_cost")
    if _PAID_TEXT.search(rest):
        levels.append("paid")
    return max(levels, key=_COST_RANK.__getitem__) if levels else None


_NOT_ACCESSIBLE = re.compile(
    r"\b(?:not|no|isn't|without)\b[^.;]{0,40}?\b(?:wheelchair|step[- ]free|level access|accessible|disabled access)"
    r"|\binaccessible\b|\bsteps only\b|\bunsuitable for wheelchairs?\b", re.I)
_ACCESSIBLE = re.compile(r"\b(?:wheelchairs?|step[- ]free|level access|ramps?|lifts?|elevators?|accessible)\b", re.I)


def _wheelchair(texts: Iterable[str]) -> bool | None:
    texts = [t for t in texts if t]
    if any(_NOT_ACCESSIBLE.search(t) for t in texts):
        return False
    if any(_ACCESSIBLE.search(t) for t in texts):
        return True
    return None


_SAYS_CALL = re.compile(r"\b(?:call|ring|phone|telephone)\b", re.I)
_NO_INTERPRETER = re.compile(r"^\s*(?:no|none|n/?a|not available|no interpret\w*)\b", re.I)
_INACTIVE = {"inactive", "defunct", "temporarily closed", "temporarily_closed", "closed"}


# ---- schedules ---------------------------------------------------------------------------------
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_BY_NAME = {name.lower(): code for name, code in zip(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), _DAY_CODES, strict=True)}


def _hhmm(value: Any) -> str:
    text = _s(value)
    m = re.match(r"^(\d{1,2}):(\d{2})", text)
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else text


def _ordinal(n: int) -> str:
    if n == -1:
        return "last"
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _days_text(days: list[tuple[int | None, int]]) -> str:
    plain = sorted({d for o, d in days if o is None})
    runs: list[list[int]] = []
    for d in plain:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{_DAY_SHORT[run[0]]}-{_DAY_SHORT[run[-1]]}")
        else:
            parts.extend(_DAY_SHORT[d] for d in run)
    parts.extend(f"{_ordinal(o)} {_DAY_SHORT[d]}" for o, d in days if o is not None)
    return ", ".join(dict.fromkeys(parts))


def _schedule_text(schedules: list[dict]) -> str:
    groups: dict[tuple[str, str], list[tuple[int | None, int]]] = {}
    loose: list[str] = []
    for sch in schedules:
        days: list[tuple[int | None, int]] = []
        for token in re.split(r"[,\s]+", _s(sch.get("byday")).upper()):
            m = re.fullmatch(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)", token)
            if m:
                days.append((int(m.group(1)) if m.group(1) else None, _DAY_CODES.index(m.group(2))))
        opens, closes = _hhmm(sch.get("opens_at")), _hhmm(sch.get("closes_at"))
        times = f"{opens}-{closes}" if opens and closes else f"from {opens}" if opens else f"until {closes}" if closes else ""
        if not days and not times:
            if _s(sch.get("description")):
                loose.append(_s(sch.get("description")))
            continue
        prefix = ""
        try:
            interval = int(float(_s(sch.get("interval")) or 1))
        except (ValueError, OverflowError):  # not a number, or infinite / beyond a float
            interval = 1
        if _s(sch.get("freq")).upper() == "WEEKLY" and interval >= 2:
            prefix = "Fortnightly" if interval == 2 else f"Every {interval} weeks"
        groups.setdefault((prefix, times), []).extend(days)
    pieces = [" ".join(p for p in (prefix, _days_text(days), times) if p) for (prefix, times), days in groups.items()]
    return "; ".join(dict.fromkeys(pieces + loose))


# ---- one service -> listings -------------------------------------------------------------------
@dataclass
class _Service:
    """A service found in the input, with what surrounds it there."""

    obj: dict
    path: str
    org: dict | None = None
    org_path: str = ""
    sals: list[tuple[dict, str]] | None = None  # None: the service's own service_at_locations
    eligibility: list[dict] = field(default_factory=list)  # HSDS 1.1/2.0 eligibility rows
    english_implied: bool = False  # HSDS 1.1 languages are "languages other than English"


@dataclass
class _Place:
    # venue: physical, with usable coordinates; unplaced: physical, coordinates missing or out of
    # range (dropped); virtual; ignored (postal, or no location object); invalid (an error found)
    kind: str
    path: str
    name: str = ""
    loc_id: str = ""
    sal: dict | None = None
    sal_id: str = ""
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    postcode: str = ""
    wheelchair: bool | None = None
    languages: list[str] = field(default_factory=list)
    sal_phones: list[str] = field(default_factory=list)  # the service's phones at this place
    loc_phones: list[str] = field(default_factory=list)  # the building's phones
    # why an unplaced venue has no coordinates: (HSDS field, reason), and whether values were dropped
    problems: list[tuple[str, str]] = field(default_factory=list)
    dropped: bool = False


def _phones(obj: dict | None, where: str, issues: Issues) -> list[str]:
    if not obj:
        return []
    out = []
    for phone, path in _items(obj, "phones", where, issues):
        number = _text(phone, "number", path, issues).strip().strip("\"'").strip()
        if not number or _s(phone.get("type")).lower() in ("fax", "pager"):
            continue
        ext = _s(phone.get("extension"))
        out.append(f"{number} ext. {ext}" if ext else number)
    return out


def _place(loc: dict, path: str, issues: Issues) -> _Place:
    place = _Place(kind="ignored", path=path, name=_s(loc.get("name")), loc_id=_s(loc.get("id")))
    ltype = _s(loc.get("location_type")).lower()
    if ltype == "virtual":
        place.kind = "virtual"
        return place
    if ltype == "postal":
        return place
    before = len(issues)
    lat = _number(loc.get("latitude"), path, "latitude", issues)
    lon = _number(loc.get("longitude"), path, "longitude", issues)
    if len(issues) > before:  # text that is no number at all is an error, not a venue to place later
        place.kind = "invalid"
        return place
    addresses = _items(loc, "addresses", path, issues)
    addresses.sort(key=lambda a: 0 if _s(a[0].get("address_type")).lower() == "physical" else 1)
    addresses = [a for a in addresses if _s(a[0].get("address_type")).lower() != "virtual"]
    if addresses:
        addr = addresses[0][0]
        parts = [_s(addr.get(k)) for k in ("address_1", "address_2", "address_3", "address_4", "city")]
        place.address = ", ".join(dict.fromkeys(p for p in parts if p))
        place.postcode = _s(addr.get("postal_code"))
    texts = []
    for acc, _ in _items(loc, "accessibility", path, issues):
        texts.extend(_s(acc.get(k)) for k in ("description", "details", "accessibility"))
    place.wheelchair = _wheelchair(texts)
    place.languages = _languages_of(loc, path, issues)
    place.loc_phones = _phones(loc, path, issues)
    # A physical location (1.1 has no location_type: every location is one) is a venue when its
    # coordinates are usable; else it is "unplaced": the coordinates are dropped, never guessed.
    if lat is not None and not -90 <= lat <= 90:
        place.problems.append(("latitude", f"{_s(loc.get('latitude'))} is not a latitude (-90 to 90)"))
    if lon is not None and not -180 <= lon <= 180:
        place.problems.append(("longitude", f"{_s(loc.get('longitude'))} is not a longitude (-180 to 180)"))
    if (lat is None) != (lon is None):
        given, missing = ("latitude", "longitude") if lon is None else ("longitude", "latitude")
        place.problems.append((missing, f"{given} {_s(loc.get(given))} is given without a {missing}"))
    place.dropped = bool(place.problems)
    if lat is None and lon is None:
        has = "an address but " if place.address or place.postcode else ""
        place.problems.append(("latitude", f"{_describe(place)} has {has}no latitude and longitude"))
    if place.problems:
        place.kind = "unplaced"
    else:
        place.kind, place.latitude, place.longitude = "venue", lat, lon
    return place


# Which HSDS field a listing's field comes from, for issues the record itself finds.
_HSDS_FIELD = {
    "organisation": "organization", "website": "url", "phone": "phones", "min_age": "minimum_age",
    "max_age": "maximum_age", "last_verified": "assured_date", "domains": "attributes",
    "gender": "attributes", "cost": "attributes", "categories": "attributes", "extra": "attributes",
    "delivery": "service_at_locations", "schedule": "schedules",
    "interpreter_available": "interpretation_services", "address": "addresses",
    "postcode": "addresses", "wheelchair_accessible": "accessibility",
}


_PHYSICAL = ("venue", "unplaced", "invalid")


def _delivery(svc: _Service, p: str, label: str, description: str, declared: list[str], places: list[_Place],
              service_phones: list[str], org_phones: list[str], issues: Issues) -> list[str]:
    """How people take part (module docstring, "delivery"); [] with an issue when it cannot be told."""
    if declared:  # Signpost's own convention decides
        return list(declared)
    s = svc.obj
    physical = any(pl.kind in _PHYSICAL for pl in places)
    own_phones = service_phones + [n for pl in places for n in pl.sal_phones]
    any_phone = own_phones or org_phones or any(pl.loc_phones for pl in places)
    says_call = _SAYS_CALL.search(" ".join((_s(s.get("application_process")), description)))
    modes = []
    if physical:  # placed or not: the file says people go there
        modes.append("in_person")
    if any(pl.kind == "virtual" for pl in places):
        modes.append("online")
    if not physical and (own_phones or (says_call and any_phone)):
        modes.append("phone")
    if not physical and not modes and _s(s.get("url")):
        modes.append("online")
    if not modes:
        named = [f"'{pl.name}'" for pl in places if pl.kind == "ignored" and pl.name]
        where = f" (its location {', '.join(named)} is a postal address only)" if named else ""
        issues.append(ValidationIssue(p, "service_at_locations", f"cannot tell how '{label}' is delivered: it has no "
                                                                 f"physical or virtual location{where}, no phone "
                                                                 "number of its own and no website"))
    return modes


def _service_listings(svc: _Service, issues: Issues, warnings: Issues) -> list[tuple[Resource, str]]:
    s = svc.obj
    p = _where(s, svc.path)
    mine: Issues = []
    sid = _text(s, "id", p, mine)
    name = _text(s, "name", p, mine)
    org = svc.org
    org_path = svc.org_path
    if org is None and isinstance(s.get("organization"), dict):
        org, org_path = s["organization"], f"{p}.organization"
    org_path = _where(org, org_path) if org is not None else ""
    org = org or {}

    description = _text(s, "description", p, mine) or _text(org, "description", org_path, mine)
    if not description:
        mine.append(ValidationIssue(p, "description", "is required: neither the service nor its organization has a description"))

    # attributes: Signpost's conventions, gender terms, categories
    categories: list[str] = []
    domains: list[str] = []
    delivery_attr: list[str] = []
    cost_attr: str | None = None
    genders: set[str] = set()
    extra: dict[str, str] = {}
    contact: dict[str, str] = {}
    for attr, _ in _items(s, "attributes", p, mine):
        term = attr.get("taxonomy_term") if isinstance(attr.get("taxonomy_term"), dict) else {}
        detail = term.get("taxonomy_detail") if isinstance(term.get("taxonomy_detail"), dict) else {}
        taxonomy = (_s(term.get("taxonomy")) or _s(detail.get("name"))).lower()
        code, tname = _s(term.get("code")), _s(term.get("name"))
        label = tname or code
        if taxonomy == "signpost_domains":
            domains.append(code or tname)
        elif taxonomy == "signpost_delivery":
            delivery_attr.append(code or tname)
        elif taxonomy == "signpost_cost":
            cost_attr = code or tname
        elif taxonomy == "signpost_extra":
            if code:
                extra[code] = _s(attr.get("value"))
        elif taxonomy == "signpost_contact":
            if code in ("website", "email"):
                contact[code] = _s(attr.get("value"))
        elif taxonomy == "signpost_eligibility" or _term_gender(code) or _term_gender(tname):
            gender = _term_gender(code) or _term_gender(tname)
            if gender:
                genders.add(gender)
        elif label:
            categories.append(label)

    languages = _languages_of(s, p, mine)
    if svc.english_implied and languages and "en" not in languages:
        languages.insert(0, "en")
    interpretation = _text(s, "interpretation_services", p, mine)
    interpreter = bool(interpretation) and not _NO_INTERPRETER.match(interpretation)

    origin: dict[str, tuple[str, str]] = {}
    min_age = _whole(s.get("minimum_age"), p, "minimum_age", mine)
    max_age = _whole(s.get("maximum_age"), p, "maximum_age", mine)
    genders |= _text_genders(_text(s, "eligibility_description", p, mine))
    for row in svc.eligibility:
        where = _where(row, p)
        text = _s(row.get("eligibility"))
        if text.lower() in ("female", "male"):
            genders.add(text.lower())
        genders |= _text_genders(text)
        lo = _whole(row.get("minimum_age"), where, "minimum_age", mine)
        hi = _whole(row.get("maximum_age"), where, "maximum_age", mine)
        if lo is None and hi is None:
            lo, hi = _ages_from_text(text)
            column = "eligibility"
        else:
            column = ""
        if lo is not None and min_age is None:
            min_age = lo
            origin["min_age"] = (where, column or "minimum_age")
        if hi is not None and max_age is None:
            max_age = hi
            origin["max_age"] = (where, column or "maximum_age")
    gender = genders.pop() if len(genders) == 1 else None

    if cost_attr is not None:
        cost: str | None = cost_attr
    else:
        levels = []
        for option, opath in _items(s, "cost_options", p, mine):
            amount = _number(option.get("amount"), opath, "amount", mine)
            currency = _s(option.get("currency")).lower()
            if amount is not None and amount < 0:
                mine.append(ValidationIssue(opath, "amount", f"{_s(option.get('amount'))} is not a price"))
            elif amount is not None:
                levels.append(_amount_level(amount) if currency in _EQUIVALENT_CURRENCIES or amount == 0 else "paid")
            else:
                level = _text_cost(" ".join(_s(option.get(k)) for k in ("option", "amount_description")))
                if level:
                    levels.append(level)
        for key in ("fees_description", "fees"):
            level = _text_cost(_text(s, key, p, mine))
            if level:
                levels.append(level)
        cost = max(levels, key=_COST_RANK.__getitem__) if levels else None

    raw_status = _text(s, "status", p, mine).lower()
    if raw_status in ("", "active"):
        status = "active"
    elif raw_status in _INACTIVE:
        status = "inactive"
    else:
        status = "active"  # reported here; not again by the record
        mine.append(ValidationIssue(p, "status", f"'{raw_status}' is not an HSDS status: use active, inactive, "
                                                 "defunct or temporarily closed"))

    last_verified = None
    assured = _text(s, "assured_date", p, mine)
    if assured:
        last_verified = _date(assured)
        if last_verified is None:
            mine.append(ValidationIssue(p, "assured_date", f"'{assured}' is not a date (use YYYY-MM-DD)"))
    else:
        dates = []
        for meta, _ in _items(s, "metadata", p, mine):
            rid, rtype = _s(meta.get("resource_id")), _s(meta.get("resource_type")).lower()
            if (rid in ("", sid)) and rtype in ("", "service"):
                d = _date(_s(meta.get("last_action_date")))
                if d:
                    dates.append(d)
        last_verified = max(dates) if dates else None

    contacts = _items(s, "contacts", p, mine)
    email = _text(s, "email", p, mine) or contact.get("email") or next(
        (_s(c.get("email")) for c, _ in contacts if _s(c.get("email"))), "") or _s(org.get("email"))
    website = _text(s, "url", p, mine) or contact.get("website") or _s(org.get("website")) or _s(org.get("url"))
    service_phones = _phones(s, p, mine)
    org_phones = _phones(org, org_path, mine)
    schedules = [sch for sch, _ in _items(s, "schedules", p, mine)]

    # places
    sals = svc.sals if svc.sals is not None else _items(s, "service_at_locations", p, mine)
    places: list[_Place] = []
    seen_locations: set[str] = set()
    for sal, spath in sals:
        sal_phones = _phones(sal, spath, mine)
        loc = sal.get("location")
        if not isinstance(loc, dict):
            place = _Place(kind="ignored", path=spath)
        else:
            lpath = _where(loc, f"{spath}.location")
            loc_id = _s(loc.get("id"))
            if loc_id and loc_id in seen_locations:
                continue
            seen_locations.add(loc_id)
            place = _place(loc, lpath, mine)
        place.sal, place.sal_id, place.sal_phones = sal, _s(sal.get("id")), sal_phones
        places.append(place)
    modes = _delivery(svc, p, name or sid, description, delivery_attr, places, service_phones, org_phones, mine)

    base: dict[str, Any] = {
        "id": sid, "name": name, "organisation": _s(org.get("name")), "description": description,
        "categories": categories, "domains": domains, "languages": languages,
        "interpreter_available": interpreter, "min_age": min_age, "max_age": max_age, "gender": gender,
        # With no mode the service is already reported; "online" only lets the record check the rest.
        "delivery": modes or ["online"], "cost": cost, "email": email, "website": website,
        "last_verified": last_verified, "status": status, "extra": extra,
    }
    origin.setdefault("min_age", (p, "minimum_age"))
    origin.setdefault("max_age", (p, "maximum_age"))
    physical = [pl for pl in places if pl.kind in _PHYSICAL]
    if "in_person" in modes:  # one listing a physical place, placed or not
        listing_places: list[_Place | None] = list(physical) or [None]
    else:
        listing_places = [next(iter(physical), None)]
    label = f"'{name or sid}'"
    if status == "active":
        until = f"{label} is imported as inactive until a curator places the venue"
    else:
        until = f"{label} is inactive (as the file says); a curator must place the venue before reactivating it"

    out: list[tuple[Resource, str]] = []
    for n, place in enumerate(listing_places):
        data = dict(base)
        if n:
            data["id"] = f"{sid}:{place.sal_id or place.loc_id or n + 1}"
        sal_schedules = [sch for sch, _ in _items(place.sal, "schedules", place.path, [])] if place and place.sal else []
        data["schedule"] = _schedule_text(sal_schedules or schedules)
        phones = service_phones + (place.sal_phones if place else []) + org_phones + (place.loc_phones if place else [])
        data["phone"] = next(iter(phones), "")
        if place is not None:
            if "in_person" in modes:
                data["languages"] = list(dict.fromkeys(languages + place.languages))
            data.update(address=place.address, postcode=place.postcode, latitude=place.latitude,
                        longitude=place.longitude, wheelchair_accessible=place.wheelchair)
            origin.update(latitude=(place.path, "latitude"), longitude=(place.path, "longitude"),
                          address=(place.path, "addresses"), postcode=(place.path, "addresses"),
                          wheelchair_accessible=(place.path, "accessibility"))
        if "in_person" in modes and (place is None or place.kind != "venue"):
            # Not placed: kept as the file says, but never offered until a curator places it.
            data["status"] = "inactive"
            if place is None:
                warnings.append(ValidationIssue(p, "service_at_locations", "says it meets in person but has no "
                                                                           f"physical location; {until}"))
            elif place.kind == "unplaced":
                warnings.append(ValidationIssue(place.path, place.problems[0][0],
                                                "; ".join(r for _, r in place.problems) + f"; {until}"))
        elif place is not None and place.kind == "unplaced" and place.dropped:
            warnings.append(ValidationIssue(place.path, place.problems[0][0], "; ".join(r for _, r in place.problems)
                                            + f"; the coordinates are left out of {label}, which does not meet in person"))
        resource, found = validate_resource(data)
        for issue in found:
            col = issue.column or ""
            row, column = origin.get(col, (p, _HSDS_FIELD.get(col, col or None)))
            if col == "description" and any(i.column == "description" for i in mine):
                continue
            mine.append(ValidationIssue(row, column, issue.message))
        if resource is not None:
            out.append((resource, p))
    issues.extend(mine)
    return [] if mine else out


def _describe(place: _Place) -> str:
    return f"location '{place.name}'" if place.name else "this location"


def _listings(services: list[_Service], issues: Issues, source: str) -> Loaded:
    """Every service's listings, or InputError with every problem of the file. Warnings are kept
    only for a file that imports (a file with errors changes nothing, so they would not apply)."""
    out: list[Resource] = []
    warnings: Issues = []
    first: dict[str, str] = {}
    for svc in services:
        for resource, path in _service_listings(svc, issues, warnings):
            if resource.id in first:
                issues.append(ValidationIssue(path, "id", f"duplicate id '{resource.id}' (first used at {first[resource.id]})"))
            else:
                first[resource.id] = path
                out.append(resource)
    if issues:
        raise InputError(list(dict.fromkeys(issues)))
    return Loaded(out, warnings)


def _nothing(source: str, what: str | None = None, message: str | None = None) -> Loaded:
    """A valid HSDS file without services: nothing to import, and a message saying so."""
    message = message or f"{source} holds {what} and no services: nothing to import"
    return Loaded([], [ValidationIssue(None, None, message)])


# ---- JSON --------------------------------------------------------------------------------------
_SERVICE_KEYS = {
    "status", "service_at_locations", "organization", "organization_id", "program_id",
    "interpretation_services", "application_process", "fees_description", "fees",
    "eligibility_description", "minimum_age", "maximum_age", "cost_options", "assured_date",
    "service_areas", "required_documents", "alert", "wait_time",
}
_ORG_KEYS = {"website", "tax_status", "tax_id", "year_incorporated", "legal_status", "logo",
             "parent_organization_id", "organization_identifiers", "programs"}
# What a JSON object is, in words (one, several); the last four kinds are not HSDS data at all.
_KIND_WORDS = {
    "service": ("an HSDS service", "HSDS services"),
    "location": ("an HSDS location", "HSDS locations"),
    "taxonomy_term": ("an HSDS taxonomy term", "HSDS taxonomy terms"),
    "taxonomy": ("an HSDS taxonomy", "HSDS taxonomies"),
    "base": ("HSDS API metadata", "HSDS API metadata"),
    "organization": ("an HSDS organization", "HSDS organizations"),
    "service_at_location": ("an HSDS service_at_location without its service",
                            "HSDS service_at_locations without their services"),
    "schema": ("a JSON Schema (the shape of HSDS data, not data)", "JSON Schemas"),
    "openapi": ("an OpenAPI description (of an HSDS API, not data)", "OpenAPI descriptions"),
    "unknown": ("an object that is no HSDS object Signpost knows", "objects that are no HSDS objects Signpost knows"),
    "not-object": ("a JSON value that is not an object", "JSON values that are not objects"),
}
_NOT_HSDS = {"schema", "openapi", "unknown", "not-object"}


def _kind_words(kinds: list[str]) -> str:
    counts = dict.fromkeys(kinds, 0)
    for kind in kinds:
        counts[kind] += 1
    words = [_KIND_WORDS[k][0 if n == 1 else 1] for k, n in counts.items()]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]


def _kind(obj: Any) -> str:
    if not isinstance(obj, dict):
        return "not-object"
    if isinstance(obj.get("properties"), dict) and {"$schema", "datapackage_metadata", "type"} & obj.keys():
        return "schema"
    if "openapi" in obj and "paths" in obj:
        return "openapi"
    if isinstance(obj.get("service"), dict):
        return "service_at_location"
    if isinstance(obj.get("services"), list):
        return "organization"
    if _SERVICE_KEYS & obj.keys():
        return "service"
    if _ORG_KEYS & obj.keys():
        return "organization"
    if {"location_type", "latitude", "longitude", "addresses", "accessibility"} & obj.keys():
        return "location"
    if "location" in obj and "name" not in obj:
        return "service_at_location"
    if {"parent_id", "taxonomy", "term_uri", "taxonomy_detail", "code"} & obj.keys():
        return "taxonomy_term"
    if {"version", "uri"} & obj.keys() and "name" in obj:
        return "taxonomy"
    if {"openapi_url", "profile"} & obj.keys():
        return "base"
    if "name" in obj:
        return "service"
    return "unknown"


_PLURAL = {"service": "services", "organization": "organizations", "service_at_location": "service_at_locations"}


def _services_in(obj: Any, path: str, kind: str, services: list[_Service], sal_index: dict[str, _Service],
                 kinds: list[str], issues: Issues) -> None:
    kinds.append(kind)
    if kind == "service":
        services.append(_Service(obj, path))
    elif kind == "organization":
        for svc, spath in _items(obj, "services", path, issues):
            services.append(_Service(svc, spath, org=obj, org_path=path))
    elif kind == "service_at_location":
        svc = obj.get("service")
        if not isinstance(svc, dict):
            return
        sal = {k: v for k, v in obj.items() if k != "service"}
        sid = _s(svc.get("id"))
        if sid and sid in sal_index:  # another place of a service already met: one service, several places
            sal_index[sid].sals.append((sal, path))
            return
        record = _Service(svc, f"{path}.service", sals=[(sal, path)])
        services.append(record)
        if sid:
            sal_index[sid] = record
    elif kind == "not-object":
        issues.append(ValidationIssue(path, None, "is not an object: expected an HSDS service, organization or "
                                                  "service_at_location"))


def _json_services(doc: Any, source: str, issues: Issues) -> tuple[list[_Service], str]:
    """The services a JSON document holds; when it is valid HSDS without any, also what it holds."""
    services: list[_Service] = []
    sal_index: dict[str, _Service] = {}
    kinds: list[str] = []
    if isinstance(doc, dict) and isinstance(doc.get("contents"), list):
        items = [(item, f"contents[{i}]") for i, item in enumerate(doc["contents"])]
        listed = True
    elif isinstance(doc, dict) and doc and all(k.endswith(".csv") and isinstance(v, list) for k, v in doc.items()):
        return _tabular_json(doc, issues), f"HSDS tables ({', '.join(doc)})"
    elif isinstance(doc, dict):
        items = [(doc, "")]
        listed = False
    elif isinstance(doc, list):
        items = [(item, f"[{i}]") for i, item in enumerate(doc)]
        listed = True
    else:
        issues.append(ValidationIssue(None, None, f"{source} holds a JSON {type(doc).__name__}, not HSDS objects"))
        return [], ""
    strangers: Issues = []
    for item, path in items:
        kind = _kind(item)
        if not listed:
            path = kind if kind in _PLURAL else ""
        elif path.startswith("["):
            path = f"{_PLURAL.get(kind, 'items')}{path}"
        _services_in(item, path, kind, services, sal_index, kinds, issues)
        if not listed and kind in _NOT_HSDS:
            issues.append(ValidationIssue(None, None, f"{source} is not HSDS data: it holds {_kind_words([kind])}; "
                                                      "import a file of HSDS services, organizations with their "
                                                      "services, or service_at_location objects"))
        elif kind in _NOT_HSDS - {"not-object"}:  # not-object: reported by _services_in
            issues.append(ValidationIssue(path, None, f"is {_kind_words([kind])}, not HSDS data"))
        elif listed and kind not in ("service", "organization", "service_at_location"):
            strangers.append(ValidationIssue(path, None, f"is {_kind_words([kind])}, not a service, organization "
                                                         "or service_at_location"))
    if services:  # a list of services with other HSDS objects among them
        issues.extend(strangers)
        return services, ""
    if not kinds:
        return services, "an empty page" if isinstance(doc, dict) else "an empty list"
    return services, _kind_words(kinds)


def _decode(data: bytes, source: str, issues: Issues) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        issues.append(ValidationIssue(line, None, f"{source} is not UTF-8 text: byte 0x{data[err.start]:02x} on line "
                                                  f"{line} cannot be read; save the file as UTF-8"))
        return None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json_bytes(data: bytes, source: str) -> Loaded:
    """The listings of an HSDS 3.0 JSON document held in memory (an upload), with their warnings."""
    issues: Issues = []
    if not data.strip():
        raise InputError([ValidationIssue(None, None, f"{source} is empty: no services")])
    text = _decode(data, source, issues)
    if text is None:
        raise InputError(issues)
    if not text.strip():
        raise InputError([ValidationIssue(None, None, f"{source} is empty: no services")])
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        cut = " (the file ends too early: it may have been cut short)" if err.pos >= len(text.rstrip()) else ""
        raise InputError([ValidationIssue(err.lineno, None, f"{source} is not valid JSON: {err.msg} at line "
                                                            f"{err.lineno}, column {err.colno}{cut}")]) from None
    except ValueError as err:
        raise InputError([ValidationIssue(None, None, f"{source} is not valid JSON: {err}")]) from None
    except RecursionError:
        raise InputError([ValidationIssue(None, None, f"{source} is nested too deeply to be HSDS")]) from None
    services, holds = _json_services(doc, source, issues)
    if not services and not issues:
        return _nothing(source, holds)
    return _listings(services, issues, source)


def read_json(path: str | os.PathLike) -> Loaded:
    """The listings of an HSDS 3.0 JSON file: a service, an organization with its services, a
    service_at_location, a list of any of these, or an API page ({"contents": [...]})."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError([ValidationIssue(None, None, f"{path.name} cannot be read: {err.strerror}")]) from None
    return parse_json_bytes(data, path.name)


# ---- tabular (datapackages) ----------------------------------------------------------------------
_V3_FILES = {"service_at_location.csv", "addresses.csv", "schedules.csv", "cost_options.csv",
             "accessibility.csv", "attributes.csv", "taxonomy_terms.csv"}
_V1_FILES = {"services_at_location.csv", "physical_addresses.csv", "postal_addresses.csv",
             "regular_schedules.csv", "holiday_schedules.csv", "accessibility_for_disabilities.csv",
             "eligibility.csv", "payments_accepted.csv", "services_taxonomy.csv"}


def _read_table(name: str, data: bytes, issues: Issues) -> list[_Row]:
    text = _decode(data, name, issues)
    if text is None:
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in reader.fieldnames or []]
    except csv.Error as err:
        issues.append(ValidationIssue(f"{name} row 1", None, f"the header cannot be read as CSV: {err}"))
        return []
    for col in {h for h in header if header.count(h) > 1}:
        issues.append(ValidationIssue(f"{name} row 1", col, "appears twice in the header"))
    reader.fieldnames = header
    rows: list[_Row] = []
    record = 1
    try:
        for row in reader:
            record += 1
            if None in row:
                issues.append(ValidationIssue(f"{name} row {record}", None, "has more cells than the header has columns"))
            cells = {k: (v or "") for k, v in row.items() if k is not None}
            if all(not v.strip() for v in cells.values()):
                continue
            rows.append(_Row(cells, f"{name} row {record}"))
    except csv.Error as err:
        issues.append(ValidationIssue(f"{name} row {record + 1}", None, f"cannot be read as CSV: {err}"))
    return rows


def _version(files: dict[str, bytes], tables: dict[str, list[_Row]]) -> str:
    names = set(files)
    try:
        package = json.loads(files.get("datapackage.json", b"").decode("utf-8-sig"))
        names |= {PurePosixPath(_s(r.get("path"))).name for r in package.get("resources", []) if isinstance(r, dict)}
    except (ValueError, AttributeError, TypeError, RecursionError):
        pass  # HSDS 3.0's own example ships a stub here (or it is junk); the file names decide
    v3, v1 = len(names & _V3_FILES), len(names & _V1_FILES)
    if v3 != v1:
        return "3.0" if v3 > v1 else "1.1"
    header = set(tables["services.csv"][0]) if tables.get("services.csv") else set()
    return "1.1" if "taxonomy_ids" in header and "minimum_age" not in header else "3.0"


def _by(rows: list[_Row], key: str) -> dict[str, list[_Row]]:
    out: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        value = _s(row.get(key))
        if value:
            out[value].append(row)
    return out


def _weekday_code(value: str) -> str:
    value = value.strip()
    if value.isdigit() and 1 <= int(value) <= 7:
        return _DAY_CODES[int(value) - 1]  # HSDS 1.1.1: 1 = Monday
    key = value.lower()
    for name, code in _DAY_BY_NAME.items():
        if key and (key == name or key == name[:3] or key == code.lower()):
            return code
    return ""


def _services_from_tables(t: dict[str, list[_Row]], version: str, issues: Issues) -> list[_Service]:
    def rows(name: str) -> list[_Row]:
        return t.get(name, [])

    v3 = version == "3.0"
    orgs = {_s(r.get("id")): r for r in rows("organizations.csv")}
    locations = {_s(r.get("id")): _Row({**r, "addresses": [], "accessibility": [], "languages": [], "phones": []},
                                       r.where) for r in rows("locations.csv")}
    services = {_s(r.get("id")): _Row({**r, "phones": [], "languages": [], "schedules": [], "cost_options": [],
                                       "attributes": [], "contacts": [], "metadata": []}, r.where)
                for r in rows("services.csv")}
    for org in orgs.values():
        org["phones"] = []

    address_tables = [("addresses.csv", None)] if v3 else [("physical_addresses.csv", "physical"),
                                                          ("postal_addresses.csv", "postal")]
    for table, atype in address_tables:
        for r in rows(table):
            loc = locations.get(_s(r.get("location_id")))
            if loc is not None:
                loc["addresses"].append(_Row({**r, "address_type": atype or _s(r.get("address_type"))}, r.where))
    for r in rows("accessibility.csv" if v3 else "accessibility_for_disabilities.csv"):
        loc = locations.get(_s(r.get("location_id")))
        if loc is not None:
            words = _s(r.get("accessibility")).replace("_", " ")
            loc["accessibility"].append(_Row({"description": " ".join(x for x in (words, _s(r.get("description"))) if x),
                                              "details": _s(r.get("details"))}, r.where))
    for r in rows("languages.csv"):
        owner = services.get(_s(r.get("service_id"))) or (None if _s(r.get("service_id")) else
                                                          locations.get(_s(r.get("location_id"))))
        if owner is not None:
            owner["languages"].append(r)

    sals = {}
    for r in rows("service_at_location.csv" if v3 else "services_at_location.csv"):
        sal = _Row({**r, "phones": [], "schedules": []}, r.where)
        loc_id = _s(r.get("location_id"))
        if loc_id and loc_id not in locations:
            issues.append(ValidationIssue(r.where, "location_id", f"refers to location '{loc_id}', which locations.csv "
                                                                  "does not have"))
        sal["location"] = locations.get(loc_id)
        sid = _s(r.get("service_id"))
        if sid not in services:
            issues.append(ValidationIssue(r.where, "service_id", f"refers to service '{sid}', which services.csv does "
                                                                 f"not have"))
        sals[_s(r.get("id")) or r.where] = sal

    for r in rows("phones.csv"):
        for key, owners in (("service_id", services), ("service_at_location_id", sals), ("organization_id", orgs),
                            ("location_id", locations)):
            owner = owners.get(_s(r.get(key)))
            if owner is not None:
                owner["phones"].append(r)

    schedule_rows = rows("schedules.csv") if v3 else [
        _Row({**r, "byday": _weekday_code(_s(r.get("weekday")))}, r.where) for r in rows("regular_schedules.csv")]
    for r in schedule_rows:
        sal = sals.get(_s(r.get("service_at_location_id")))
        if sal is not None:
            sal["schedules"].append(r)
        elif _s(r.get("service_id")) in services:
            services[_s(r.get("service_id"))]["schedules"].append(r)
    for r in rows("cost_options.csv"):
        if _s(r.get("service_id")) in services:
            services[_s(r.get("service_id"))]["cost_options"].append(r)
    for r in rows("contacts.csv"):
        if _s(r.get("service_id")) in services:
            services[_s(r.get("service_id"))]["contacts"].append(r)
    for r in rows("metadata.csv"):
        if _s(r.get("resource_id")) in services:
            services[_s(r.get("resource_id"))]["metadata"].append(r)

    if v3:
        taxonomies = {_s(r.get("id")): r for r in rows("taxonomies.csv")}
        terms = {_s(r.get("id")): r for r in rows("taxonomy_terms.csv")}
        for r in rows("attributes.csv"):
            svc = services.get(_s(r.get("link_id")))
            term = terms.get(_s(r.get("taxonomy_term_id")))
            if svc is None or term is None or _s(r.get("link_entity")).lower() not in ("", "service"):
                continue
            taxonomy = _s(term.get("taxonomy")) or _s(taxonomies.get(_s(term.get("taxonomy_id")), {}).get("name"))
            svc["attributes"].append(_Row({"value": r.get("value"), "taxonomy_term": {**term, "taxonomy": taxonomy}},
                                          r.where))
    else:
        vocabulary = {_s(r.get("id")): r for r in rows("taxonomy.csv")}
        links = [(_s(r.get("service_id")), _s(r.get("taxonomy_id")), r.where) for r in rows("services_taxonomy.csv")]
        links += [(sid, tid.strip(), svc.where) for sid, svc in services.items()
                  for tid in _s(svc.get("taxonomy_ids")).split(",") if tid.strip()]
        for sid, tid, where in links:
            if sid in services and tid in vocabulary:
                term = vocabulary[tid]
                services[sid]["attributes"].append(_Row({"taxonomy_term": {
                    "name": _s(term.get("name")), "taxonomy": _s(term.get("vocabulary"))}}, where))

    eligibility = _by(rows("eligibility.csv"), "service_id")
    sals_of = defaultdict(list)
    for sal in sals.values():
        sals_of[_s(sal.get("service_id"))].append((sal, sal.where))
    out = []
    for sid, svc in services.items():
        org_id = _s(svc.get("organization_id"))
        if org_id and org_id not in orgs:
            issues.append(ValidationIssue(svc.where, "organization_id", f"refers to organization '{org_id}', which "
                                                                        "organizations.csv does not have"))
        org = orgs.get(org_id)
        out.append(_Service(svc, svc.where, org=org, org_path=org.where if org is not None else "",
                            sals=sals_of.get(sid, []), eligibility=eligibility.get(sid, []),
                            english_implied=not v3))
    return out


def _tabular_json(doc: dict, issues: Issues) -> list[_Service]:
    """HSDS 3.0 tabular data as JSON ({"services.csv": [...], ...}), read like a datapackage."""
    tables = {name: [_Row(r, f"{name}[{i}]") for i, r in enumerate(rows) if isinstance(r, dict)]
              for name, rows in doc.items()}
    if not tables.get("services.csv"):
        return []
    return _services_from_tables(tables, "3.0", issues)


# Tables of HSDS datapackages (3.0, 2.0, 1.1) other than services.csv: a package of these alone
# (taxonomies, organizations, locations) is valid HSDS with nothing to import.
_HSDS_TABLES = _V3_FILES | _V1_FILES | {
    "organizations.csv", "locations.csv", "phones.csv", "contacts.csv", "languages.csv", "programs.csv",
    "funding.csv", "service_areas.csv", "required_documents.csv", "metadata.csv", "meta_table_descriptions.csv",
    "taxonomies.csv", "taxonomy.csv", "organization_identifiers.csv", "service_attributes.csv",
    "other_attributes.csv", "location_attributes.csv",
}


def _read_package(files: dict[str, bytes], source: str) -> Loaded:
    issues: Issues = []
    if "services.csv" not in files:
        known = sorted(n for n in files if n in _HSDS_TABLES)
        if known and "datapackage.json" in files:
            return _nothing(source, f"HSDS tables ({', '.join(known)})")
        raise InputError([ValidationIssue(None, None, f"{source} has no services.csv: not an HSDS datapackage")])
    tables = {name: _read_table(name, data, issues) for name, data in sorted(files.items()) if name.endswith(".csv")}
    if issues:
        raise InputError(issues)
    if not tables["services.csv"]:
        return _nothing(source, message=f"{source}: services.csv has no rows, so no services: nothing to import")
    if "id" not in tables["services.csv"][0]:
        raise InputError([ValidationIssue("services.csv row 1", "id", "required column is missing from the header")])
    version = _version(files, tables)
    services = _services_from_tables(tables, version, issues)
    return _listings(services, issues, f"{source} (services.csv)")


def read_datapackage(folder: str | os.PathLike) -> Loaded:
    """The listings of an HSDS CSV datapackage folder: 3.0 tabular, or 1.1/2.0 (told apart by
    their file names and datapackage.json)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError([ValidationIssue(None, None, f"{folder} is not a folder")])
    files = {}
    for p in sorted(folder.iterdir()):
        if p.is_file() and (p.suffix.lower() == ".csv" or p.name == "datapackage.json"):
            try:
                files[p.name] = p.read_bytes()
            except OSError as err:
                raise InputError([ValidationIssue(None, None, f"{p.name} cannot be read: {err.strerror}")]) from None
    return _read_package(files, folder.name)


def _unsafe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return (name.startswith(("/", "\\")) or "\\" in name or "\x00" in name or ".." in path.parts
            or bool(re.match(r"^[A-Za-z]:", name)))


def read_zip_bytes(data: bytes, source: str) -> Loaded:
    """The listings of a zipped HSDS datapackage (or a zip holding one HSDS JSON file), read in
    memory: nothing is extracted to disk; unsafe names, too many members, oversized or
    suspiciously compressed members are refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise InputError([ValidationIssue(None, None, f"{source} is not a readable zip file")]) from None
    issues: Issues = []
    files: dict[str, bytes] = {}
    with archive:
        infos = [i for i in archive.infolist() if i.filename.strip("/.") and not i.filename.endswith("/")]
        if len(infos) > MAX_ZIP_MEMBERS:
            raise InputError([ValidationIssue(None, None, f"{source} holds {len(infos)} files; a datapackage has at "
                                                          f"most {MAX_ZIP_MEMBERS}")])
        total = 0
        for info in infos:
            name = info.filename
            if _unsafe_member(name):
                issues.append(ValidationIssue(name, None, "is not a safe file name inside a zip (absolute, or with '..')"))
                continue
            path = PurePosixPath(name)
            if path.parts[0] == "__MACOSX" or path.name.startswith(".") or path.suffix.lower() not in (".csv", ".json"):
                continue
            if info.flag_bits & 0x1:
                issues.append(ValidationIssue(name, None, "is encrypted; zip the datapackage without a password"))
                continue
            if info.file_size > MAX_ZIP_TOTAL_BYTES or (
                    info.file_size > 1024 * 1024 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1)):
                issues.append(ValidationIssue(name, None, f"unpacks to {info.file_size / 1e6:.0f} MB: too large or too "
                                                          "compressed to be a datapackage file"))
                continue
            chunks = []
            try:
                with archive.open(info) as member:
                    while chunk := member.read(1024 * 1024):
                        total += len(chunk)
                        if total > MAX_ZIP_TOTAL_BYTES:
                            raise InputError([ValidationIssue(None, None, f"{source} unpacks to more than "
                                                                          f"{MAX_ZIP_TOTAL_BYTES / 1e6:.0f} MB")])
                        chunks.append(chunk)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError,
                    ValueError) as err:
                issues.append(ValidationIssue(name, None, f"cannot be unpacked: {err}"))
                continue
            files[name] = b"".join(chunks)
    if issues:
        raise InputError(issues)
    folders = sorted({str(PurePosixPath(n).parent) for n in files if PurePosixPath(n).name == "services.csv"}) or \
        sorted({str(PurePosixPath(n).parent) for n in files if PurePosixPath(n).name == "datapackage.json"})
    if len(folders) > 1:
        raise InputError([ValidationIssue(None, None, f"{source} holds several datapackages ({', '.join(folders)}); "
                                                      "zip one at a time")])
    if folders:
        tables = {PurePosixPath(n).name: b for n, b in files.items() if str(PurePosixPath(n).parent) == folders[0]}
        return _read_package(tables, source)
    documents = [n for n in files if n.lower().endswith(".json") and PurePosixPath(n).name != "datapackage.json"]
    if len(documents) == 1:
        return parse_json_bytes(files[documents[0]], f"{source}/{documents[0]}")
    raise InputError([ValidationIssue(None, None, f"{source} holds no services.csv (nor a single HSDS JSON file): "
                                                  "zip the folder of an HSDS datapackage")])


# ---- export ------------------------------------------------------------------------------------
def _uid(*parts: str) -> str:
    return str(uuid.uuid5(_NS, "\x1f".join(parts)))


def _attribute(sid: str, taxonomy: str, code: str, name: str, description: str, value: str | None = None) -> dict:
    term_id = _uid("term", taxonomy, code)
    attr: dict[str, Any] = {
        "id": _uid(sid, "attribute", taxonomy, code),
        "taxonomy_term_id": term_id,
        "link_type": "service",
        "link_entity": "service",
    }
    if value is not None:
        attr["value"] = value
    attr["taxonomy_term"] = {"id": term_id, "code": code, "name": name, "description": description, "taxonomy": taxonomy}
    return attr


_COST_WORDS = {"free": "Free", "low_cost": "Low cost", "paid": "There is a charge"}


def _service_object(r: Resource) -> dict:
    sid = r.id
    obj: dict[str, Any] = {"id": sid}
    org_id = _uid(sid, "organization") if r.organisation else None
    if org_id:
        obj["organization_id"] = org_id
    obj.update(name=r.name, description=r.description)
    if _is_uri(r.website):
        obj["url"] = r.website
    if _is_email(r.email):
        obj["email"] = r.email
    obj["status"] = r.status
    if r.interpreter_available:
        obj["interpretation_services"] = "Interpreters are available."
    if r.cost:
        obj["fees_description"] = _COST_WORDS[r.cost]
    if r.gender:
        obj["eligibility_description"] = "Women only" if r.gender == "female" else "Men only"
    if r.min_age is not None:
        obj["minimum_age"] = r.min_age
    if r.max_age is not None:
        obj["maximum_age"] = r.max_age
    if r.last_verified:
        obj["assured_date"] = r.last_verified.isoformat()
    if r.phone:
        obj["phones"] = [{"id": _uid(sid, "phone"), "number": r.phone}]
    if r.schedule:
        obj["schedules"] = [{"id": _uid(sid, "schedule"), "description": r.schedule}]
    sals = []
    # An in-person listing always gets its physical location, without coordinates while it is
    # unplaced (inactive): import reads that back as the same unplaced, inactive listing.
    has_place = ("in_person" in r.delivery or r.latitude is not None or r.address or r.postcode
                 or r.wheelchair_accessible is not None)
    if has_place:
        loc_id = _uid(sid, "location")
        location: dict[str, Any] = {"id": loc_id, "location_type": "physical"}
        if r.address:
            location["name"] = r.address
        if r.latitude is not None:
            location.update(latitude=r.latitude, longitude=r.longitude)
        if r.address or r.postcode:
            location["addresses"] = [{"id": _uid(sid, "address"), "address_1": r.address, "city": "",
                                      "state_province": "", "postal_code": r.postcode, "country": "GB",
                                      "address_type": "physical"}]
        if r.wheelchair_accessible is not None:
            location["accessibility"] = [{"id": _uid(sid, "accessibility"), "description":
                                          "Wheelchair accessible" if r.wheelchair_accessible else "Not wheelchair accessible"}]
        sals.append({"id": _uid(sid, "service_at_location"), "location_id": loc_id, "location": location})
    if "online" in r.delivery:
        loc_id = _uid(sid, "online")
        location = {"id": loc_id, "location_type": "virtual", "name": "Online"}
        if _is_uri(r.website):
            location["url"] = r.website
        sals.append({"id": _uid(sid, "service_at_location", "online"), "location_id": loc_id, "location": location})
    if sals:
        obj["service_at_locations"] = sals
    obj["languages"] = [{"id": _uid(sid, "language", code), "name": language_name(code), "code": code}
                        for code in r.languages]
    if r.organisation:
        obj["organization"] = {"id": org_id, "name": r.organisation, "description": ""}
    if r.cost == "free":
        obj["cost_options"] = [{"id": _uid(sid, "cost_option"), "option": "Free", "currency": "GBP", "amount": 0}]
    attrs = [_attribute(sid, "signpost_delivery", m, m.replace("_", " ").capitalize(),
                        "How people take part (Signpost delivery mode)") for m in r.delivery]
    attrs += [_attribute(sid, "signpost_domains", d, DOMAIN_LABELS[d].capitalize(),
                         "A needs domain this meets (Signpost)") for d in r.domains]
    if r.cost:
        attrs.append(_attribute(sid, "signpost_cost", r.cost, _COST_WORDS[r.cost], "What it costs (Signpost)"))
    if r.gender:
        code = "women-only" if r.gender == "female" else "men-only"
        attrs.append(_attribute(sid, "signpost_eligibility", code, code.replace("-", " ").capitalize(),
                                "Open to one gender only (Signpost)"))
    attrs += [_attribute(sid, "signpost_categories", c, c, "A curator's tag (Signpost)") for c in r.categories]
    # A website or email the schema's formats would refuse ("example.org") is kept as text.
    attrs += [_attribute(sid, "signpost_contact", key, key.capitalize(), "Contact text that is not a URI or an email "
                         "address (Signpost)", value)
              for key, value, ok in (("website", r.website, _is_uri), ("email", r.email, _is_email))
              if value and not ok(value)]
    attrs += [_attribute(sid, "signpost_extra", k, k, "A column of the source the contract does not name", v)
              for k, v in sorted(r.extra.items())]
    obj["attributes"] = attrs
    return obj


def to_hsds(resources: Iterable[Resource]) -> list[dict]:
    """HSDS 3.0 service objects for listings, sorted by id."""
    return [_service_object(r) for r in sorted(resources, key=lambda r: r.id)]


def to_json_bytes(resources: Iterable[Resource]) -> bytes:
    """The export file's bytes: the same listings always give the same bytes."""
    return (json.dumps(to_hsds(resources), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_json(resources: Iterable[Resource], path: str | os.PathLike) -> None:
    """Write listings as a JSON list of HSDS 3.0 services (atomically). Nothing is neutralised:
    JSON is not opened by spreadsheets."""
    csv_io.atomic_write(path, to_json_bytes(resources))


# ---- validation against the HSDS 3.0 schemas ---------------------------------------------------
def _is_uri(text: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$", text or ""))


def _is_email(text: str) -> bool:
    return bool(re.fullmatch(r"[^@\s]+@[^@\s]+", text or ""))


PACKAGED_SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "hsds-3.0-schema"


def default_schema_dir() -> Path:
    """Where the HSDS 3.0 JSON schemas are: $SIGNPOST_HSDS_SCHEMA when set, else the copy packaged
    with Signpost (directory/data/hsds-3.0-schema: service.json and every schema it refers to)."""
    candidate = Path(os.environ.get(SCHEMA_DIR_ENV) or PACKAGED_SCHEMA_DIR)
    if (candidate / "service.json").is_file():
        return candidate
    raise FileNotFoundError(f"the HSDS 3.0 schemas were not found in {candidate}; set {SCHEMA_DIR_ENV} to their folder")


@functools.lru_cache(maxsize=8)
def _validator(schema_dir: str, strict_ids: bool) -> Any:
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry
    from referencing import Resource as SchemaResource
    from referencing.jsonschema import DRAFT202012

    pairs = []
    for f in sorted(Path(schema_dir).glob("*.json")):
        pairs.append((f.name, SchemaResource.from_contents(json.loads(f.read_text("utf-8")),
                                                           default_specification=DRAFT202012)))
    registry = Registry().with_resources(pairs)
    checker = FormatChecker(formats=())

    @checker.checks("email")
    def _email(value: object) -> bool:
        return not isinstance(value, str) or _is_email(value)

    @checker.checks("uri")
    def _uri(value: object) -> bool:
        return not isinstance(value, str) or _is_uri(value)

    @checker.checks("date-time")
    def _datetime(value: object) -> bool:
        if not isinstance(value, str):
            return True
        try:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return False
        return "T" in value.upper()

    if strict_ids:
        @checker.checks("uuid")
        def _uuid(value: object) -> bool:
            if not isinstance(value, str):
                return True
            try:
                uuid.UUID(value)
            except ValueError:
                return False
            return len(value) == 36

    return Draft202012Validator({"$ref": "service.json"}, registry=registry, format_checker=checker)


def validate_hsds(objects: dict | list[dict], *, schema_dir: str | os.PathLike | None = None,
                  strict_ids: bool = False) -> list[str]:
    """Problems of HSDS 3.0 service objects against the schemas (with formats of emails, URIs and
    date-times; of UUIDs too with strict_ids), one sentence each; [] when they are valid."""
    validator = _validator(str(schema_dir or default_schema_dir()), strict_ids)
    if isinstance(objects, dict):
        objects = [objects]
    problems = []
    for i, obj in enumerate(objects):
        for err in sorted(validator.iter_errors(obj), key=lambda e: [str(p) for p in e.absolute_path]):
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path)
            problems.append(f"services[{i}]{where}: {err.message}")
    return problems
