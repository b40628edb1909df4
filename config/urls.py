from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cms import api as cms_api
from forum.api import urls as forum_api
from forum.api.errors import api_not_found

# One API, two apps: the forum's objects and the CMS's events, under one version prefix.
api_v1 = ([*forum_api.urlpatterns, *cms_api.urlpatterns], "api")

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("member/", include("forum.urls")),
    path("feeds/challenges/", include("cms.urls")),
    path("directory/", include("forum.public_urls")),
    path("projects/", include("forum.project_urls")),
    path("dashboard/", include("forum.dashboard_urls")),
    path("search/", include("search.urls")),
    path("member/suggestions/", include("matching.urls")),
    path("member/interests/", include("matching.interest_urls")),
    path("opendata/", include("forum.opendata_urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(
            url_name="api_schema", title="大阪スマートシティパートナーズフォーラム API"
        ),
        name="api_docs",
    ),
    re_path(r"^api/", api_not_found),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
