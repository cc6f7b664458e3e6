from django.urls import path

from casework.cases import views, views_notes, views_plan, views_upkeep

app_name = "cases"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("cases/new", views.case_new, name="case_new"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/goals", views_plan.goal_new, name="goal_new"),
    path("cases/<int:case_id>/goals/<int:goal_id>/status", views_plan.goal_status, name="goal_status"),
    path("cases/<int:case_id>/actions", views_plan.action_new, name="action_new"),
    path("cases/<int:case_id>/history/print", views.case_history_print, name="case_history_print"),
    path("cases/<int:case_id>/notes", views_notes.note_new, name="note_new"),
    path("cases/<int:case_id>/notes/check", views_notes.note_check, name="note_check"),
    path("cases/<int:case_id>/status", views.case_status, name="case_status"),
    path("cases/<int:case_id>/client", views_upkeep.client_correct, name="client_correct"),
    path("cases/<int:case_id>/details", views_upkeep.case_details, name="case_details"),
    path("cases/<int:case_id>/reallocate", views_upkeep.case_reallocate, name="case_reallocate"),
    path("cases/<int:case_id>/close", views_upkeep.case_close, name="case_close"),
    path("notes/<int:note_id>/amend", views_notes.note_amend, name="note_amend"),
    path("actions/<int:action_id>/", views_plan.action_update, name="action_update"),
    path("actions/<int:action_id>/edit", views_upkeep.action_edit, name="action_edit"),
    path("actions/<int:action_id>/withdraw", views_upkeep.action_withdraw, name="action_withdraw"),
    path("actions/mine", views_upkeep.my_actions, name="my_actions"),
    path("cases/<int:case_id>/flags", views_plan.flag_new, name="flag_new"),
    path("flags/<int:flag_id>/clear", views_plan.flag_clear, name="flag_clear"),
    path("cases/<int:case_id>/deadlines", views_plan.deadline_new, name="deadline_new"),
    path("deadlines/<int:deadline_id>/met", views_plan.deadline_met, name="deadline_met"),
    path("team/", views.team, name="team"),
    path("team/<int:user_id>/", views.team_member, name="team_member"),
]
