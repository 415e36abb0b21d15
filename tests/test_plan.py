"""The person's plan and the GP's referral note (matcher/plan.py): complete, printable, escaped."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from matcher.plan import referral_text, render_plan_html

from .app_fixtures import listing


def chosen(resource, reasons=("Meets your top need: social relationships", "Free")):
    return SimpleNamespace(resource=resource, reasons=list(reasons))


def test_plan_has_each_activity_when_where_and_contact():
    r = listing("P1", name="Govan Lunch Club", schedule="Wednesdays 12:00-14:00", phone="0141 000 0001",
                email="lunch@example.org")
    page = render_plan_html([chosen(r)], "Mary", "Phone the lunch club on Monday", "Sam, link worker, 0141 111 2222",
                            today=dt.date(2026, 3, 2))
    assert page.startswith("<!DOCTYPE html>")
    for text in ("Mary&#x27;s plan", "Govan Lunch Club", "Wednesdays 12:00-14:00", "12 Langlands Road, Glasgow, G51 3BD",
                 "0141 000 0001", "lunch@example.org", "Phone the lunch club on Monday", "Sam, link worker",
                 "2 March 2026", "Meets your top need: social relationships"):
        assert text in page


def test_plan_prints_in_large_type_and_has_no_scripts_or_external_resources():
    page = render_plan_html([chosen(listing("P1"))])
    assert "@media print" in page
    assert "font-size: 18pt" in page
    assert "<script" not in page.lower()
    assert "http" not in page.split("<body>")[0]  # no external stylesheets or fonts


def test_listing_text_stays_text():
    r = listing("P2", name="Club <script>alert('x')</script>", organisation='"><img src=x onerror=alert(1)>',
                description="<b>bold</b> & more", schedule="<i>Fridays</i>", phone="<a href='javascript:x'>call</a>")
    page = render_plan_html([chosen(r, ["<script>bad()</script>"])], "<Ann>", "<script>x</script>", "<b>me</b>")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>" not in page and "&lt;b&gt;bold&lt;/b&gt; &amp; more" in page
    assert "<a " not in page


def test_empty_plan_leaves_space_to_write():
    page = render_plan_html([])
    assert "Your plan" in page and "No activities chosen yet" in page
    assert page.count('class="lines"') >= 3


def test_referral_note_is_written_to_the_link_worker_with_why_when_and_how():
    r = listing("P3", name="Community Choir", organisation="Southside Arts", schedule="Thursdays 19:00-20:30",
                phone="0141 000 0002", email="choir@example.org", cost="low_cost")
    item = SimpleNamespace(resource=r, reasons=["Helps with social relationships, as you described"],
                           needs_met=["social_relationships"], distance_km=0.64)
    miss = SimpleNamespace(name="Urdu Women's Walking Group", broken="gender")
    note = referral_text([item], "lonely, COPD", "G51 3AB", ["en", "ur"], needs=["social_relationships", "money"],
                         unmet=["money"], near_misses=[miss], gender="female")
    lines = note.splitlines()
    assert lines[0] == "Referral to social prescribing link worker."
    assert "Seen by GP: lonely, COPD" in note
    assert "Needs: social relationships, money; area: G51 3AB; languages: English, Urdu; gender: woman." in note
    assert "1. Community Choir (Southside Arts): for social relationships, 0.6 km away, low cost" in note
    assert "   Thursdays 19:00-20:30; 0141 000 0002, choir@example.org" in note
    assert "Nothing local found for: money." in note
    assert "Nearly fitted: Urdu Women's Walking Group (gender)." in note
    assert "you described" not in note and "you " not in note
    assert "No local option matched" in referral_text([])
