from allauth.account.views import LogoutView
from django.urls import path

from cairn.accounts import views

app_name = "accounts"
urlpatterns = [
    path("me/delete/", views.delete_me, name="delete_me"),
    path("invite/", views.redeem, name="redeem"),
    path("invite/<str:code>/", views.accept, name="accept"),
    path("people/<int:pk>/invite/", views.invite, name="invite"),
    path("people/<int:pk>/invite/sent/", views.invite_sent, name="invite_sent"),
    path("people/<int:pk>/invite/withdraw/", views.withdraw, name="withdraw"),
    path("people/<int:pk>/role/", views.change_role, name="role"),
    path("people/<int:pk>/active/", views.change_active, name="active"),
    path("logins/", views.logins, name="logins"),
    path("join-requests/", views.join_requests, name="join_requests"),
    path("join-requests/<int:pk>/", views.join_request, name="join_request"),
]

# Outside the namespace: the names every template and LOGIN_URL already use.
login_urlpatterns = [
    path("login/", views.CairnLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password_reset/", views.old_password_reset, name="old_password_reset"),
    # Before allauth's own: the address is managed on My details (see the view).
    path("email/", views.email_addresses, name="account_email"),
]
