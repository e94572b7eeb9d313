"""Pages of organisations: the list, an organisation with its current policy, old versions,
acknowledging, the admins' page, and choosing to post under one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from backchannel.errors import ActionError, NotAllowed
from backchannel.orgs import actions, permissions, queries
from backchannel.orgs.forms import AffiliationForm, MemberForm, OrganisationForm, PolicyForm
from backchannel.web.forms import show_action_error
from backchannel.web.people import signed_in_user


@require_http_methods(["GET", "POST"])
def organisations(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect("login")
        if form.is_valid():
            try:
                organisation = actions.create_organisation(request.user, **form.cleaned_data)
            except ActionError as exc:
                show_action_error(form, exc)
            else:
                messages.success(request, "Your organisation is ready. Publish its policy next.")
                return redirect("manage_organisation", organisation.slug)
    return render(
        request,
        "orgs/organisations.html",
        {"organisations": queries.organisations(), "form": form},
        status=400 if form.errors else 200,
    )


def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    org = queries.get_organisation(slug)
    policy = queries.current_policy(org)
    member = permissions.membership_of(request.user, org)
    return render(
        request,
        "orgs/organisation.html",
        {
            "org": org,
            "policy": policy,
            "member": member,
            "acknowledged": bool(
                member and policy and queries.has_acknowledged(member.user, policy)
            ),
            "can_administer": permissions.can_administer(request.user, org),
            "versions": org.policies.order_by("-version").values_list("version", "published_at"),
        },
    )


def policy_version(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    org = queries.get_organisation(slug)
    policy = queries.get_policy(org, version)
    return render(request, "orgs/policy.html", {"org": org, "policy": policy})


@login_required
@require_POST
def acknowledge(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    org = queries.get_organisation(slug)
    policy = queries.get_policy(org, version)
    actions.acknowledge(signed_in_user(request), policy)  # 403 for non-members
    messages.success(request, f"Thank you: version {policy.version} acknowledged.")
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("organisation", org.slug)


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    org = queries.get_organisation(slug)
    if not permissions.can_administer(request.user, org):
        raise NotAllowed("Only the organisation's admins can see this page.")
    current = queries.current_policy(org)
    initial = {}
    if current is not None:
        initial = {
            "body": current.body,
            "disclaimer": current.disclaimer,
            "terms_to_avoid": current.terms_to_avoid,
            "guidance": current.guidance,
        }
    policy_form = PolicyForm(request.POST if "publish" in request.POST else None, initial=initial)
    member_form = MemberForm(request.POST if "add_member" in request.POST else None)
    actor = signed_in_user(request)
    if request.method == "POST":
        try:
            if "publish" in request.POST and policy_form.is_valid():
                policy = actions.publish_policy(actor, org, **policy_form.cleaned_data)
                messages.success(request, f"Version {policy.version} is published.")
                return redirect("manage_organisation", org.slug)
            if "add_member" in request.POST and member_form.is_valid():
                actions.add_member(actor, org, **member_form.cleaned_data)
                messages.success(request, f"@{member_form.cleaned_data['handle']} is a member.")
                return redirect("manage_organisation", org.slug)
            if "remove" in request.POST:
                actions.remove_member(actor, org, handle=request.POST["remove"])
                messages.success(request, f"@{request.POST['remove']} is no longer a member.")
                return redirect("manage_organisation", org.slug)
        except ActionError as exc:
            show_action_error(member_form if "add_member" in request.POST else policy_form, exc)
            if "remove" in request.POST:
                messages.error(request, exc.message)
    return render(
        request,
        "orgs/manage.html",
        {
            "org": org,
            "policy": current,
            "policy_form": policy_form,
            "member_form": member_form,
            "rows": queries.acknowledgements(org, current) if current else [],
            "members": queries.members(org),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def set_affiliation(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = AffiliationForm(request.POST, organisations=queries.organisations_of(user))
    if not form.is_valid():  # not one of theirs
        raise NotAllowed("Only the organisation's members post under its name.")
    chosen = form.cleaned_data["organisation"]
    org = queries.organisations_of(user).filter(pk=chosen).first() if chosen else None
    try:
        actions.set_affiliation(user, org)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"You now post as a member of {org.name}." if org else "You now post as yourself.",
        )
    return redirect("edit_profile")
