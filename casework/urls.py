from django.contrib.auth import views as auth_views
from django.urls import include, path

from casework.api import api

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", api.urls),
    path("", include("casework.web.urls")),
]
