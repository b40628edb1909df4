from django.urls import path

from forum.views import api_tokens, member, notifications, organisations, proposals, solutions

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
    path("settings/notifications/", proposals.notification_settings, name="notification_settings"),
    path("settings/api-tokens/", api_tokens.api_token_list, name="api_tokens"),
    path(
        "settings/api-tokens/<int:pk>/revoke/",
        api_tokens.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("solutions/", solutions.solution_list, name="solution_list"),
    path("solutions/new/", solutions.solution_create_view, name="solution_create"),
    path("solutions/<int:pk>/", solutions.solution_edit_view, name="solution_edit"),
    path(
        "solutions/<int:pk>/attachments/add/",
        solutions.solution_attachment_upload,
        name="solution_attachment_upload",
    ),
    path(
        "solutions/<int:pk>/<str:action>/", solutions.solution_publish_view, name="solution_publish"
    ),
    path(
        "challenges/<int:challenge_id>/propose/",
        proposals.proposal_create_view,
        name="proposal_create",
    ),
    path("proposals/", proposals.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", proposals.proposal_edit_view, name="proposal_edit"),
    path("proposals/<int:pk>/messages/", proposals.proposal_message_view, name="proposal_message"),
    path(
        "proposals/<int:pk>/attachments/",
        proposals.proposal_attachment_upload,
        name="proposal_attachment_upload",
    ),
    path(
        "proposals/<int:pk>/attachments/<int:attachment_id>/",
        proposals.proposal_attachment_download,
        name="proposal_attachment",
    ),
    path(
        "proposals/<int:pk>/do/<str:action>/",
        proposals.proposal_action_view,
        name="proposal_action",
    ),
    path("review/", proposals.review_list, name="review_list"),
    path(
        "review/challenges/<int:challenge_id>/", proposals.review_challenge, name="review_challenge"
    ),
]
