"""Signpost's app: `streamlit run app.py` (or `make app` for the demo directory).

Layout only (page scripts in views/, their helpers in ui/). Who may see which page comes from `directory.accounts.PERMISSIONS`; every page and
every action checks again. With no accounts on an embedded SQLite file, served on loopback under a
loopback name (or with SIGNPOST_LOCAL_MODE=1), the app runs in local mode as a local administrator;
otherwise everyone signs in (a password, or single sign-on through
Streamlit's OpenID Connect when `[auth]` is set in .streamlit/secrets.toml; see README).
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import streamlit as st  # noqa: E402

import ui  # noqa: E402

st.set_page_config(page_title="Signpost", page_icon="🧭", layout="wide")

user = ui.current_user()
if user is None:
    ui.sign_in_form()

PAGES = [
    # (permission, file, title, icon)
    ("match", "views/find_support.py", "Find support", ":material/volunteer_activism:"),
    ("preview", "views/gp_preview.py", "GP preview", ":material/stethoscope:"),
    ("practice", "views/practice.py", "Our referrals", ":material/outbox:"),
    ("referrals", "views/caseload.py", "Referrals", ":material/inbox:"),
    ("person", "views/person.py", "Person", ":material/person:"),
    ("outcomes", "views/outcomes.py", "Listing outcomes", ":material/monitoring:"),
    ("browse", "views/directory.py", "Directory", ":material/menu_book:"),
    ("import", "views/import_export.py", "Import & export", ":material/upload_file:"),
    ("browse", "views/gaps.py", "Gaps", ":material/grid_view:"),
    ("accounts", "views/accounts.py", "Accounts", ":material/group:"),
]
allowed = [(f, t, i) for perm, f, t, i in PAGES if user.can(perm)]
pages = [st.Page(f, title=t, icon=i, default=(n == 0)) for n, (f, t, i) in enumerate(allowed)]
nav = st.navigation(pages)

with st.sidebar:
    if ui.local_mode(ui.store()):
        st.info("Local mode: no accounts, so you are a local administrator on this computer. "
                "To require sign-in, add accounts with `signpost user add`.")
    else:
        st.write(f"Signed in as **{ui.text(user.username)}** ({ui.ROLE_WORDS.get(user.role, user.role)})")
        st.button("Sign out", on_click=ui.sign_out)
    st.caption("Nothing about a person is saved unless you save their record, with their consent; "
               "closing the tab forgets the rest.")

nav.run()
