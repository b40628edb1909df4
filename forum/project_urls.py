from django.urls import path

from forum.views import projects

app_name = "projects"

urlpatterns = [
    path("", projects.project_list, name="list"),
    path("<int:pk>/", projects.project_detail, name="detail"),
]
