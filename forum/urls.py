from django.urls import path

from forum.views import member, notifications, organisations

app_name = "forum"

urlpatterns = [
    path("", member.member_home, name="member_home"),
    path("welcome/", member.onboarding, name="onboarding"),
    path("organisations/apply/", organisations.organisation_apply_view, name="organisation_apply"),
    path("organisations/join/", organisations.organisation_join_view, name="organisation_join"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path(
        "organisations/<int:pk>/invite/",
        organisations.invitation_create_view,
        name="invitation_create",
    ),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_id>/revoke/",
        organisations.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path(
        "organisations/<int:pk>/requests/<int:request_id>/<str:decision>/",
        organisations.join_request_decide_view,
        name="join_request_decide",
    ),
    path(
        "invitations/<str:token>/", organisations.invitation_accept_view, name="invitation_accept"
    ),
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/read/", notifications.notifications_mark_read, name="notifications_mark_read"
    ),
]
