"""Pages for organisations, people, memberships, the lead donor rotation, working groups and
the participation overview. Every view: check access through `core.access`, act, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.choices import Role
from mineaction.core.pages import form_data, render_form, results_template, uuid_or_none
from mineaction.stakeholders import services
from mineaction.stakeholders.forms import (
    LeadDonorTermForm,
    MembershipForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonFilterForm,
    PersonForm,
    WorkingGroupForm,
)
from mineaction.stakeholders.models import (
    LeadDonorTerm,
    Membership,
    Organisation,
    Person,
    WorkingGroup,
)

PAGE_SIZE = 25


def _require_member_manager(user):
    """Outsiders and read-only readers may not open the create forms."""
    if not access.can_manage_members(user):
        raise PermissionDenied


def _current_memberships():
    return Prefetch(
        "memberships",
        queryset=Membership.objects.current().order_by("role"),
        to_attr="current_memberships",
    )


# Organisations ---------------------------------------------------------------------------------


def people_count():
    """People per organisation, counted for the rows of the page only (a join and GROUP BY
    would count the whole person table; see benchmarks/README.md)."""
    people = (
        Person.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(people, output_field=IntegerField()), 0)


@require_GET
@login_required
def organisation_list(request):
    access.require_reader(request.user)
    filters = OrganisationFilterForm(request.GET)
    filters.is_valid()
    organisations = filters.filter(
        Organisation.objects.annotate(people_count=people_count()).order_by("name", "pk")
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        results_template(request, "stakeholders/organisation_list.html"),
        {"filters": filters, "page": page, "can_manage": access.can_manage_members(request.user)},
    )


@require_GET
@login_required
def organisation_detail(request, public_id):
    organisation = access.get_organisation_for_user(request.user, public_id)
    people = organisation.people.prefetch_related(_current_memberships())
    return render(
        request,
        "stakeholders/organisation_detail.html",
        {
            "organisation": organisation,
            "people": people,
            "lead_donor_terms": organisation.lead_donor_terms.all(),
            "today": timezone.localdate(),
            "can_manage": access.can_manage_members(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def organisation_create(request):
    _require_member_manager(request.user)
    form = OrganisationForm(form_data(request))
    if form.is_valid():
        organisation = form.save()
        messages.success(request, _("The organisation has been added."))
        return redirect("stakeholders:organisation_detail", organisation.public_id)
    return render_form(
        request,
        form,
        title=_("New organisation"),
        cancel_url=reverse("stakeholders:organisation_list"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def organisation_edit(request, public_id):
    organisation = access.get_organisation_for_user(request.user, public_id, write=True)
    form = OrganisationForm(form_data(request), instance=organisation)
    if form.is_valid():
        form.save()
        messages.success(request, _("The organisation has been saved."))
        return redirect("stakeholders:organisation_detail", organisation.public_id)
    return render_form(
        request,
        form,
        title=_("Edit organisation"),
        subject=organisation,
        cancel_url=reverse("stakeholders:organisation_detail", args=[organisation.public_id]),
    )


# People ----------------------------------------------------------------------------------------


@require_GET
@login_required
def person_list(request):
    access.require_reader(request.user)
    filters = PersonFilterForm(request.GET, sensitive=access.can_see_sensitive(request.user))
    filters.is_valid()
    people = filters.filter(
        Person.objects.select_related("organisation")
        .prefetch_related(_current_memberships())
        .order_by("family_name", "given_name", "pk")
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        results_template(request, "stakeholders/person_list.html"),
        {"filters": filters, "page": page, "can_manage": access.can_manage_members(request.user)},
    )


@require_GET
@login_required
def person_detail(request, public_id):
    person = access.get_person_for_user(request.user, public_id)
    own = access.person_of(request.user)
    is_self = own is not None and own.pk == person.pk
    can_manage = access.can_manage_members(request.user)
    memberships = person.memberships.all()
    return render(
        request,
        "stakeholders/person_detail.html",
        {
            "person": person,
            "is_self": is_self,
            "show_sensitive": is_self or access.can_see_sensitive(request.user),
            "can_edit": access.can_edit_person(request.user, person),
            "can_manage": can_manage,
            "grantable_roles": _grantable_roles(request.user),
            "memberships": memberships,
            "current_ids": set(person.memberships.current().values_list("pk", flat=True)),
            "working_groups": person.working_groups.all(),
            "convened_ids": set(person.convened_working_groups.values_list("pk", flat=True)),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def person_create(request):
    _require_member_manager(request.user)
    initial = {}
    organisation_id = request.GET.get("organisation")
    if organisation_id:
        initial["organisation"] = Organisation.objects.filter(
            public_id=uuid_or_none(organisation_id)
        ).first()
    form = PersonForm(
        form_data(request), initial=initial, sensitive=access.can_see_sensitive(request.user)
    )
    if form.is_valid():
        person = services.person_save(form=form)
        messages.success(request, _("The person has been added."))
        return redirect("stakeholders:person_detail", person.public_id)
    return render_form(
        request, form, title=_("New person"), cancel_url=reverse("stakeholders:person_list")
    )


@require_http_methods(["GET", "POST"])
@login_required
def person_edit(request, public_id):
    person = access.get_person_for_user(request.user, public_id, write=True)
    form = PersonForm(
        form_data(request),
        instance=person,
        sensitive=access.can_see_sensitive(request.user),
        own_record=not access.can_manage_members(request.user),
    )
    if form.is_valid():
        services.person_save(form=form)
        messages.success(request, _("The person's record has been saved."))
        return redirect("stakeholders:person_detail", person.public_id)
    return render_form(
        request,
        form,
        title=_("Edit person"),
        subject=person,
        cancel_url=reverse("stakeholders:person_detail", args=[person.public_id]),
    )


@require_http_methods(["GET", "POST"])
@login_required
def person_invite(request, public_id):
    person = access.get_person_for_user(request.user, public_id)
    _require_member_manager(request.user)
    problem = services.invitation_problem(person)
    if request.method == "POST" and problem is None:
        try:
            services.person_invite(person=person, invited_by=request.user)
        except ValidationError as error:
            problem = error.messages[0]
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.") % {"email": person.email},
            )
            return redirect("stakeholders:person_detail", person.public_id)
    return render(
        request,
        "stakeholders/person_invite.html",
        {
            "person": person,
            "problem": problem,
            "resend": services.invitation_resend(person),
            "has_membership": person.memberships.current().exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


# Memberships -----------------------------------------------------------------------------------


def _grantable_roles(user):
    return {role for role in Role.values if access.can_grant_role(user, role)}


def _refuse_ungrantable_role(request):
    """A role the actor may not grant is refused outright, not just left out of the form."""
    role = request.POST.get("role")
    if (
        request.method == "POST"
        and role in Role.values
        and not access.can_grant_role(request.user, role)
    ):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@login_required
def membership_create(request):
    _require_member_manager(request.user)
    _refuse_ungrantable_role(request)
    person = Person.objects.filter(public_id=uuid_or_none(request.GET.get("person"))).first()
    form = MembershipForm(
        form_data(request),
        initial={"person": person, "starts_on": timezone.localdate()},
        allowed_roles=_grantable_roles(request.user),
    )
    if form.is_valid():
        membership = form.save()
        messages.success(request, _("The role has been granted."))
        return redirect("stakeholders:person_detail", membership.person.public_id)
    return render_form(
        request,
        form,
        title=_("Grant a role"),
        subject=person,
        cancel_url=reverse("stakeholders:person_detail", args=[person.public_id])
        if person
        else reverse("stakeholders:person_list"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def membership_edit(request, public_id):
    membership = access.get_membership_for_user(request.user, public_id, write=True)
    _refuse_ungrantable_role(request)
    initial = {"ends_on": timezone.localdate()} if request.GET.get("end") else {}
    form = MembershipForm(
        form_data(request),
        instance=membership,
        initial=initial,
        allowed_roles=_grantable_roles(request.user),
    )
    if form.is_valid():
        form.save()
        messages.success(request, _("The membership has been saved."))
        return redirect("stakeholders:person_detail", membership.person.public_id)
    return render_form(
        request,
        form,
        title=_("Edit membership"),
        subject=membership.person,
        cancel_url=reverse("stakeholders:person_detail", args=[membership.person.public_id]),
        intro=_("To end the term, set the date it ends. The person keeps the role until then."),
    )


# Lead donor rotation ---------------------------------------------------------------------------


@require_GET
@login_required
def lead_donor_rotation(request):
    access.require_reader(request.user)
    today = timezone.localdate()
    terms = list(LeadDonorTerm.objects.select_related("organisation"))
    current = next((t for t in terms if t.starts_on <= today <= t.ends_on), None)
    upcoming = next((t for t in terms if t.starts_on > today), None)
    return render(
        request,
        "stakeholders/lead_donor_rotation.html",
        {
            "terms": terms,
            "current": current,
            "upcoming": upcoming,
            "today": today,
            "can_manage": access.can_manage_members(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def lead_donor_term_create(request):
    _require_member_manager(request.user)
    form = LeadDonorTermForm(form_data(request))
    if form.is_valid():
        form.save()
        messages.success(request, _("The lead donor term has been added to the rotation."))
        return redirect("stakeholders:lead_donor_rotation")
    return render_form(
        request,
        form,
        title=_("New lead donor term"),
        cancel_url=reverse("stakeholders:lead_donor_rotation"),
        intro=_("Terms in the rotation may not overlap."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def lead_donor_term_edit(request, public_id):
    term = access.get_lead_donor_term_for_user(request.user, public_id, write=True)
    form = LeadDonorTermForm(form_data(request), instance=term)
    if form.is_valid():
        form.save()
        messages.success(request, _("The lead donor term has been saved."))
        return redirect("stakeholders:lead_donor_rotation")
    return render_form(
        request,
        form,
        title=_("Edit lead donor term"),
        subject=term.organisation,
        cancel_url=reverse("stakeholders:lead_donor_rotation"),
        intro=_("Terms in the rotation may not overlap."),
    )


# Working groups --------------------------------------------------------------------------------


@require_GET
@login_required
def working_group_list(request):
    access.require_reader(request.user)
    groups = WorkingGroup.objects.annotate(
        convener_count=Count("conveners", distinct=True),
        member_count=Count("members", distinct=True),
    ).order_by("component", "name")
    return render(
        request,
        "stakeholders/working_group_list.html",
        {"groups": groups, "can_manage": access.can_manage_members(request.user)},
    )


@require_GET
@login_required
def working_group_detail(request, public_id):
    group = access.get_working_group_for_user(request.user, public_id)
    return render(
        request,
        "stakeholders/working_group_detail.html",
        {
            "group": group,
            "conveners": group.conveners.select_related("organisation"),
            "members": group.members.select_related("organisation"),
            "can_manage": access.can_manage_members(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def working_group_create(request):
    _require_member_manager(request.user)
    form = WorkingGroupForm(form_data(request))
    if form.is_valid():
        group = services.working_group_save(form=form)
        messages.success(request, _("The working group has been created."))
        return redirect("stakeholders:working_group_detail", group.public_id)
    return render_form(
        request,
        form,
        title=_("New working group"),
        cancel_url=reverse("stakeholders:working_group_list"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def working_group_edit(request, public_id):
    group = access.get_working_group_for_user(request.user, public_id, write=True)
    form = WorkingGroupForm(form_data(request), instance=group)
    if form.is_valid():
        services.working_group_save(form=form)
        messages.success(request, _("The working group has been saved."))
        return redirect("stakeholders:working_group_detail", group.public_id)
    return render_form(
        request,
        form,
        title=_("Edit working group"),
        subject=group,
        cancel_url=reverse("stakeholders:working_group_detail", args=[group.public_id]),
    )


# Participation ---------------------------------------------------------------------------------


@require_GET
@login_required
def participation(request):
    access.require_reader(request.user)
    return render(
        request,
        "stakeholders/participation.html",
        {"summary": services.participation_summary()},
    )
