"""Page-number pagination with a bounded page size; out-of-range input is refused, not clamped."""

from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE = 100_000


class APIPagination(PageNumberPagination):
    """``page`` (from 1) and ``page_size`` (1–100, default 20); anything else is a 400."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"

    def get_page_size(self, request) -> int:
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        number = _positive_int(value)
        if number is None or number > self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("page_size は1から%(max)sまでの整数で指定してください。")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return number

    def paginate_queryset(self, queryset, request, view=None):
        value = request.query_params.get(self.page_query_param, "1")
        number = _positive_int(value)
        if number is None or number > MAX_PAGE:
            raise ValidationError(
                {
                    self.page_query_param: [
                        _("page は1から%(max)sまでの整数で指定してください。") % {"max": MAX_PAGE}
                    ]
                }
            )
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise NotFound(
                _("%(page)sページ目はありません（全%(pages)sページ）。")
                % {"page": number, "pages": paginator.num_pages}
            ) from None
        self.request = request
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": MAX_PAGE})
                parameter["description"] = "ページ番号（1から）"
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_page_size, "default": self.page_size}
                )
                parameter["description"] = (
                    f"1ページの件数（1〜{self.max_page_size}、既定は{self.page_size}）"
                )
        return parameters


def _positive_int(value: str) -> int | None:
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        return None
    number = int(value)
    return number if number >= 1 else None
