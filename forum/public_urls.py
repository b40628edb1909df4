from django.urls import path

from forum.views import solutions

app_name = "directory"

urlpatterns = [
    path("solutions/", solutions.solution_directory_view, name="solutions"),
    path("solutions/<int:pk>/", solutions.solution_detail_view, name="solution"),
    path(
        "solutions/<int:pk>/files/<int:attachment_id>/",
        solutions.solution_attachment_download,
        name="solution_attachment",
    ),
    path("organisations/", solutions.organisation_directory_view, name="organisations"),
]
