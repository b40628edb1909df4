"""The forum's REST API (/api/v1/): public open data, and members' own solutions and proposals.

Views only parse input and call the forum's selectors and services, so the API shows what
the public pages show and writes obey the same rules as the web forms.
"""
