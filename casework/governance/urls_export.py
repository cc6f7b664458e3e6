from django.urls import path

from casework.governance import views_export

app_name = "export"

urlpatterns = [
    path("", views_export.export_notes, name="notes"),
]
