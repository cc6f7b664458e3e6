from django.urls import path

from casework.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.home, name="home"),
    path("clients/<int:client_id>/", views.client_detail, name="client"),
    path("clients/<int:client_id>/erase", views.client_erase, name="client_erase"),
    path("cases/<int:case_id>/legal-hold", views.legal_hold, name="legal_hold"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/response", views.request_response, name="request_response"),
    path("requests/<int:request_id>/complete", views.request_complete, name="request_complete"),
    path("retention/", views.retention_report, name="retention"),
    path("certificates/", views.certificates, name="certificates"),
]
