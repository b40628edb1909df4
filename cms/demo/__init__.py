"""The demonstration site, all in one place. Invented for this site; never run against real data.

- ``accounts``: the secretariat, a municipality and a company, with one login each
- ``solutions``: the company's published solution profiles
- ``challenges``: the municipalities' challenges (data); ``content`` builds them as pages,
  with news, events and an about page
- ``projects``: projects in different stages, with their history, KPIs and reports; the first
  is chosen by a panel (``selection``: criteria, conflicts, scores, decision, public result)
- ``residents``: residents of three municipalities, their needs in every state, support, a
  need turned into a draft challenge, and a project recruiting testers

``setup_site --demo`` runs them in that order and ``load_demo_content`` builds the pages
alone; running either again adds nothing. What the forum holds is created through the
forum's services, as a member, a municipality or the secretariat would create it, so it
reaches the search index, matching and the dashboard like anything else.
"""
