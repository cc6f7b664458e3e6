from django.contrib.auth import views as auth_views
from django.urls import include, path

from casework.accounts.views import SignInView
from casework.api import api

urlpatterns = [
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("casework.accounts.urls")),
    path("api/", api.urls),
    path("administration/", include("casework.administration.urls")),
    path("governance/", include("casework.governance.urls")),
    path("export/", include("casework.governance.urls_export")),
    path("", include("casework.cases.urls")),
    path("", include("casework.priorities.urls")),
    path("", include("casework.web.urls")),
]
