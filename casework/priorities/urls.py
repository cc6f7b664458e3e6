from django.urls import path

from casework.priorities import views

app_name = "priorities"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/matrix/", views.today_matrix, name="today_matrix"),
    path("today/team/", views.team_priorities, name="team_priorities"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:notification_id>/acknowledge", views.notification_acknowledge, name="acknowledge"),
    path("cases/<int:case_id>/priority/override", views.override_new, name="override_new"),
    path("overrides/<int:override_id>/end", views.override_end, name="override_end"),
    path("priorities/criteria/", views.criteria, name="criteria"),
    path("priorities/criteria/new", views.criterion_new, name="criterion_new"),
    path("priorities/criteria/<int:criterion_id>/", views.criterion_edit, name="criterion_edit"),
    path("priorities/settings/", views.priority_settings, name="settings"),
]
