"""Listing outcomes (link workers, curators, admins): what happened to the people referred to each
listing (taken on, attended, completed; typical days to first contact). No person is in it."""

from __future__ import annotations

import streamlit as st

import ui

user = ui.require("outcomes")

st.title("Listing outcomes")
st.caption("For every listing people were referred to: how many were taken on, attended and completed, and "
           "the typical (median) days from referral to the provider's first contact. Records erased under the "
           "retention rules still count here, with nothing that identifies anyone.")
ui.referral_widgets.listing_outcomes_table(user)
