"""Pages for organisations, members, invitations, sharing groups, API keys and the audit trail,
one module a concept (`urls.py` names each view by its module).

Thin views: find what the person may see (or 404), validate the form, call one action, render.
An organisation's own pages are for its active members only; everyone else, platform admins
included, gets the same 404 as for an organisation that does not exist. Inside, a member who
may see a control but not use it gets 403.
"""
