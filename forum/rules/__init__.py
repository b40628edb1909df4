"""The forum's rules as plain data and pure functions: services enforce them, selectors and
views read them to show what may be done, and none of them touches the database."""
