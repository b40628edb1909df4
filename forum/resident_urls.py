from django.urls import path

from forum.views import residents

app_name = "residents"

urlpatterns = [
    path("", residents.resident_home, name="home"),
    path("needs/", residents.need_list, name="need_list"),
    path("needs/new/", residents.need_submit_view, name="need_submit"),
    path("needs/<int:pk>/", residents.need_detail, name="need_detail"),
    path("needs/<int:pk>/photo/", residents.need_photo, name="need_photo"),
    path("support/<str:kind>/<int:pk>/", residents.support_toggle_view, name="support"),
]
