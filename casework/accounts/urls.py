from django.urls import path

from casework.accounts import views

app_name = "accounts"

urlpatterns = [
    path("two-step/", views.two_factor, name="two_factor"),
    path("two-step/set-up/", views.two_factor_enrol, name="two_factor_enrol"),
    path("two-step/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-step/turn-off/", views.two_factor_disable, name="two_factor_disable"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
]
