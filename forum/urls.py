from django.urls import path

from forum import views

app_name = "forum"

urlpatterns = [
    path("", views.member_home, name="member_home"),
    path("welcome/", views.onboarding, name="onboarding"),
    path("organisations/apply/", views.organisation_apply_view, name="organisation_apply"),
    path("organisations/join/", views.organisation_join_view, name="organisation_join"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/invite/", views.invitation_create_view, name="invitation_create"),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path(
        "organisations/<int:pk>/requests/<int:request_id>/<str:decision>/",
        views.join_request_decide_view,
        name="join_request_decide",
    ),
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
]
