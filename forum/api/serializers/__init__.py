"""What the API shows of each object, and what it accepts from members.

Every coded value comes with its Japanese and English names (``{"code", "name_ja",
"name_en"}``); references carry their stable id and natural key (slug or local government
code). Write serializers check shape only and refuse unknown fields; the services decide.

One module per group of endpoints, as in forum.api.views: ``reference`` (fields,
municipalities, technologies), ``public`` (open data), ``projects`` (public projects),
``member`` (a token's own solutions and proposals); ``common`` holds what they share.
"""

# The query parameters (forum.api.filters) check ids against the same limit.
from forum.api.serializers.common import MAX_ID

__all__ = ["MAX_ID"]
