from itertools import islice

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.core.models import AuditEntry
from cairn.core.roles import coordinator_required, is_coordinator, member_required
from cairn.jobs.services import start_job
from cairn.jobs.views import follow
from cairn.lib.forms import first_error
from cairn.lib.paging import paginate
from cairn.members import followups, import_jobs, merge, services
from cairn.members.forms import (
    ArchiveForm,
    ConsentForm,
    EraseForm,
    ImportPreviewForm,
    ImportUploadForm,
    MergeForm,
    MyDetailsForm,
    NewPersonForm,
    OrganisationForm,
    OwnLoginOnFileForm,
    PersonForm,
    mapping_choices,
)
from cairn.members.import_fields import guess_mapping, header_score
from cairn.members.importer import ImportReport, run_import
from cairn.members.models import (
    ImportJob,
    ImportStatus,
    Organisation,
    Person,
    Sector,
)
from cairn.members.tabular import UnreadableFile, read_table


@member_required
def organisations(request: HttpRequest) -> HttpResponse:
    qs = Organisation.objects.annotate(people_count=Count("people"))
    archived = request.GET.get("archived") == "1" and is_coordinator(request.user)
    qs = qs.filter(archived_at__isnull=not archived)
    q = request.GET.get("q", "").strip()
    sector = request.GET.get("sector", "")
    region = request.GET.get("region", "")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(topics__icontains=q) | Q(description__icontains=q))
    if sector in Sector.values:
        qs = qs.filter(sector=sector)
    if region:
        qs = qs.filter(region=region)
    regions = (
        Organisation.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )
    sector_counts = dict(
        Organisation.objects.values_list("sector")
        .annotate(n=Count("id"))
        .values_list("sector", "n")
    )
    return render(
        request,
        "members/organisations.html",
        {
            "page_obj": paginate(request, qs.order_by("name")),
            "q": q,
            "sector": sector,
            "region": region,
            "sectors": [
                (value, label, sector_counts.get(value, 0)) for value, label in Sector.choices
            ],
            "regions": regions,
            "archived": archived,
        },
    )


@member_required
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=pk)
    people = org.people.filter(anonymised_at__isnull=True)
    if not is_coordinator(request.user):
        # Members decide what of themselves other members see.
        people = people.filter(visible_in_directory=True)
    own = getattr(getattr(request.user, "person", None), "organisation_id", None) == org.pk
    return render(
        request,
        "members/organisation.html",
        {"org": org, "people": people, "may_edit": own or is_coordinator(request.user)},
    )


@coordinator_required
def people(request: HttpRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    qs = Person.objects.select_related("organisation").filter(
        anonymised_at__isnull=True, archived_at__isnull=not archived
    )
    q = request.GET.get("q", "").strip()
    channel = request.GET.get("channel", "")
    if q:
        qs = qs.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
            | Q(organisation__name__icontains=q)
        )
    if channel:
        qs = qs.filter(preferred_channel=channel)
    return render(
        request,
        "members/people.html",
        {"page_obj": paginate(request, qs), "q": q, "channel": channel, "archived": archived},
    )


@member_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    own = getattr(request.user, "person", None) == p
    coordinator = is_coordinator(request.user)
    listed = p.visible_in_directory and p.archived_at is None
    if not (coordinator or own or listed):
        return render(request, "404.html", status=404)
    context: dict = {"p": p, "show_private": coordinator or own}
    if coordinator or own:
        context.update(_person_activity(p))
    return render(request, "members/person.html", context)


ACTIVITY_LIMIT = 50


def _person_activity(p: Person) -> dict:
    """What the person did with the network, newest first (the person page's lists).

    Other apps' tables are reached by name through the app registry: members sits below
    them and must not import them."""
    contribution = apps.get_model("contributions", "Contribution")
    response = apps.get_model("consultations", "Response")
    post = apps.get_model("conversations", "Post")
    return {
        "registrations": p.registrations.select_related("event").order_by("-event__starts_at")[
            :ACTIVITY_LIMIT
        ],
        "contributions": contribution.objects.filter(author=p)
        .select_related("event")
        .order_by("-created_at")[:ACTIVITY_LIMIT],
        "responses": response.objects.filter(person=p)
        .select_related("consultation")
        .order_by("-created_at")[:ACTIVITY_LIMIT],
        "posts": post.objects.filter(author=p)
        .select_related("thread")
        .order_by("-created_at")[:ACTIVITY_LIMIT],
        "deliveries": p.deliveries.order_by("-created_at")[:ACTIVITY_LIMIT],
    }


@coordinator_required
def person_add(request: HttpRequest) -> HttpResponse:
    form = NewPersonForm(request.POST or None)
    duplicates: list[Person] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = list(
            services.likely_duplicates(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                organisation=data["organisation"],
            )[:10]
        )
        if not duplicates or data["not_a_duplicate"]:
            p = services.create_person(
                data,
                request.user,
                consents=data["consents"],
                consent_method=data["consent_method"],
                consent_date=_start_of_day(data["consent_date"]),
            )
            messages.success(request, _("%(name)s added.") % {"name": p.full_name})
            return redirect(p)
    return render(request, "members/person_add.html", {"form": form, "duplicates": duplicates})


def _start_of_day(day):
    if day is None:
        return None
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(day, time(12, 0)))


@require_POST
@coordinator_required
def person_archive(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(Person, pk=pk, anonymised_at__isnull=True)
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(p)
    archive = form.cleaned_data["archive"]
    services.archive_person(p, request.user, archived=archive)
    messages.success(
        request,
        (_("%(name)s is archived.") if archive else _("%(name)s is back on the list."))
        % {"name": p.full_name},
    )
    return redirect(p)


@coordinator_required
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick the duplicate record, see what would move, confirm."""
    kept = get_object_or_404(Person, pk=pk, anonymised_at__isnull=True)
    # The pick page links to the confirm page by GET; the confirm page posts back.
    form = MergeForm(request.POST if request.method == "POST" else request.GET, kept=kept)
    if form.is_bound and form.data.get("other") and not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("members:person_merge", pk=kept.pk)
    q = request.GET.get("q", "").strip()
    if not form.is_valid():
        candidates = services.likely_duplicates(
            first_name=kept.first_name,
            last_name=kept.last_name,
            email=kept.email,
            organisation=kept.organisation,
            exclude=kept.pk,
        )
        similar = list(candidates[:20])
        found: list[Person] = []
        if q:
            found = list(
                Person.objects.filter(anonymised_at__isnull=True)
                .exclude(pk=kept.pk)
                .filter(
                    Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
                )
                .select_related("organisation")[:20]
            )
        # A surname alone often finds the second record (typo in the first name).
        if not similar and kept.last_name:
            similar = list(
                Person.objects.filter(anonymised_at__isnull=True, last_name__iexact=kept.last_name)
                .exclude(pk=kept.pk)
                .select_related("organisation")[:20]
            )
        return render(
            request,
            "members/person_merge_pick.html",
            {"p": kept, "similar": similar, "found": found, "q": q},
        )
    dropped = form.cleaned_data["other"]
    try:
        plan = merge.plan_merge(kept, dropped)
    except services.PersonError as error:
        messages.error(request, str(error))
        return redirect("members:person_merge", pk=kept.pk)
    if request.method == "POST":
        if not form.cleaned_data["confirm"]:
            messages.error(request, _("Tick the box to confirm the merge."))
        else:
            try:
                done = merge.merge_people(kept, dropped, request.user)
            except services.PersonError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("Merged: %(moved)s moved to %(name)s.")
                    % {
                        "moved": ", ".join(done.move_lines) or _("no records"),
                        "name": kept.full_name,
                    },
                )
                return redirect(kept)
    field_labels = {f.name: f.verbose_name for f in Person._meta.fields}
    return render(
        request,
        "members/person_merge.html",
        {
            "p": kept,
            "other": dropped,
            "plan": plan,
            "filled": [(field_labels.get(f, f), getattr(dropped, f)) for f in plan.filled],
        },
    )


# --- people: details, consent, export, erasure ----------------------------------------------


@coordinator_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(Person, pk=pk, anonymised_at__isnull=True)
    form = PersonForm(request.POST or None, instance=Person.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_person(p, form.cleaned_data, request.user)
        except services.PersonError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing changed."))
            return redirect(p)
    return render(request, "members/person_form.html", {"p": p, "form": form})


@coordinator_required
def person_consent(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(Person, pk=pk, anonymised_at__isnull=True)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_consent(
            p,
            form.cleaned_data["purpose"],
            granted=form.cleaned_data["granted"],
            method=form.cleaned_data["method"],
            note=form.cleaned_data["note"],
            user=request.user,
        )
        messages.success(request, _("Consent recorded."))
        return redirect(p)
    return render(request, "members/consent_form.html", {"p": p, "form": form})


def _may_export(request: HttpRequest, p: Person) -> bool:
    return is_coordinator(request.user) or getattr(request.user, "person", None) == p


@member_required
def person_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    p = get_object_or_404(Person, pk=pk)
    if fmt not in ("json", "pdf"):
        raise Http404
    if not _may_export(request, p):
        raise PermissionDenied
    data, pdf = services.export_person(p, request.user, fmt=fmt)
    name = f"cairn-person-{p.pk}"
    if fmt == "pdf":
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@coordinator_required
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(Person, pk=pk, anonymised_at__isnull=True)
    form = EraseForm(request.POST or None, person=p)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_person(p, request.user)
        except services.PersonError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The person's identity was erased."))
            return redirect("members:people")
    return render(
        request,
        "members/person_erase.html",
        {"p": p, "form": form, "contributions": p.contributions.count()},
    )


@coordinator_required
def audit_log(request: HttpRequest) -> HttpResponse:
    qs = AuditEntry.objects.select_related("actor")
    person_id = request.GET.get("person", "")
    if person_id.isdigit():
        qs = qs.filter(object_type="members.person", object_id=person_id)
    action = request.GET.get("action", "").strip()
    if action:
        qs = qs.filter(action__startswith=action)
    return render(
        request,
        "members/audit_log.html",
        {"page_obj": paginate(request, qs), "person_id": person_id, "action": action},
    )


def _put_own_login_on_file(request: HttpRequest) -> HttpResponse:
    # A login made by `cairn createsuperuser` (the first coordinator of a new network) has
    # no person on file: it names itself here instead of meeting a "Page not found".
    user = request.user
    form = OwnLoginOnFileForm(
        request.POST or None,
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.put_own_login_on_file(user, form.cleaned_data)
        except services.PersonError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("You are on file. Add how to reach you below."))
            return redirect("members:me")
    return render(request, "members/my_details_new.html", {"form": form})


@member_required
def my_details(request: HttpRequest) -> HttpResponse:
    p = getattr(request.user, "person", None)
    if p is None:
        return _put_own_login_on_file(request)
    granted = [c.purpose for c in p.consents.all() if c.granted]
    form = MyDetailsForm(
        request.POST or None,
        instance=Person.objects.get(pk=p.pk),
        initial={"consent": granted},
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_own_details(
                p, form.cleaned_data, form.cleaned_data["consent"], request.user
            )
        except services.PersonError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing changed."))
            return redirect("members:me")
    return render(request, "members/my_details.html", {"p": p, "form": form})


@coordinator_required
def organisation_add(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organisation(form.cleaned_data, request.user)
        except services.PersonError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("%(name)s added.") % {"name": org.name})
            return redirect(org)
    return render(request, "members/organisation_form.html", {"org": None, "form": form})


@require_POST
@coordinator_required
def organisation_archive(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=pk)
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(org)
    archive = form.cleaned_data["archive"]
    services.archive_organisation(org, request.user, archived=archive)
    messages.success(
        request,
        (_("%(name)s is archived.") if archive else _("%(name)s is back on the list."))
        % {"name": org.name},
    )
    return redirect(org)


@member_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=pk)
    own = getattr(getattr(request.user, "person", None), "organisation_id", None) == org.pk
    if not (is_coordinator(request.user) or own):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        services.update_organisation(org, form.cleaned_data, request.user)
        messages.success(request, _("Saved."))
        return redirect(org)
    return render(request, "members/organisation_form.html", {"org": org, "form": form})


@member_required
def directory_people(request: HttpRequest) -> HttpResponse:
    qs = Person.objects.select_related("organisation").filter(
        anonymised_at__isnull=True, archived_at__isnull=True, visible_in_directory=True
    )
    q = request.GET.get("q", "").strip()
    sector = request.GET.get("sector", "")
    region = request.GET.get("region", "").strip()
    if q:
        qs = qs.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(job_title__icontains=q)
            | Q(organisation__name__icontains=q)
            | Q(organisation__topics__icontains=q)
        )
    if sector in Sector.values:
        qs = qs.filter(Q(sector=sector) | Q(sector="", organisation__sector=sector))
    if region:
        qs = qs.filter(Q(region__iexact=region) | Q(organisation__region__iexact=region))
    return render(
        request,
        "members/directory_people.html",
        {
            "page_obj": paginate(request, qs),
            "q": q,
            "sector": sector,
            "region": region,
            "sectors": Sector.choices,
        },
    )


# --- import ---------------------------------------------------------------------------------


@coordinator_required
def import_start(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            table = read_table(data, upload.name, header_score=header_score)
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            job = import_jobs.upload_import(
                upload.name, data, guess_mapping(table.headers), request.user
            )
            return redirect("members:import_preview", pk=job.pk)
    return render(request, "members/import_start.html", {"form": form})


PREVIEW_LIMIT = 200


@coordinator_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    if job.status == ImportStatus.APPLIED:
        return render(
            request,
            "members/import_done.html",
            {"job": job, "report": ImportReport.from_dict(job.report)},
        )
    data = import_jobs.uploaded_file(job)
    table = read_table(data, job.filename, header_score=header_score)
    form = ImportPreviewForm(request.POST or None, headers=table.headers)
    decisions: dict[int, str] = {}
    followup = ""
    # A missing tick still updates the preview with the choices made; any other problem
    # leaves the mapping as it was, and the summary says what to fix.
    if form.is_bound and set(form.errors) <= {"confirm"}:
        import_jobs.set_import_mapping(job, form.cleaned_data["mapping"], request.user)
        decisions = form.cleaned_data["decisions"]
        followup = form.cleaned_data["followup"]
        if form.is_valid() and form.cleaned_data["action"] == "apply":
            return _apply_import(request, job, data, decisions, followup)
    report = run_import(data, job.filename, mapping=job.mapping, decisions=decisions)
    offers = [
        {"key": f.key, "label": f.label, "choices": f.choices()}
        for f in followups.offered(report.preset)
    ]
    try:
        samples = [cells for _, cells in islice(table.rows(), 3)]
    except UnreadableFile:
        samples = []  # the same reason is in report.problems
    columns = [
        {
            "index": i,
            "header": header,
            "field": report.mapping.get(header, ""),
            "samples": [row[i] if i < len(row) else "" for row in samples],
        }
        for i, header in enumerate(table.headers)
    ]
    return render(
        request,
        "members/import_preview.html",
        {
            "job": job,
            "report": report,
            "columns": columns,
            "field_choices": mapping_choices(),
            "rejected": report.rejected[:PREVIEW_LIMIT],
            "notes": report.notes[:PREVIEW_LIMIT],
            "duplicates": report.duplicates[:PREVIEW_LIMIT],
            "limit": PREVIEW_LIMIT,
            "offers": offers,
            "followup": followup,
            "form": form,
        },
    )


def _apply_import(
    request: HttpRequest, job: ImportJob, data: bytes, decisions: dict, followup: str
) -> HttpResponse:
    if len(data) > import_jobs.BACKGROUND_BYTES:
        started = start_job(
            request.user,
            _("Import %(file)s") % {"file": job.filename},
            "cairn.members.import_jobs.apply_import_job",
            {
                "import_id": job.pk,
                "decisions": {str(k): v for k, v in decisions.items()},
                "user_id": request.user.pk,
                "followup": followup,
            },
            next_url=reverse("members:import_preview", args=[job.pk]),
        )
        return follow(request, started)
    problems = import_jobs.apply_import(job.pk, decisions, request.user, followup)
    if problems:
        messages.error(request, " ".join(problems))
        return redirect("members:import_preview", pk=job.pk)
    messages.success(request, _("Import applied."))
    return redirect("members:import_preview", pk=job.pk)
