"""/account/: one's own two-factor sign-in and API tokens."""

from django.urls import path

from . import account

app_name = "account"
urlpatterns = [
    path("two-factor/", account.two_factor, name="two_factor"),
    path("two-factor/enrol/", account.two_factor_enrol, name="two_factor_enrol"),
    path("tokens/", account.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", account.token_revoke, name="token_revoke"),
]
