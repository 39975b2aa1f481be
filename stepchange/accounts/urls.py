from django.contrib.auth import views as auth_views
from django.urls import path

from stepchange.accounts import two_factor, views
from stepchange.accounts.forms import SignInForm

app_name = "accounts"
urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/sign_in.html", authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="sign-in",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("two-factor/", two_factor.overview, name="two-factor"),
    path("two-factor/set-up/", two_factor.setup, name="two-factor-setup"),
    path("two-factor/verify/", two_factor.verify, name="two-factor-verify"),
    path("password-reset/", views.PasswordResetAsk.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetChoose.as_view(), name="password-reset-confirm"),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password-reset-complete",
    ),
    # Registering an organisation, and oneself as its first user: open to anyone signed out.
    path("register/", views.register, name="register"),
    # The links people are e-mailed: open to anyone holding one.
    path("invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("email-change/<str:token>/", views.email_change_confirm, name="email-change-confirm"),
    # Signed in.
    path("you/", views.your_account, name="your-account"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.people_invite, name="people-invite"),
    path("people/<int:pk>/close/", views.people_close, name="people-close"),
    path("people/<int:pk>/invitation/resend/", views.invitation_resend, name="invitation-resend"),
    path("people/<int:pk>/invitation/cancel/", views.invitation_cancel, name="invitation-cancel"),
]
