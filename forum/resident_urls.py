from django.urls import path

from forum.views import residents, testers

app_name = "residents"

urlpatterns = [
    path("", residents.resident_home, name="home"),
    path("needs/", residents.need_list, name="need_list"),
    path("needs/new/", residents.need_submit_view, name="need_submit"),
    path("needs/<int:pk>/", residents.need_detail, name="need_detail"),
    path("needs/<int:pk>/photo/", residents.need_photo, name="need_photo"),
    path("testers/", testers.tester_call_list, name="tester_calls"),
    path("testers/<int:pk>/", testers.tester_call_detail, name="tester_call"),
    path("testers/<int:pk>/apply/", testers.tester_apply_view, name="tester_apply"),
    path("testers/<int:pk>/withdraw/", testers.tester_withdraw_view, name="tester_withdraw"),
    path("support/<str:kind>/<int:pk>/", residents.support_toggle_view, name="support"),
]
