"""The demonstration site, all in one place. Invented for this site; never run against real data.

- ``accounts``: the secretariat, a municipality and a company, with one login each
- ``solutions``: the company's published solution profiles
- ``challenges``: the municipalities' challenges (data); ``content`` builds them as pages,
  with news, events and an about page
- ``projects``: projects in different stages, with their history, KPIs and reports; the first
  is chosen by a panel (``selection``: criteria, conflicts, scores, decision, public result)
- ``residents``: residents of three municipalities, their needs in every state, support, a
  need turned into a draft challenge, and a project recruiting testers
- ``history``: the forum's projects since FY2020 as the source documents tell them (48
  projects, 23 implemented, 27 in progress in FY2022), the departments of 大阪市 and 大阪府
  and the roll-out of 大阪市's LINE road-damage report to the prefecture

``setup_site --demo`` runs them in that order and ``load_demo_content`` builds the pages
alone; running either again adds nothing. What the forum holds is created through the
forum's services, as a member, a municipality or the secretariat would create it, so it
reaches the search index, matching and the dashboard like anything else.
"""
