"""What the layout itself serves: where each role starts, and the favicon browsers ask for."""

from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from casework.web import views

app_name = "web"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("favicon.ico", login_not_required(RedirectView.as_view(url=static("favicon.svg"), permanent=True))),
]
