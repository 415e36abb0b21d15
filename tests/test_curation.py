"""The curator's actions and queries (directory/curation.py): permissions, validation as on import,
versions, the audit trail's actor, all-or-nothing imports, stale listings, filters and coverage."""

from __future__ import annotations

import datetime as dt

import pytest

from directory import curation
from directory.accounts import PermissionDenied, User
from directory.csv_io import to_csv_text
from directory.records import InputError
from directory.store import ConflictError

from .app_fixtures import app_directory, listing

CURATOR = User("cora", "curator")
LINK_WORKER = User("lin", "link_worker")
GP = User("gus", "gp")


@pytest.fixture
def filled(store):
    store.import_resources(app_directory(), actor="test")
    return store


def test_edit_with_a_bad_value_names_the_column_and_changes_nothing(filled):
    before = filled.get("G01")
    fields = curation.listing_fields(before.resource) | {"latitude": "north", "max_age": "12", "min_age": "40"}
    with pytest.raises(InputError) as err:
        curation.edit_listing(filled, CURATOR, "G01", fields, before.version)
    columns = {i.column for i in err.value.issues}
    assert "latitude" in columns
    assert "'north' is not a number" in str(err.value)
    assert filled.get("G01") == before
    assert len(filled.history("G01")) == 1


def test_good_edit_is_saved_with_the_curators_name_in_history(filled):
    before = filled.get("G01")
    fields = curation.listing_fields(before.resource) | {"schedule": "Thursdays 12:00-14:00"}
    after = curation.edit_listing(filled, CURATOR, "G01", fields, before.version)
    assert after.version == before.version + 1
    assert filled.get("G01").resource.schedule == "Thursdays 12:00-14:00"
    last = filled.history("G01")[-1]
    assert (last.actor, last.action, last.changes["schedule"]) == (
        "cora", "update", ["Wednesdays 12:00-14:00", "Thursdays 12:00-14:00"])
    rows = curation.history_rows(filled, "G01")
    assert rows[0]["who"] == "cora" and "schedule: Wednesdays 12:00-14:00 → Thursdays 12:00-14:00" in rows[0]["changes"]


def test_edit_keeps_a_publishers_extra_columns(filled):
    filled.import_resources([listing("X1", extra={"funding": "council"})], actor="test")
    stored = filled.get("X1")
    curation.edit_listing(filled, CURATOR, "X1", curation.listing_fields(stored.resource) | {"name": "New"},
                          stored.version)
    assert filled.get("X1").resource.extra == {"funding": "council"}


def test_edit_of_a_listing_changed_since_it_was_read_is_refused(filled):
    read = filled.get("G02")
    curation.verify_listing(filled, User("other", "curator"), "G02", read.version, today=dt.date(2026, 5, 1))
    fields = curation.listing_fields(read.resource) | {"name": "Renamed choir"}
    with pytest.raises(ConflictError):
        curation.edit_listing(filled, CURATOR, "G02", fields, read.version)
    assert filled.get("G02").resource.name == "Community Choir"


def test_verify_and_retire_are_recorded_and_retire_never_deletes(filled):
    v = filled.get("G01").version
    verified = curation.verify_listing(filled, CURATOR, "G01", v, today=dt.date(2026, 11, 1))
    assert verified.resource.last_verified == dt.date(2026, 11, 1)
    retired = curation.retire_listing(filled, CURATOR, "G01", verified.version)
    assert retired.resource.status == "inactive"
    assert [e.action for e in filled.history("G01")][-2:] == ["verify", "retire"]
    assert all(e.actor == "cora" for e in filled.history("G01")[-2:])
    again = curation.reactivate_listing(filled, CURATOR, "G01", retired.version)
    assert again.resource.is_active


def test_add_listing_validates_and_refuses_a_duplicate_id(filled):
    fields = curation.listing_fields(listing("N1", name="New Walking Group"))
    created = curation.add_listing(filled, CURATOR, fields)
    assert created.resource.name == "New Walking Group"
    assert filled.history("N1")[0].actor == "cora"
    with pytest.raises(InputError) as err:
        curation.add_listing(filled, CURATOR, fields)
    assert err.value.issues[0].column == "id"
    with pytest.raises(InputError) as err:
        curation.add_listing(filled, CURATOR, fields | {"id": "N2", "delivery": "in_person", "latitude": "",
                                                          "longitude": ""})
    assert {i.column for i in err.value.issues} == {"latitude"}


@pytest.mark.parametrize("user", [LINK_WORKER, GP])
def test_roles_without_edit_may_not_change_the_directory(filled, user):
    s = filled.get("G01")
    fields = curation.listing_fields(s.resource)
    for call in (
        lambda: curation.edit_listing(filled, user, "G01", fields, s.version),
        lambda: curation.add_listing(filled, user, fields | {"id": "Z9"}),
        lambda: curation.verify_listing(filled, user, "G01", s.version),
        lambda: curation.retire_listing(filled, user, "G01", s.version),
        lambda: curation.import_listings(filled, user, [listing("Z8")]),
        lambda: curation.export_csv(filled, user),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert filled.get("G01") == s and filled.count() == len(app_directory())


def test_import_with_one_bad_row_changes_nothing(filled):
    rows = [listing("I1", name="Fine"), listing("G01", name="Changed lunch club")]
    text = to_csv_text(rows).replace("G51 3BD,55.8625", "G51 3BD,ninety", 1)
    version = filled.directory_version()
    with pytest.raises(InputError) as err:
        curation.import_listings(filled, CURATOR, (text.encode(), "bad.csv"))
    issue = err.value.issues[0]
    assert (issue.row, issue.column) == (2, "latitude")
    assert filled.directory_version() == version and filled.count() == len(app_directory())
    assert filled.get("G01").resource.name == "Govan Lunch Club"


def test_import_preview_then_import(filled):
    incoming = curation.read_upload(to_csv_text([listing("I1"), app_directory()[0],
                                                 listing("G02", name="Choir, renamed")]).encode(), "ok.csv")
    plan = curation.import_preview(filled, incoming)
    assert (plan.added, plan.updated, plan.unchanged) == (["I1"], ["G02"], ["G01"])
    assert filled.count() == len(app_directory())
    summary = curation.import_listings(filled, CURATOR, incoming)
    assert str(summary) == "1 added, 1 updated, 1 unchanged"
    assert filled.history("I1")[0].actor == "cora"


def test_export_csv_reads_back(filled):
    data = curation.export_csv(filled, CURATOR)
    back = curation.read_upload(data, "export.csv")
    assert {r.id for r in back} == {r.id for r in app_directory()}


def test_stale_listings_are_active_and_unverified_for_twelve_months():
    items = [listing("A", last_verified="2025-11-24"), listing("B", last_verified="2025-11-23"),
             listing("C", last_verified=None), listing("D", last_verified="2020-01-01", status="inactive")]
    stale = curation.stale_listings(items, today=dt.date(2026, 11, 24))
    assert [r.id for r in stale] == ["C", "B"]
    assert [r.id for r in curation.stale_listings(items, today=dt.date(2026, 11, 24), months=6)] == ["C", "B", "A"]


def test_filters_combine():
    items = app_directory()
    ids = lambda **kw: [r.id for r in curation.filter_listings(items, today=dt.date(2026, 11, 24), **kw)]  # noqa: E731
    assert ids(language="ur") == ["G04"]
    assert ids(domain="money") == ["G03"]
    assert ids(status="inactive") == ["G07"]
    assert ids(area="phone/online") == ["G03", "G05"]
    assert ids(area="G41") == ["G04"]
    assert ids(stale=True) == ["G06"]
    assert ids(text="choir") == ["G02"]
    assert ids(text="walk urdu") == ["G04"]


def test_coverage_counts_domain_language_area_with_zeros():
    cov = curation.coverage(app_directory())
    assert list(cov.columns) == ["domain", "language", "area", "listings"]
    get = lambda d, lang, a: int(cov[(cov.domain == d) & (cov.language == lang) & (cov.area == a)].listings.sum())  # noqa: E731
    # lunch club, choir, men's shed, diabetes peer support (the retired one not counted)
    assert get("social_relationships", "en", "G51") == 4
    assert get("social_relationships", "ur", "G41") == 1
    assert get("money", "en", "phone/online") == 1
    assert get("money", "ur", "G41") == 0  # a gap: present as a zero
    assert len(cov) == 8 * 2 * 3  # every domain × language × area


def test_coverage_uses_inferred_domains_for_blank_ones():
    items = [listing("B1", domains=[], description="Food parcels")]
    assert set(curation.coverage(items).domain) >= {"not stated"}
    cov = curation.coverage(items, infer=lambda rs: [["money"] for _ in rs])
    assert int(cov[cov.domain == "money"].listings.sum()) == 1 and "not stated" not in set(cov.domain)


def test_an_edit_from_a_form_without_support_types_keeps_the_curators_tags(store):
    store.import_resources([listing("T1", support_types=["carers_support"])], actor="test")
    fields = curation.listing_fields(store.get("T1").resource)
    fields.pop("support_types")
    fields["schedule"] = "Fridays 10:00-12:00"
    edited = curation.edit_listing(store, CURATOR, "T1", fields, store.get("T1").version)
    assert edited.resource.support_types == ["carers_support"] and edited.resource.schedule == "Fridays 10:00-12:00"


def test_coverage_counts_matchings_domains_of_every_listing_when_given():
    items = [listing("B1", domains=["money"]), listing("B2", domains=[])]
    cov = curation.coverage(items, domains_of={"B1": ["money", "living_conditions"], "B2": ["lifestyle"]})
    total = cov.groupby("domain").listings.sum()
    assert total["money"] == 1 and total["living_conditions"] == 1 and total["lifestyle"] == 1
    assert "not stated" not in set(cov.domain)


def test_import_plan_shows_each_fields_old_and_new_value(filled):
    g02 = filled.get("G02").resource
    incoming = [listing("I1"), g02.model_copy(update={"schedule": "Fridays 18:00-19:30", "phone": "0141 999 0000"}),
                filled.get("G01").resource]
    plan = curation.import_plan(filled, incoming)
    assert (plan.added, plan.updated, plan.unchanged, plan.older) == (["I1"], ["G02"], ["G01"], [])
    row = next(r for r in plan.rows if r.id == "G02")
    assert [(c.field, c.old, c.new) for c in row.changes] == [
        ("schedule", "Thursdays 19:00-20:30", "Fridays 18:00-19:30"), ("phone", "0141 000 0001", "0141 999 0000")]


def test_an_older_export_does_not_undo_a_colleagues_newer_edit_unless_asked(filled):
    old_export = curation.export_csv(filled, CURATOR)
    g01 = filled.get("G01")
    curation.edit_listing(filled, User("ada", "curator"), "G01",
                          curation.listing_fields(g01.resource) | {"schedule": "Fridays 12:00-14:00"}, g01.version)
    g06 = filled.get("G06")
    curation.verify_listing(filled, CURATOR, "G06", g06.version, today=dt.date(2026, 6, 1))
    incoming = curation.read_upload(old_export, "old.csv")
    plan = curation.import_plan(filled, incoming)
    assert sorted(plan.older) == ["G01", "G06"]
    why = {r.id: r.older for r in plan.rows}
    assert any("undo ada's change of schedule" in w for w in why["G01"])
    assert why["G06"] == ["verified 2023-03-01 in the file, 2026-06-01 in the directory"]
    assert not plan.changed(skip_older=True) and plan.changed(skip_older=False)

    summary = curation.import_listings(filled, CURATOR, incoming)
    assert sorted(summary.skipped) == ["G01", "G06"] and not summary.updated
    assert "2 skipped as older than the directory" in str(summary)
    assert filled.get("G01").resource.schedule == "Fridays 12:00-14:00"

    summary = curation.import_listings(filled, CURATOR, incoming, skip_older=False)
    assert sorted(summary.updated) == ["G01", "G06"]
    assert filled.get("G01").resource.schedule == "Wednesdays 12:00-14:00"


def test_retire_keeps_the_reason_in_the_audit_trail(filled):
    g01 = filled.get("G01")
    curation.retire_listing(filled, CURATOR, "G01", g01.version, reason="  stopped meeting in March ")
    last = filled.history("G01")[-1]
    assert last.action == "retire" and last.changes["reason"] == [None, "stopped meeting in March"]
    assert "reason: stopped meeting in March" in curation.history_rows(filled, "G01")[0]["changes"]


def test_bulk_verify_verifies_each_and_reports_conflicts(filled):
    versions = {"G01": filled.get("G01").version, "G06": filled.get("G06").version + 5}
    done, conflicts = curation.verify_listings(filled, CURATOR, versions, today=dt.date(2026, 11, 1))
    assert (done, conflicts) == (["G01"], ["G06"])
    assert filled.get("G01").resource.last_verified == dt.date(2026, 11, 1)
    with pytest.raises(PermissionDenied):
        curation.verify_listings(filled, LINK_WORKER, versions)


def test_listing_table_shows_names_not_codes():
    row = curation.listing_table([listing("T1", languages=["ku", "ar"], domains=["self_care"])]).iloc[0]
    assert row["languages"] == "Kurdish (Kurmanji), Arabic" and row["domains"] == "looking after yourself"
    assert row["kinds of support"] == "inferred when matched"  # no tags, and no matching's answer given


def test_listing_table_and_filters_read_domains_and_kinds_as_matching_does():
    tagged = listing("T1", domains=["self_care"], support_types=["carers_support"])
    blank = listing("T2", domains=[])
    domains_of = {"T1": (["self_care"], False), "T2": (["money", "self_care"], True)}
    types_of = {"T1": (["carers_support"], False), "T2": (["debt_advice"], True)}
    table = curation.listing_table([tagged, blank], domains_of=domains_of, types_of=types_of).set_index("id")
    assert table.loc["T1", "kinds of support"] == "Carers' support"
    assert table.loc["T2", "kinds of support"] == "inferred: Debt and budgeting advice"
    assert table.loc["T2", "domains"] == "inferred: money, looking after yourself"
    found = curation.filter_listings([tagged, blank], domain="money", domains_of=domains_of, types_of=types_of)
    assert [r.id for r in found] == ["T2"]
    assert [r.id for r in curation.filter_listings([tagged, blank], support_type="debt_advice", types_of=types_of)] == ["T2"]
    assert curation.filter_listings([tagged, blank], support_type="debt_advice") == []  # tags alone: none


def test_stale_contacts_as_csv_and_a_ready_email():
    from directory import outreach

    r = listing("S1", name="Men's Shed", email="shed@example.org", phone="=1+2")
    data = outreach.contacts_csv([r]).decode()
    assert data.splitlines()[0] == "id,name,organisation,email,phone,website,last verified"
    assert "shed@example.org" in data and "'=1+2" in data
    link = outreach.update_request(r)
    assert link.startswith("mailto:shed@example.org?subject=Is%20our%20listing%20of%20Men%27s%20Shed")
    assert outreach.update_request(listing("S2", email="")) is None


def test_a_new_listing_gets_an_id_from_its_name(filled):
    assert curation.new_listing_id(filled, "Café Côte: Knit & Natter!") == "cafe-cote-knit-natter"
    fields = curation.listing_fields(listing("x", name="Listing G01")) | {"id": ""}
    filled.create(listing("listing-g01"))
    made = curation.add_listing(filled, CURATOR, fields)
    assert made.id == "listing-g01-2"


def test_a_listing_is_placed_from_its_postcode_or_the_place_in_its_address():
    from matcher.geo import default_gazetteer
    from matcher.placing import place_listing

    gaz = default_gazetteer()
    some_postcode = next(iter(gaz._postcodes))  # a postcode the packaged gazetteer holds
    lat, lon, how = place_listing(some_postcode, "", gaz)
    assert (lat, lon) == tuple(round(x, 5) for x in gaz.postcode(some_postcode)) and how.startswith("postcode")
    name = gaz.names()[0]
    assert place_listing("", f"1 High Street, {name}", gaz)[2] == f"place {name}"
    assert place_listing("", "nowhere at all", gaz) is None


def test_duplicate_pairs_need_near_identical_text_and_an_agreeing_fact():
    import numpy as np

    from matcher.duplicates import find_pairs

    a = listing("D1", name="Lunch Club", phone="0141 000 0001", postcode="G51 3BD")
    b = listing("D2", name="Lunch club (Govan)", phone="01410000001", postcode="G51 3BD")
    c = listing("D3", name="Chess", phone="0141 000 0009", postcode="G1 1AA")
    v = {"D1": np.array([1.0, 0.0]), "D2": np.array([0.95, 0.2]), "D3": np.array([0.6, 0.8])}
    pairs = find_pairs([a, b, c], v)
    assert [(p.a.id, p.b.id) for p in pairs] == [("D1", "D2")]
    assert {"same phone", "same postcode", "near-identical name"} <= set(pairs[0].why)
    assert find_pairs([a, b, c], v, dismissed={frozenset({"D1", "D2"})}) == []


def test_merge_retires_one_with_the_reason_and_dismissal_is_remembered(filled):
    curation.merge_duplicate(filled, CURATOR, "G01", "G02", filled.get("G02").version)
    assert filled.get("G02").resource.status == "inactive"
    assert filled.history("G02")[-1].changes["reason"] == [None, "duplicate of G01"]
    version = filled.directory_version()
    curation.dismiss_duplicate(filled, CURATOR, "G03", "G05")
    assert curation.dismissed_pairs(filled) == {frozenset({"G03", "G05"})}
    assert filled.directory_version() == version and filled.get("G03").version == 1  # no listing changed
    assert curation.history_rows(filled, "G03")[0]["changes"] == "not a duplicate of G05"
    with pytest.raises(PermissionDenied):
        curation.dismiss_duplicate(filled, LINK_WORKER, "G03", "G05")
