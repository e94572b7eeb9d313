"""Pages for accounts: sign-up, sign-in, profiles, settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from backchannel.errors import ActionError, RateLimited
from backchannel.feed import queries as feed_queries
from backchannel.moderation import ratelimits
from backchannel.orgs import queries as org_queries
from backchannel.orgs.forms import AffiliationForm
from backchannel.web.forms import show_action_error

from . import actions, queries
from .forms import ProfileForm, SignUpForm, TokenForm


class LoginView(auth_views.LoginView):
    """Sign-in with a lockout: after too many failures for an account (or from an address),
    every attempt is refused with 429 and Retry-After until the window has room again, even
    with the right password, so guessing cannot continue."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        handle = request.POST.get("username", "")[:150]
        try:
            ratelimits.check_login_allowed(handle, ratelimits.client_ip(request))
        except RateLimited as exc:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, exc.message)
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        handle = self.request.POST.get("username", "")[:150]
        ratelimits.record_login_failure(handle, ratelimits.client_ip(self.request))
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass


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
            ratelimits.enforce("signup", ip=ratelimits.client_ip(request))
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


def profile(request: HttpRequest, handle: str) -> HttpResponse:
    person = queries.get_person(handle)
    return render(
        request,
        "accounts/profile.html",
        {"person": person, "posts": feed_queries.posts_by(person, request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {f: getattr(user, f) for f in ProfileForm.base_fields}
    form = ProfileForm(request.POST or None, initial=initial)
    if user.organisation_id is not None:  # type: ignore[union-attr]
        # Set by the organisation's policy while posting under it (orgs/).
        for name in ("affiliation", "disclaimer"):
            form.fields[name].disabled = True
            form.fields[name].help_text = "Set by your organisation's policy."
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_profile(user, **form.cleaned_data)  # type: ignore[arg-type]
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
            actions.revoke_api_token(request.user, int(request.POST["revoke"]))  # type: ignore[arg-type]
        except (ActionError, ValueError):
            messages.error(request, "That token does not exist.")
        else:
            messages.success(request, "The token is revoked.")
        return redirect("tokens")
    if request.method == "POST" and form.is_valid():
        _, new_token = actions.create_api_token(request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": queries.tokens_of(request.user),  # type: ignore[arg-type]
        },
    )
