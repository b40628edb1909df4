from django.urls import path

from matching import interest_views as views

app_name = "interests"

urlpatterns = [
    path("", views.interest_list, name="list"),
    path("new/", views.interest_create_view, name="create"),
    path("<int:pk>/", views.interest_edit_view, name="edit"),
    path("<int:pk>/switch/", views.interest_toggle_view, name="toggle"),
    path("<int:pk>/delete/", views.interest_delete_view, name="delete"),
]
