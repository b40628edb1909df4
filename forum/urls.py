from django.urls import path

from forum.views import (
    api_tokens,
    dashboard,
    evaluation,
    follows,
    kpis,
    member,
    needs,
    notifications,
    organisations,
    progress_sheet,
    project_manage,
    proposals,
    questions,
    reports,
    solutions,
    tags,
    testers,
)

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
    path(
        "challenges/<int:challenge_id>/questions/",
        questions.question_ask_view,
        name="question_ask",
    ),
    path("questions/", questions.question_queue_view, name="question_queue"),
    path(
        "questions/<int:pk>/<str:action>/",
        questions.question_action_view,
        name="question_action",
    ),
    path(
        "challenges/<int:challenge_id>/follow/",
        follows.challenge_follow_view,
        name="challenge_follow",
    ),
    path("projects/", project_manage.member_project_list, name="project_list"),
    path("projects/new/", project_manage.project_create_view, name="project_create"),
    path("projects/<int:pk>/", project_manage.project_manage, name="project_manage"),
    path("projects/<int:pk>/stage/", project_manage.project_stage_view, name="project_stage"),
    path("projects/<int:pk>/owner/", project_manage.project_owner_view, name="project_owner"),
    path(
        "projects/<int:pk>/milestones/",
        project_manage.project_milestone_add_view,
        name="project_milestone_add",
    ),
    path(
        "projects/<int:pk>/milestones/<int:milestone_id>/done/",
        project_manage.project_milestone_done_view,
        name="project_milestone_done",
    ),
    path(
        "projects/<int:pk>/milestones/<int:milestone_id>/delete/",
        project_manage.project_milestone_remove_view,
        name="project_milestone_remove",
    ),
    path("projects/<int:pk>/kpis/", project_manage.project_kpi_add_view, name="project_kpi_add"),
    path(
        "projects/<int:pk>/kpis/<int:kpi_id>/publicity/",
        kpis.kpi_publicity_view,
        name="project_kpi_publicity",
    ),
    path("kpis/review/", kpis.kpi_review, name="kpi_review"),
    path("projects/progress/", progress_sheet.progress_import, name="progress_import"),
    path(
        "projects/progress.<str:fmt>",
        progress_sheet.progress_export,
        name="progress_export",
    ),
    path("projects/<int:pk>/tags/", tags.project_tags_view, name="project_tags"),
    path("challenges/<int:challenge_id>/tags/", tags.challenge_tags_view, name="challenge_tags"),
    path("kpis/<int:kpi_id>/<str:decision>/", kpis.kpi_decide_view, name="kpi_decide"),
    path("projects/<int:pk>/reports/", project_manage.project_report_view, name="project_report"),
    path(
        "projects/<int:pk>/documents/",
        project_manage.project_document_upload,
        name="project_document_upload",
    ),
    path(
        "projects/<int:pk>/documents/<int:document_id>/",
        project_manage.project_document_download,
        name="project_document",
    ),
    path(
        "projects/<int:pk>/participants/",
        project_manage.project_participant_add_view,
        name="project_participant_add",
    ),
    path(
        "projects/<int:pk>/coordinator/",
        project_manage.project_coordinator_view,
        name="project_coordinator",
    ),
    path(
        "projects/<int:pk>/rollout/",
        project_manage.project_rollout_start_view,
        name="project_rollout_start",
    ),
    path("projects/<int:pk>/follow/", follows.project_follow_view, name="project_follow"),
    path("dashboard/", dashboard.dashboard_secretariat, name="dashboard"),
    path("dashboard/<slug:key>.csv", dashboard.dashboard_secretariat_csv, name="dashboard_csv"),
    path("dashboard/stale/", dashboard.dashboard_stale, name="dashboard_stale"),
    path("projects/<int:pk>/testers/", testers.project_tester_calls, name="project_testers"),
    path("testers/<int:call_id>/", testers.tester_call_manage, name="tester_call_manage"),
    path(
        "testers/<int:call_id>/<str:action>/",
        testers.tester_call_action,
        name="tester_call_action",
    ),
    path("needs/", needs.need_queue, name="need_queue"),
    path("needs/<int:pk>/", needs.need_moderate, name="need_moderate"),
    path("needs/<int:pk>/do/<str:action>/", needs.need_action, name="need_action"),
    path("dashboard/time/", dashboard.dashboard_series_secretariat, name="dashboard_series"),
    path(
        "dashboard/time.json",
        dashboard.dashboard_series_secretariat_json,
        name="dashboard_series_json",
    ),
    path(
        "dashboard/time/<slug:key>.csv",
        dashboard.dashboard_series_secretariat_csv,
        name="dashboard_series_csv",
    ),
    path("dashboard/report/", reports.annual_report_index, name="annual_report"),
    path("dashboard/report/<int:year>/", reports.annual_report_page, name="annual_report_year"),
    path("dashboard/report/<int:year>.pdf", reports.annual_report_pdf, name="annual_report_pdf"),
    path("review/", proposals.review_list, name="review_list"),
    path(
        "review/challenges/<int:challenge_id>/", proposals.review_challenge, name="review_challenge"
    ),
    path(
        "review/challenges/<int:challenge_id>/evaluation/",
        evaluation.evaluation_manage,
        name="evaluation_manage",
    ),
    path(
        "review/challenges/<int:challenge_id>/evaluation/criteria/",
        evaluation.evaluation_criteria_view,
        name="evaluation_criteria",
    ),
    path(
        "review/challenges/<int:challenge_id>/evaluation/panel/",
        evaluation.evaluation_panel_view,
        name="evaluation_panel",
    ),
    path(
        "review/challenges/<int:challenge_id>/evaluation/panel/<int:member_id>/remove/",
        evaluation.evaluation_panel_remove_view,
        name="evaluation_panel_remove",
    ),
    path(
        "review/challenges/<int:challenge_id>/evaluation/decide/",
        evaluation.evaluation_decide_view,
        name="evaluation_decide",
    ),
    path(
        "review/challenges/<int:challenge_id>/evaluation/publish/",
        evaluation.evaluation_publish_view,
        name="evaluation_publish",
    ),
    path(
        "review/challenges/<int:challenge_id>/evaluation.csv",
        evaluation.evaluation_csv,
        name="evaluation_csv",
    ),
    path(
        "review/challenges/<int:challenge_id>/evaluation.pdf",
        evaluation.evaluation_pdf,
        name="evaluation_pdf",
    ),
    path("panel/", evaluation.panel_home, name="panel_home"),
    path(
        "panel/challenges/<int:challenge_id>/proposals/<int:proposal_id>/",
        evaluation.panel_proposal,
        name="panel_proposal",
    ),
    path(
        "panel/invitations/<str:token>/",
        evaluation.panel_invitation_accept_view,
        name="panel_invitation_accept",
    ),
    path(
        "proposals/<int:pk>/partners/",
        proposals.proposal_partner_invite_view,
        name="proposal_partner_invite",
    ),
    path(
        "proposals/partners/<int:partner_id>/",
        proposals.proposal_partner_view,
        name="proposal_partner",
    ),
    path("proposals/<int:pk>/feedback/", evaluation.proposal_feedback, name="proposal_feedback"),
]
