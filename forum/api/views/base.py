"""The bases of the API's views.

``PublicReadViewSet`` is the base of every open-data list (cms's events use it too):
anonymous, read-only, strict parameters, paginated lists. ``PublicReadMixin`` carries the
open-data rules for a single object such as the public dashboard.
"""

from django.db.models import QuerySet

from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from forum.api import filters


class ParametersMixin:
    """Validates the query string before anything else; the schema documents the same classes.

    ``parameters`` maps an action to its parameter serializer; actions not named take none.
    """

    parameters: dict[str, type[filters.QueryParameters]] = {}
    lookup_value_regex = r"[0-9]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, request.method.lower(), None) is None:
            return  # a method the view does not offer: dispatch answers 405 next
        parameters_class = self.parameters.get(self.action, filters.DetailParameters)
        checked = parameters_class(data=request.query_params)
        checked.is_valid(raise_exception=True)
        self.params = checked

    def param(self, name: str, default=None):
        """One validated parameter."""
        return self.params.validated_data.get(name, default)


class PublicReadMixin:
    """Open data: anyone may read, a token is optional, only GET and HEAD.

    Responses may be read by pages of other sites (the API uses no cookies, so allowing
    every origin gives away nothing that is not already public).
    """

    permission_classes = [AllowAny]
    http_method_names = ["get", "head"]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class PublicReadViewSet(PublicReadMixin, ParametersMixin, viewsets.ReadOnlyModelViewSet):
    """Open-data lists and their objects; lists are paginated."""

    def get_queryset(self) -> QuerySet:
        if self.action == "list":
            return self.list_queryset()
        return self.detail_queryset()

    def list_queryset(self) -> QuerySet:
        return self.detail_queryset()

    def detail_queryset(self) -> QuerySet:
        raise NotImplementedError
