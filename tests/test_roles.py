"""Each role reaches what it may and nothing else (issue "Shared deployment").

- The navigation offers a signed-in GP, link worker, curator and administrator exactly their pages
  (directory.accounts.PERMISSIONS, written out here as the matrix a reader checks).
- A page run directly by a role that may not use it shows a refusal and none of its widgets; a
  session cannot claim a role its account does not have; without signing in, only the sign-in.
- The curator's actions, called as functions (as a crafted request would reach them), refuse a
  GP and a link worker and write nothing; for a curator and an administrator they succeed and
  the audit trail names who made each change, in the app as in the library.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from directory import accounts, curation
from directory.accounts import PERMISSIONS, ROLES, SYSTEM, PermissionDenied, User
from directory.csv_io import to_csv_text
from directory.store import Store

from .app_fixtures import ROOT, TIMEOUT, app_directory, listing, new_app

PASSWORD = "a-long-password-1"
NAMES = {"gp": "gail", "link_worker": "lena", "curator": "cora", "admin": "ada"}

# page file → (title, roles that may open it)
PAGES = {
    "views/find_support.py": ("Find support", {"link_worker", "curator", "admin"}),
    "views/gp_preview.py": ("GP preview", {"gp", "link_worker", "curator", "admin"}),
    "views/directory.py": ("Directory", {"curator", "admin"}),
    "views/import_export.py": ("Import & export", {"curator", "admin"}),
    "views/gaps.py": ("Gaps in provision", {"curator", "admin"}),
    "views/accounts.py": ("Accounts", {"admin"}),
}
ROLE_WORDS = {"gp": "GP", "link_worker": "link worker", "curator": "directory curator", "admin": "administrator"}
LANDING = {"gp": "GP preview", "link_worker": "Find support", "curator": "Find support", "admin": "Find support"}


def test_the_matrix_here_is_the_one_the_code_enforces():
    assert set(ROLES) == set(NAMES)
    permission = {"views/find_support.py": "match", "views/gp_preview.py": "preview", "views/directory.py": "browse",
                  "views/import_export.py": "import", "views/gaps.py": "browse", "views/accounts.py": "accounts"}
    for page, (_, roles) in PAGES.items():
        assert roles == {r for r in ROLES if permission[page] in PERMISSIONS[r]}, page


def with_accounts(db) -> None:
    with Store(db) as s:
        s.import_resources(app_directory(), actor="test")
        for role, name in NAMES.items():
            accounts.add_user(s, SYSTEM, name, PASSWORD, role)


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory):
    """One directory with an account of each role, for the tests that only look."""
    db = tmp_path_factory.mktemp("roles") / "signpost.db"
    with_accounts(db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIGNPOST_DB", str(db))
        yield str(db)


@pytest.fixture
def own_db(tmp_path, monkeypatch):
    """A directory of its own, for the tests that change it."""
    db = tmp_path / "signpost.db"
    with_accounts(db)
    monkeypatch.setenv("SIGNPOST_DB", str(db))
    return str(db)


def sign_in(at, role: str):
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].set_value(NAMES[role])
    inputs["Password"].set_value(PASSWORD)
    at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def elements(at) -> set[str]:
    """The kinds of element on the page (containers left out)."""
    return {node.type for node in at._tree if not hasattr(node, "children")}


def only_the_sign_in_form(at) -> bool:
    labels = sorted([t.label for t in at.text_input] + [b.label for b in at.button])
    return at.title[0].value == "Signpost" and labels == ["Password", "Sign in", "Username"] and not at.sidebar.button


# ---- the navigation ----------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_navigation_offers_each_role_its_pages_and_no_other(shared_db, role):
    at = sign_in(new_app(), role)
    assert at.title[0].value == LANDING[role]
    assert f"Signed in as **{NAMES[role]}**" in at.sidebar.markdown[0].value
    for page, (_, roles) in PAGES.items():
        if role not in roles:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)  # not registered for this role: no link, no URL
    for page, (title, roles) in PAGES.items():
        if role in roles:
            at.switch_page(page).run()
            assert not at.exception and not at.error, (page, [e.value for e in at.error])
            assert at.title[0].value == title


DENIED = [(page, role) for page, (_, roles) in PAGES.items() for role in ROLES if role not in roles]


@pytest.mark.parametrize(("page", "role"), DENIED)
def test_a_page_run_directly_refuses_a_role_without_its_permission(shared_db, page, role):
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    at.session_state["user"] = User(NAMES[role], role)  # how ui.current_user keeps a signed-in user
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [f"Your role ({ROLE_WORDS[role]}) cannot use this page."]
    assert elements(at) == {"error"}  # no title, no form, no table, no button of the page


def test_a_session_cannot_claim_a_role_its_account_does_not_have(shared_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["user"] = User("gail", "admin")  # gail's account is a GP's
    at.run()
    assert at.title[0].value == "GP preview"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/accounts.py")
    direct = AppTest.from_file(str(ROOT / "views/accounts.py"), default_timeout=TIMEOUT)
    direct.session_state["user"] = User("gail", "admin")
    direct.run()
    assert [e.value for e in direct.error] == ["Your role (GP) cannot use this page."]
    # a user the accounts table does not know is no one, whatever role the session says
    stranger = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    stranger.session_state["user"] = User("mallory", "admin")
    stranger.run()
    assert only_the_sign_in_form(stranger)


def test_without_signing_in_only_the_sign_in_form_shows(shared_db):
    at = new_app()
    assert only_the_sign_in_form(at)
    assert elements(at) == {"title", "markdown", "text_input", "button"}  # no listing, no table, no map
    assert [m.value for m in at.markdown] == ["Sign in to find local support, preview options or keep the directory."]
    for page in PAGES:
        direct = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
        direct.run()
        assert not direct.exception and only_the_sign_in_form(direct), page


# ---- the curator's actions, as functions -----------------------------------------------------------------
def _fields(store, rid):
    return curation.listing_fields(store.get(rid).resource)


ACTIONS = {
    # action → (call, the listing it changes, the audit action it records)
    "add": (lambda s, u: curation.add_listing(s, u, _fields(s, "G01") | {"id": "N1", "name": "New club"}),
            "N1", "create"),
    "edit": (lambda s, u: curation.edit_listing(s, u, "G01", _fields(s, "G01") | {"schedule": "Fridays 10:00"},
                                                s.get("G01").version), "G01", "update"),
    "verify": (lambda s, u: curation.verify_listing(s, u, "G02", s.get("G02").version), "G02", "verify"),
    "retire": (lambda s, u: curation.retire_listing(s, u, "G03", s.get("G03").version), "G03", "retire"),
    "reactivate": (lambda s, u: curation.reactivate_listing(s, u, "G07", s.get("G07").version), "G07", "reactivate"),
    "import": (lambda s, u: curation.import_listings(s, u, [listing("I1", name="Imported club")]), "I1", "import"),
    "import a file": (lambda s, u: curation.import_listings(
        s, u, (to_csv_text([listing("I2", name="From a file")]).encode(), "new.csv")), "I2", "import"),
    "export csv": (lambda s, u: curation.export_csv(s, u), None, None),
    "export hsds": (lambda s, u: curation.export_hsds(s, u), None, None),
}
MAY = {"gp": set(), "link_worker": set(), "curator": set(ACTIONS), "admin": set(ACTIONS)}


def written(store) -> tuple:
    """Everything a write could change: listings with versions and contents, the audit trail, the version."""
    return (store.directory_version(), [(s.id, s.version, s.content_hash) for s in store.list()],
            [(e.seq, e.actor, e.action) for e in store.history()])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_curator_actions_as_functions_by_role(sqlite_path, role, action):
    user = User(NAMES[role], role)
    call, rid, audit_action = ACTIONS[action]
    with Store(sqlite_path) as store:
        store.import_resources(app_directory(), actor="test")
        before = written(store)
        if action not in MAY[role]:
            with pytest.raises(PermissionDenied, match=f"{NAMES[role]} \\({role}\\) may not"):
                call(store, user)
            assert written(store) == before  # nothing written, not even to the audit trail
            return
        result = call(store, user)
        if rid is None:  # an export: read only
            assert result and written(store) == before
        else:
            last = store.history(rid)[-1]
            assert (last.actor, last.action) == (NAMES[role], audit_action)


def test_a_role_the_code_does_not_know_may_do_nothing(sqlite_path):
    with Store(sqlite_path) as store:
        store.import_resources(app_directory(), actor="test")
        before = written(store)
        for role in ("", "Curator", "curator ", "superuser"):
            user = User("eve", role)
            assert not any(user.can(p) for perms in PERMISSIONS.values() for p in perms)
            for call, _, _ in ACTIONS.values():
                with pytest.raises(PermissionDenied):
                    call(store, user)
        assert written(store) == before


# ---- the audit trail names the signed-in user, in the app ---------------------------------------------------
def test_each_change_made_in_the_app_names_the_signed_in_curator(own_db):
    at = sign_in(new_app(), "curator")
    at.switch_page("views/directory.py").run()
    for rid, button in (("G02", "ed_verify"), ("G06", "ed_retire"), ("G07", "ed_reactivate")):
        at.selectbox(key="dir_open").set_value(rid).run()
        at.button(key=button).click().run()
        if button == "ed_retire":  # confirmed, with a reason
            at.text_input(key="ed_retire_reason").set_value("stopped meeting").run()
            at.button(key="ed_retire_yes").click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
    at.selectbox(key="dir_open").set_value("G01").run()
    at.text_input(key="ed_schedule").set_value("Fridays 12:00-14:00")
    at.button(key="FormSubmitter:edit_form-Save changes").click().run()
    at.text_input(key="add_id").set_value("N1")
    at.text_input(key="add_name").set_value("New Walking Group")
    at.text_area(key="add_description").set_value("A short walk for anyone.")
    at.text_input(key="add_latitude").set_value("55.86")
    at.text_input(key="add_longitude").set_value("-4.30")
    at.button(key="FormSubmitter:add_form-Add listing").click().run()
    at.switch_page("views/import_export.py").run()
    at.session_state["imp_data"] = (to_csv_text([listing("I1", name="Imported club")]).encode(), "new.csv")
    at.run()
    at.button(key="imp_confirm").click().run()
    assert not at.exception

    admin = sign_in(new_app(), "admin")
    admin.switch_page("views/directory.py").run()
    admin.selectbox(key="dir_open").set_value("G04").run()
    admin.button(key="ed_verify").click().run()

    changes = [(e.resource_id, e.action, e.actor) for e in Store(own_db).history() if e.actor != "test"]
    assert changes == [("G02", "verify", "cora"), ("G06", "retire", "cora"), ("G07", "reactivate", "cora"),
                       ("G01", "update", "cora"), ("N1", "create", "cora"), ("I1", "import", "cora"),
                       ("G04", "verify", "ada")]
