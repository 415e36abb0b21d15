"""Contract section 6, FHIR R4 in and out: a practice's referral bundle imports (once: again
changes nothing), the export validates with the fhir.resources R4B models and gives back what was
imported with how far the work got; a bad bundle is an InputError naming the place in the file,
with no personal value in the message, and changes nothing."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

import referrals as R
from directory.records import InputError
from directory.store import Store
from referrals import jsonread

from .referral_fixtures import (
    ANN,
    NHS_NUMBER,
    PERSONAL,
    PRACTICE,
    bundle,
    bundle_bytes,
    imported,
    other_bundle,
    setup_service,
    snapshot,
)


@pytest.fixture
def service(tmp_path):
    with Store(tmp_path / "signpost.db") as store:
        setup_service(store)
        yield store


def _entries(doc, kind):
    return [e for e in doc["entry"] if e["resource"]["resourceType"] == kind]


def test_a_valid_bundle_makes_the_record_and_an_incoming_referral_waiting_for_a_link_worker(service):
    result = imported(service)
    assert result.created
    [item] = R.inbox(service, ANN)
    assert (item.referral_id, item.person_id) == (result.referral_id, result.person_id)
    assert item.name == "Margaret Okafor" and item.requester == "Dr Tunde Adeyemi"
    assert item.reasons == ["Loneliness since bereavement"] and "church choir" in item.note
    person = R.view_person(service, ANN, result.person_id)
    assert person.nhs_number == NHS_NUMBER and person.birth_date == "1958-04-17"
    assert person.referrals[0].status == "requested" and person.referrals[0].practice == PRACTICE
    # only what the work needs: the Patient's generalPractitioner link is not kept
    assert set(person.demographics) == {"name", "birthDate", "gender", "address", "telecom", "communication"}


def test_reimporting_the_same_service_request_changes_nothing(service):
    first = imported(service)
    before = snapshot(service)
    again = imported(service)
    assert (again.person_id, again.referral_id, again.created) == (first.person_id, first.referral_id, False)
    assert snapshot(service) == before


def test_a_second_referral_for_the_same_nhs_number_joins_the_same_record(service):
    first = imported(service)
    doc = bundle()
    doc["entry"][4]["resource"]["identifier"][0]["value"] = "SP-2026-00999"
    second = imported(service, doc)
    assert second.created and second.person_id == first.person_id and second.referral_id != first.referral_id


def _worked_case(store):
    """The fixture referral taken all the way: accepted, referred on, outcomes, completed."""
    result = imported(store)
    R.accept_referral(store, ANN, result.referral_id)
    onward = R.refer_to_listing(store, ANN, result.person_id, "L1", "social_relationships")
    R.update_onward(store, ANN, onward, status_to="accepted", attended=True, first_contact_on=dt.date.today())
    declined = R.refer_to_listing(store, ANN, result.person_id, "L2", "money")
    R.update_onward(store, ANN, declined, status_to="rejected", reason="no places until spring")
    R.record_outcome(store, ANN, result.person_id, "start", dt.date(2026, 11, 25),
                     ons4={"life_satisfaction": 3, "worthwhile": 4, "happiness": 3, "anxiety": 8},
                     needs={"social_relationships": 9, "mental_wellbeing": 7})
    R.record_outcome(store, ANN, result.person_id, "discharge", dt.date.today(),
                     ons4={"life_satisfaction": 6, "worthwhile": 7, "happiness": 6, "anxiety": 4})
    R.set_status(store, ANN, result.referral_id, "completed")
    return result


def test_the_export_validates_as_fhir_r4_and_round_trips_identifiers_statuses_and_outcomes(service):
    _worked_case(service)
    doc = R.export_bundle(service, R.SYSTEM_USER)
    Bundle.model_validate(json.loads(json.dumps(doc)))  # as written to a file and read back
    assert doc["type"] == "collection"
    by_url = {e["fullUrl"]: e["resource"] for e in doc["entry"]}

    [patient] = _entries(doc, "Patient")
    assert patient["resource"]["identifier"] == [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": NHS_NUMBER}]
    assert patient["resource"]["birthDate"] == "1958-04-17"

    sent = bundle()["entry"][4]["resource"]
    incoming = [e for e in _entries(doc, "ServiceRequest") if "basedOn" not in e["resource"]]
    [sr] = incoming
    assert sr["resource"]["identifier"] == sent["identifier"]
    for key in ("code", "note", "reasonCode", "authoredOn", "status", "intent"):
        assert sr["resource"][key] == sent[key], key
    assert sr["resource"]["subject"]["reference"] == patient["fullUrl"]
    [condition] = _entries(doc, "Condition")
    assert sr["resource"]["reasonReference"] == [{"reference": condition["fullUrl"]}]
    assert by_url[sr["resource"]["requester"]["reference"]]["resourceType"] == "Practitioner"

    tasks = {e["resource"]["focus"]["reference"]: e["resource"] for e in _entries(doc, "Task")}
    task = tasks[sr["fullUrl"]]
    assert (task["status"], task["intent"], task["code"]["coding"][0]["code"]) == ("completed", "order", "fulfill")
    assert task["for"]["reference"] == patient["fullUrl"]
    assert task["businessStatus"]["coding"][0]["code"] == "871731000000106"

    onward = [e for e in _entries(doc, "ServiceRequest") if "basedOn" in e["resource"]]
    assert len(onward) == 2
    seen = {}
    for e in onward:
        assert e["resource"]["basedOn"] == [{"reference": sr["fullUrl"]}]
        service_entry = by_url[e["resource"]["performer"][0]["reference"]]
        assert service_entry["resourceType"] == "HealthcareService"
        listing = service_entry["identifier"][0]["value"]
        seen[listing] = tasks[e["fullUrl"]]
    assert seen["L1"]["status"] == "accepted" and seen["L1"]["businessStatus"]["text"] == "attended"
    assert seen["L2"]["status"] == "rejected" and seen["L2"]["statusReason"]["text"] == "no places until spring"

    ons4 = [e["resource"] for e in _entries(doc, "Observation") if e["resource"]["code"]["coding"][0]["code"] == "ons4"]
    stages = {o["category"][1]["coding"][0]["code"]: {c["code"]["coding"][0]["code"]: c["valueInteger"]
                                                       for c in o["component"]} for o in ons4}
    assert stages["start"]["anxiety"] == 8 and stages["discharge"]["life_satisfaction"] == 6
    needs = [e["resource"] for e in _entries(doc, "Observation")
             if e["resource"]["code"]["coding"][0]["code"] == "needs-rerated"]
    assert needs[0]["component"][0]["valueInteger"] == 9


def test_export_since_a_date_holds_only_referrals_changed_since(service):
    _worked_case(service)
    assert R.export_bundle(service, R.SYSTEM_USER, since=dt.date.today() + dt.timedelta(days=1))["entry"] == []
    assert R.export_bundle(service, R.SYSTEM_USER, since=dt.date.today())["entry"]


def test_a_declined_referral_carries_the_declined_code_in_the_export(service):
    result = imported(service)
    R.reject_referral(service, ANN, result.referral_id, "did not want to be contacted", declined=True)
    doc = R.export_bundle(service, R.SYSTEM_USER)
    [task] = [e["resource"] for e in _entries(doc, "Task")]
    assert task["status"] == "rejected"
    assert task["statusReason"]["coding"][0]["code"] == "871711000000103"
    assert task["statusReason"]["text"] == "did not want to be contacted"


# ---- bad bundles ---------------------------------------------------------------------------------------
def _mutate(change):
    def make():
        doc = copy.deepcopy(bundle())
        change(doc)
        return bundle_bytes(doc)
    return make


def _set(path, value):
    def change(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return change


PATIENT, SR = ("entry", 0, "resource"), ("entry", 4, "resource")
BAD = {
    "check digit": (_mutate(_set((*PATIENT, "identifier", 0, "value"), "9434765918")),
                    "entry[0].resource.identifier[0].value"),
    "NHS number too short": (_mutate(_set((*PATIENT, "identifier", 0, "value"), "943476591")),
                             "entry[0].resource.identifier[0].value"),
    "no NHS number": (_mutate(_set((*PATIENT, "identifier", 0, "system"), "urn:other")),
                      "entry[0].resource.identifier"),
    "missing subject": (_mutate(_set((*SR, "subject"), KeyError)), "entry[4].resource.subject"),
    "subject points elsewhere": (_mutate(_set((*SR, "subject"), {"reference": "urn:uuid:someone-else"})),
                                 "entry[4].resource.subject.reference"),
    "wrong code": (_mutate(_set((*SR, "code", "coding", 0, "code"), "183644000")), "entry[4].resource.code"),
    "duplicate identifier": (_mutate(lambda d: d["entry"][4]["resource"]["identifier"].append(
        dict(d["entry"][4]["resource"]["identifier"][0]))), "entry[4].resource.identifier[1]"),
    "duplicate fullUrl": (_mutate(lambda d: d["entry"][3].update(fullUrl=d["entry"][2]["fullUrl"])),
                          "entry[3].fullUrl"),
    "no identifier on the request": (_mutate(_set((*SR, "identifier"), KeyError)), "entry[4].resource.identifier"),
    "no name": (_mutate(_set((*PATIENT, "name"), KeyError)), "entry[0].resource.name"),
    "no birth date": (_mutate(_set((*PATIENT, "birthDate"), KeyError)), "entry[0].resource.birthDate"),
    "birth date of the wrong type": (_mutate(_set((*PATIENT, "birthDate"), 19580417)),
                                     "entry[0].resource.birthDate"),
    "birth date not a date": (_mutate(_set((*PATIENT, "birthDate"), "1958-17-04")), "entry[0].resource.birthDate"),
    "language not ISO 639-1": (_mutate(_set((*PATIENT, "communication", 1, "language", "coding", 0, "code"), "igbo")),
                               "entry[0].resource.communication[1].language.coding[0].code"),
    "draft request": (_mutate(_set((*SR, "status"), "draft")), "entry[4].resource.status"),
    "requester an Organization": (_mutate(_set((*SR, "requester"), {"reference": "urn:uuid:0d3c8e21-7f1a-4c55-"
                                                                                 "b0a4-2e9c1f7d6b02"})),
                                  "entry[4].resource.requester"),
    "an element FHIR does not define": (_mutate(_set((*PATIENT, "favouriteColour"), "green")),
                                        "entry[0].resource.favouriteColour"),
    "a resource type a referral does not hold": (_mutate(_set(("entry", 3, "resource", "resourceType"), "Encounter")),
                                                 "entry[3].resource.resourceType"),
    "two patients": (_mutate(lambda d: d["entry"].append({**copy.deepcopy(other_bundle(1)["entry"][0]),
                                                         "fullUrl": "urn:uuid:second-patient"})),
                     "entry[5].resource"),
    "searchset bundle": (_mutate(_set(("type",), "searchset")), "type"),
    "duplicate JSON key": (lambda: bundle_bytes().replace(b'"birthDate": "1958-04-17"',
                                                          b'"birthDate": "1958-04-17", "birthDate": "1958-04-18"'),
                           "entry[0].resource.birthDate"),
    "not JSON": (lambda: bundle_bytes()[:-40], "(the bundle)"),
    "nested far too deep": (lambda: b'{"resourceType": "Bundle", "type": "collection", "entry": '
                                    + b"[" * 5000 + b"]" * 5000 + b"}", "(the bundle)"),
    "larger than the bound": (lambda: bundle_bytes() + b" " * jsonread.MAX_BYTES, "(the bundle)"),
    "not a Bundle": (_mutate(_set(("resourceType",), "Patient")), "resourceType"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_bundle_names_the_place_repeats_no_personal_value_and_changes_nothing(service, case):
    make, where = BAD[case]
    imported(service, other_bundle(7))  # the database holds someone already
    before = snapshot(service)
    with pytest.raises(InputError) as caught:
        R.import_bundle(service, make(), R.SYSTEM_USER)
    text = str(caught.value)
    assert text.startswith(f"{where}: "), text
    for value in (*PERSONAL, "Tunde", "Adeyemi", "19580417", "1958-17-04", "9434765918", "943476591", "Elswick Row"):
        assert value not in text, (case, text)
    assert snapshot(service) == before


def test_an_identifier_already_used_for_another_person_is_refused_and_changes_nothing(service):
    imported(service)
    doc = other_bundle(3)
    doc["entry"][4]["resource"]["identifier"][0]["value"] = "SP-2026-00417"  # the fixture's referral id
    before = snapshot(service)
    with pytest.raises(InputError) as caught:
        imported(service, doc)
    assert str(caught.value).startswith("entry[4].resource.identifier: ")
    assert snapshot(service) == before


def test_a_bad_bundle_on_a_new_database_creates_no_referral_tables(tmp_path):
    with Store(tmp_path / "signpost.db") as store:
        with pytest.raises(InputError):
            R.import_bundle(store, BAD["check digit"][0](), R.SYSTEM_USER)
        assert "ref_people" not in snapshot(store)


def test_the_fixture_file_itself_is_valid_r4b():
    Bundle.model_validate(bundle())


def test_records_saved_by_a_link_worker_or_sent_from_the_gp_preview_export_as_valid_fhir(service):
    R.record_person(service, ANN, demographics=R.demographics_from_form("Sam Patel", "1971-03-02",
                                                                        languages=["pa"]),
                    purpose="support", nhs_number="6000000006")
    R.assign_staff(service, R.SYSTEM_USER, "drjones", practice=PRACTICE)
    R.refer_from_preview(service, R.access.User("drjones", "gp"), nhs_number="6000000014", name="Ayesha Khan",
                         birth_date="1949-08-30", needs={"money": 6}, conditions=["COPD"], words="Worried about bills")
    doc = R.export_bundle(service, R.SYSTEM_USER)
    Bundle.model_validate(doc)
    requests = [e["resource"] for e in _entries(doc, "ServiceRequest")]
    assert {r["code"]["coding"][0]["code"] for r in requests} == {"871731000000106"}
    assert [t["status"] for t in (e["resource"] for e in _entries(doc, "Task"))] == ["accepted", "requested"]


def test_the_export_file_is_written_whole_for_its_owner_only(service, tmp_path):
    _worked_case(service)
    target = tmp_path / "out.json"
    count = R.write_bundle(service, target, R.SYSTEM_USER, since="2026-01-01")
    doc = json.loads(target.read_text())
    Bundle.model_validate(doc)
    assert len(doc["entry"]) == count > 0 and oct(target.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.json")] == []
    with pytest.raises(InputError) as caught:
        R.export_bundle(service, R.SYSTEM_USER, since="last tuesday")
    assert caught.value.issues[0].column == "since"


def test_a_huge_unknown_key_is_named_shortly(service):
    doc = bundle()
    doc["entry"][0]["resource"]["k" * 100_000] = 1
    with pytest.raises(InputError) as caught:
        R.import_bundle(service, bundle_bytes(doc), R.SYSTEM_USER)
    assert len(str(caught.value)) < 200 and str(caught.value).startswith("entry[0].resource.kkkk")
