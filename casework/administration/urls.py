from django.urls import path

from casework.administration import views

app_name = "administration"

urlpatterns = [
    path("staff/", views.staff_list, name="staff"),
    path("staff/invite", views.staff_invite, name="staff_invite"),
    path("staff/import", views.staff_import, name="staff_import"),
    path("staff/<int:user_id>/", views.staff_edit, name="staff_edit"),
    path("staff/<int:user_id>/deactivate", views.staff_deactivate, name="staff_deactivate"),
    path("staff/<int:user_id>/reactivate", views.staff_reactivate, name="staff_reactivate"),
    path("staff/<int:user_id>/invitation", views.staff_invitation, name="staff_invitation"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new", views.team_edit, name="team_new"),
    path("teams/<int:team_id>/", views.team_edit, name="team_edit"),
    path("settings/", views.settings_page, name="settings"),
    path("case-types/new", views.case_type_edit, name="case_type_new"),
    path("case-types/<int:case_type_id>/", views.case_type_edit, name="case_type_edit"),
    path("flags/new", views.flag_edit, name="flag_new"),
    path("flags/<int:own_flag_id>/", views.flag_edit, name="flag_edit"),
    path("contact-types/new", views.contact_type_edit, name="contact_type_new"),
    path("contact-types/<int:contact_type_id>/", views.contact_type_edit, name="contact_type_edit"),
]
