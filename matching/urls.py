from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path(
        "challenges/<int:challenge_id>/", views.challenge_suggestions, name="challenge_suggestions"
    ),
    path("for-me/", views.member_suggestions, name="member_suggestions"),
    path("feedback/", views.suggestion_feedback, name="feedback"),
    path("board/", views.board, name="board"),
    path("projects/<int:project_id>/rollout/", views.project_rollout, name="project_rollout"),
]
