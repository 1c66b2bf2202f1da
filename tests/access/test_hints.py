"""The forms say truthfully who will see what (issue 14): each hint's promise is checked against the
access policy table, and the form shows it."""

from __future__ import annotations

from portal.access.policy import Group, Relation, allowed

NETWORK = allowed("police", frozenset({Relation.OTHER_COUNTRY}))
HOLDERS = allowed("police", frozenset({Relation.LINKED_COUNTRY})) & allowed(
    "police", frozenset({Relation.OWNER_COUNTRY})
)
HINTS = {
    # hint: (the groups it speaks of, whether it says that every member country reads them)
    "The police of every member country can read the names, the description and the marks": (
        {Group.IDENTIFICATION},
        True,
    ),
    "Your name and contact are seen only by the police of the country where the person was last seen": (
        {Group.REPORTER},
        False,
    ),
    "Only the police who handle the case will see it.": ({Group.DOCUMENT}, False),
    "Only you and the police who handle the case will see it.": ({Group.RECRUITERS}, False),
}


def test_each_hint_says_what_the_table_does(client, login_as):
    login_as("family")
    client.get("/lang/en")
    page = client.get("/claims/new").get_data(as_text=True).replace("&#39;", "'")
    for hint, (groups, network_wide) in HINTS.items():
        assert hint in page, hint
        assert groups <= HOLDERS, hint  # the countries handling the case read them
        assert (groups <= NETWORK) == network_wide, hint
