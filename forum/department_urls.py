from django.urls import path

from forum.views import departments

app_name = "departments"

urlpatterns = [
    path("", departments.department_index, name="index"),
    path("<slug:slug>/", departments.department_detail, name="detail"),
]
