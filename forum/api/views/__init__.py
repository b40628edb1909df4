"""The API's views: parse parameters, call one selector or service, serialize.

One module per group of endpoints: ``reference`` (fields, municipalities, technologies),
``public`` (open data), ``projects`` (public projects), ``member`` (a token's own solutions
and proposals); ``base`` holds the classes they build on.
"""
