"""Pages for accounts: sign-up, sign-in, profiles, follows, blocks, mutes, settings, a
person's own data and closing the account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from backchannel import ratelimits
from backchannel.accounts import actions, links, queries
from backchannel.accounts.forms import (
    AvatarForm,
    DeletionForm,
    EmailForm,
    PasswordChangeForm,
    ProfileForm,
    SignUpForm,
    TokenForm,
)
from backchannel.errors import ActionError, RateLimited
from backchannel.events.queries import public_roles_of
from backchannel.federation import discovery
from backchannel.feed import queries as feed_queries
from backchannel.messaging.permissions import can_message
from backchannel.notifications import actions as notification_actions
from backchannel.notifications import queries as notification_queries
from backchannel.notifications.models import ALWAYS_IN_APP, Kind
from backchannel.orgs import queries as org_queries
from backchannel.orgs.forms import AffiliationForm
from backchannel.privacy import deletion, export
from backchannel.realtime.outbox import revoke_streams
from backchannel.web.activity import negotiated
from backchannel.web.forms import show_action_error
from backchannel.web.people import signed_in_user


class LoginView(auth_views.LoginView):
    """Sign-in with a lockout: after too many failures for an account (or from an address),
    every attempt is refused with 429 and Retry-After until the window has room again, even
    with the right password, so guessing cannot continue."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        handle = request.POST.get("username", "")[:150]
        try:
            ratelimits.check_login_allowed(handle)
        except RateLimited as exc:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, exc.message)
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        if user.deletion_due_at is not None:
            # Signing in during the grace period: offer to keep the account.
            messages.warning(
                self.request,
                "Your account is set to be deleted on "
                f"{user.deletion_due_at:%-d %B %Y}. Keep it below, or sign out.",
            )
            return redirect("my_data")
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        handle = self.request.POST.get("username", "")[:150]
        ratelimits.record_login_failure(handle)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass


# --- Password and e-mail ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def account_security(request: HttpRequest) -> HttpResponse:
    """Change the password (every other session and stream ends; this one stays) and the
    e-mail address reset links go to. Both need the current password, counted as guesses."""
    user = signed_in_user(request)
    which = request.POST.get("which") if request.method == "POST" else None
    password_form = PasswordChangeForm(request.POST if which == "password" else None)
    email_form = EmailForm(
        request.POST if which == "email" else None, initial={"email": user.email}
    )
    form = {"password": password_form, "email": email_form}.get(which or "")
    if form is not None and form.is_valid():
        try:
            if which == "password":
                actions.change_password(
                    user, current=form.cleaned_data["current"], new=form.cleaned_data["new"]
                )
            else:
                actions.set_email(
                    user,
                    password=form.cleaned_data["password"],
                    email=form.cleaned_data["email"],
                )
        except RateLimited:
            raise
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            if which == "password":
                update_session_auth_hash(request, user)  # this session stays signed in
                messages.success(request, "Your password is changed. Other devices are signed out.")
            else:
                messages.success(request, "Your e-mail address is saved.")
            return redirect("account_security")
    return render(
        request,
        "accounts/security.html",
        {"password_form": password_form, "email_form": email_form, "has_email": bool(user.email)},
        status=400 if form is not None else 200,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail. Limited per address and per e-mail (a mailbox must not
    be flooded); the answer is the same whether or not an account has that address."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = "/accounts/password-reset/sent/"

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            ratelimits.enforce("reset", account=ratelimits.account_key(form.cleaned_data["email"]))
        except RateLimited as exc:
            form.add_error(None, exc.message)
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the e-mail: choose a new password. Sessions and streams signed with the
    old one end, as when a password is changed."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = "/accounts/password-reset/complete/"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # saves the new password (SetPasswordForm)

        revoke_streams(form.user.pk, None)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _next_url(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignUpForm(request.POST or None)
    retry_after = None
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.sign_up(**form.cleaned_data)
        except RateLimited as exc:
            form.add_error(None, exc.message)
            retry_after = exc.retry_after
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, @{user.username}.")
            return redirect(_next_url(request))
    response = render(
        request,
        "accounts/signup.html",
        {"form": form, "next": _next_url(request)},
        status=429 if retry_after else 400 if form.errors else 200,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@negotiated(lambda handle: discovery.person_named(handle))
def profile(request: HttpRequest, handle: str) -> HttpResponse:

    person = queries.get_person(handle)
    followers, following = queries.follow_counts(person)
    viewer = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "person": person,
            "posts": feed_queries.posts_by(person, viewer),
            "roles": public_roles_of(person, viewer),
            "ties": queries.ties(viewer, person),
            "followers": followers,
            "following": following,
            "can_message": viewer.is_authenticated and can_message(viewer, person),
        },
    )


def people_list(request: HttpRequest, handle: str, which: str) -> HttpResponse:
    person = queries.get_person(handle)
    people = queries.followers_of(person) if which == "followers" else queries.following_of(person)
    return render(
        request, "accounts/people.html", {"person": person, "people": people, "which": which}
    )


def avatar(request: HttpRequest, handle: str, version: int) -> HttpResponse:
    """The picture; its address changes with every upload, so it is cached for a year."""
    image = queries.avatar_image(handle)
    response = HttpResponse(image, content_type="image/webp")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


_TIES = {
    "follow": (actions.follow, actions.unfollow, "You follow @{h}.", "You no longer follow @{h}."),
    "mute": (actions.mute, actions.unmute, "You muted @{h}.", "You unmuted @{h}."),
    "block": (actions.block, actions.unblock, "You blocked @{h}.", "You unblocked @{h}."),
}


@login_required
@require_POST
def tie(request: HttpRequest, handle: str, what: str) -> HttpResponse:
    """Follow, mute or block (on=1), or undo it (on=0)."""
    do, undo, done_text, undone_text = _TIES[what]
    on = request.POST.get("on", "1") == "1"
    try:
        person = (do if on else undo)(signed_in_user(request), handle)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("profile", handle)
    messages.success(request, (done_text if on else undone_text).format(h=person.username))
    return redirect("profile", person.username)


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    initial = {f: getattr(user, f) for f in ProfileForm.base_fields}
    form = ProfileForm(request.POST or None, initial=initial)
    if user.organisation_id is not None:
        # Set by the organisation's policy while posting under it (orgs/).
        for name in ("affiliation", "disclaimer"):
            form.fields[name].disabled = True
            form.fields[name].help_text = "Set by your organisation's policy."
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_profile(user, **form.cleaned_data)
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("profile", user.username)
    return render(
        request,
        "accounts/edit_profile.html",
        {
            "form": form,
            "avatar_form": AvatarForm(),
            "organisations": org_queries.organisations_of(user),
            "affiliation_form": AffiliationForm(
                organisations=org_queries.organisations_of(user),
                initial={"organisation": getattr(user, "organisation_id", None) or ""},
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and "revoke" in request.POST:
        try:
            actions.revoke_api_token(signed_in_user(request), int(request.POST["revoke"]))
        except (ActionError, ValueError):
            messages.error(request, "That token does not exist.")
        else:
            messages.success(request, "The token is revoked.")
        return redirect("tokens")
    if request.method == "POST" and form.is_valid():
        _, new_token = actions.create_api_token(
            signed_in_user(request), name=form.cleaned_data["name"]
        )
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": queries.tokens_of(signed_in_user(request)),
        },
    )


@login_required
@require_POST
def set_avatar(request: HttpRequest) -> HttpResponse:
    if request.POST.get("remove") == "1":
        actions.remove_avatar(signed_in_user(request))
        messages.success(request, "Your picture is removed; your initials show instead.")
        return redirect("edit_profile")
    form = AvatarForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose an image file (JPEG, PNG, WebP or GIF, up to 5 MB).")
        return redirect("edit_profile")
    upload = form.cleaned_data["avatar"]
    try:
        actions.set_avatar(signed_in_user(request), upload.read(6 * 1024 * 1024))
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Your picture is saved.")
    return redirect("edit_profile")


@login_required
@require_POST
def verify_links(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    result = links.verify_links(user, links.profile_addresses(request, user.username))
    if not result:
        messages.info(request, "Add a website or a Mastodon address first.")
    for name, ok in result.items():
        label = "Your website" if name == "website" else "Your Mastodon profile"
        if ok:
            messages.success(request, f"{label} is verified.")
        else:
            messages.error(
                request,
                f"{label} could not be verified: add a link to your profile here with "
                'rel="me" on that page, then try again.',
            )
    return redirect("edit_profile")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method == "POST":
        choices = {
            kind: {
                "in_app": request.POST.get(f"{kind}-in_app") == "on",
                "email": request.POST.get(f"{kind}-email") == "on",
            }
            for kind in Kind.values
        }
        notification_actions.set_preferences(user, choices)
        messages.success(request, "Your notification settings are saved.")
        return redirect("notification_settings")
    chosen = notification_queries.preferences(user)
    rows = [
        {
            "kind": kind,
            "label": Kind(kind).label,
            "in_app": chosen[kind][0],
            "email": chosen[kind][1],
            "always": kind in ALWAYS_IN_APP,
        }
        for kind in Kind.values
    ]
    return render(request, "accounts/notification_settings.html", {"rows": rows})


@login_required
@require_http_methods(["GET"])
def my_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/my_data.html",
        {"form": DeletionForm(), "grace_days": settings.BACKCHANNEL_DELETION_GRACE_DAYS},
    )


@login_required
@require_http_methods(["GET"])
def export_data(request: HttpRequest, fmt: str) -> HttpResponse:
    user = signed_in_user(request)
    stamp = f"backchannel-{user.username}"
    if fmt == "json":
        response = HttpResponse(export.as_json(user), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{stamp}.json"'
    else:
        response = HttpResponse(export.as_csv_zip(user), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{stamp}-csv.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeletionForm(request.POST)
    if form.is_valid():
        try:
            due = deletion.request_deletion(
                signed_in_user(request),
                password=form.cleaned_data["password"],
                mode=form.cleaned_data["mode"],
            )
        except RateLimited:
            raise
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            # The session is already invalid (the epoch moved); end it here too.

            logout(request)
            messages.success(
                request,
                f"Your account will be deleted on {due:%-d %B %Y}. Until then, signing in "
                "lets you keep it.",
            )
            return redirect("home")
    return render(
        request,
        "accounts/my_data.html",
        {"form": form, "grace_days": settings.BACKCHANNEL_DELETION_GRACE_DAYS},
        status=400,
    )


@login_required
@require_POST
def cancel_deletion(request: HttpRequest) -> HttpResponse:
    deletion.cancel_deletion(signed_in_user(request))
    messages.success(request, "Welcome back: your account is no longer being deleted.")
    return redirect("my_data")
