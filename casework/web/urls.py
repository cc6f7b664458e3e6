from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from casework.web import views

app_name = "web"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("cases/new", views.case_new, name="case_new"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/goals", views.goal_new, name="goal_new"),
    path("cases/<int:case_id>/goals/<int:goal_id>/status", views.goal_status, name="goal_status"),
    path("cases/<int:case_id>/actions", views.action_new, name="action_new"),
    path("cases/<int:case_id>/history/print", views.case_history_print, name="case_history_print"),
    path("cases/<int:case_id>/notes", views.note_new, name="note_new"),
    path("cases/<int:case_id>/notes/check", views.note_check, name="note_check"),
    path("cases/<int:case_id>/status", views.case_status, name="case_status"),
    path("notes/<int:note_id>/amend", views.note_amend, name="note_amend"),
    path("actions/<int:action_id>/", views.action_update, name="action_update"),
    path("team/", views.team, name="team"),
    path("team/<int:user_id>/", views.team_member, name="team_member"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", login_not_required(RedirectView.as_view(url=static("favicon.svg"), permanent=True))),
]
