from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.consultations.forms import (
    AnswerDetailsForm,
    ColumnsForm,
    ConsultationForm,
    EntryChannelForm,
    EntryForm,
    ImportForm,
    MoveQuestionForm,
    PaperFormsForm,
    QuestionForm,
    StatusForm,
    column_choices,
    posted_answers,
)
from cairn.consultations.models import (
    Consultation,
    ConsultationStatus,
    ImportStatus,
    PaperForm,
    Question,
    QuestionKind,
    Response,
    ResponseChannel,
    ResponseImport,
)
from cairn.consultations.services import answering, building, importing, paper, results
from cairn.consultations.services import columns as matching
from cairn.core.roles import (
    Role,
    coordinator_required,
    facilitator_required,
    has_role,
)
from cairn.lib.forms import first_error
from cairn.lib.paging import paginate


def _summary(errors: dict[int, str]) -> dict:
    """The questions' errors for the error summary: each links to its question (`q<pk>`);
    key 0 is a problem with the whole form (a closed consultation, an unknown paper code)."""
    return {
        "question_errors": [(f"q{key}" if key else "", message) for key, message in errors.items()],
        "kept": bool(errors) and (0 not in errors or len(errors) > 1),
    }


def _items(consultation: Consultation, raw: dict, errors: dict) -> list[dict]:
    return [
        {
            "q": q,
            "values": raw.get(q.pk, []),
            "value": (raw.get(q.pk) or [""])[0]
            if q.kind == QuestionKind.OPEN
            else " ".join(raw.get(q.pk, [])),
            "error": errors.get(q.pk, ""),
            "numbered": list(enumerate(q.options, start=1)),
        }
        for q in consultation.questions.all()
    ]


def consultation_list(request: HttpRequest) -> HttpResponse:
    qs = Consultation.objects.select_related("asked_by")
    if not has_role(request.user, Role.COORDINATOR):
        qs = qs.filter(status=ConsultationStatus.OPEN)
        if not request.user.is_authenticated:
            qs = qs.filter(allow_anonymous=True)
    return render(request, "consultations/list.html", {"page_obj": paginate(request, qs)})


@coordinator_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consultation = building.create_consultation(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Consultation created. Now add its questions."))
        return redirect(consultation)
    return render(request, "consultations/edit.html", {"form": form})


@coordinator_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=pk)
    form = ConsultationForm(request.POST or None, instance=consultation)
    if request.method == "POST" and form.is_valid():
        building.update_consultation(consultation, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(consultation)
    return render(request, "consultations/edit.html", {"form": form, "consultation": consultation})


@facilitator_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation.objects.select_related("asked_by"), pk=pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        if not has_role(request.user, Role.COORDINATOR):
            raise PermissionDenied
        if form.is_valid():
            try:
                building.add_question(consultation, actor=request.user, **form.cleaned_data)
            except building.BuildError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Question added."))
                return redirect(consultation)
    counts = {
        "responses": consultation.responses.exclude(status="draft").count(),
        "late": consultation.responses.filter(late=True).count(),
        "drafts": consultation.responses.filter(status="draft").count(),
        "paper_forms": consultation.paper_forms.count(),
        "due": paper.people_due_a_form(consultation).count(),
        "issued_due": len(paper.issued_forms_due(consultation)),
    }
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "questions": consultation.questions.all(),
            "form": form,
            "counts": counts,
            "statuses": ConsultationStatus.choices,
            "no_return_address": not paper.return_address(consultation),
        },
    )


@coordinator_required
@require_POST
def question_move(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id, consultation_id=pk)
    form = MoveQuestionForm(request.POST)
    if form.is_valid():
        building.move_question(
            question, actor=request.user, up=form.cleaned_data["direction"] == "up"
        )
    else:
        messages.error(request, first_error(form))
    return redirect("consultations:detail", pk=pk)


@coordinator_required
def question_remove(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id, consultation_id=pk)
    if request.method == "POST":
        try:
            building.remove_question(question, actor=request.user)
        except building.BuildError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Question removed."))
        return redirect("consultations:detail", pk=pk)
    return render(request, "consultations/confirm_remove.html", {"question": question})


@coordinator_required
@require_POST
def consultation_status(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(consultation)
    try:
        building.set_status(consultation, form.cleaned_data["status"], actor=request.user)
    except building.BuildError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Status is now: %s") % consultation.get_status_display())
    return redirect(consultation)


def answer_start(request: HttpRequest, pk: int) -> HttpResponse:
    """The introduction and privacy notice, then a button that starts (or resumes) answering."""
    consultation = get_object_or_404(Consultation, pk=pk)
    is_coordinator = has_role(request.user, Role.COORDINATOR)
    if consultation.status == ConsultationStatus.DRAFT and not is_coordinator:
        raise Http404
    if not consultation.is_open:
        # An old link to a closed consultation says when it closed, login or not, and
        # offers no Start button; nothing is written, whatever was posted.
        return render(request, "consultations/start.html", {"consultation": consultation})
    if not consultation.allow_anonymous and not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        try:
            response = answering.start_web_response(consultation, request.user)
        except answering.AnswerErrors as exc:
            messages.error(request, str(exc))
            return redirect("consultations:answer_start", pk=pk)
        return redirect("consultations:answer", token=response.token)
    return render(request, "consultations/start.html", {"consultation": consultation})


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The web form. The link is the respondent's key, so it can be bookmarked to finish later."""
    response = get_object_or_404(
        Response.objects.select_related("consultation", "person"),
        token=token,
        channel=ResponseChannel.WEB,
    )
    consultation = response.consultation
    if response.person_id and response.person.user_id != getattr(request.user, "pk", None):
        raise Http404
    if response.is_submitted:
        return render(request, "consultations/thanks.html", {"consultation": consultation})
    if not consultation.is_open:
        # Answers saved before the closing date stay saved, but can no longer be sent.
        return render(request, "consultations/start.html", {"consultation": consultation})
    errors: dict[int, str] = {}
    ask_sector = not response.person_id
    if request.method == "POST":
        raw = posted_answers(request.POST, consultation)
        submit = "submit" in request.POST
        form = AnswerDetailsForm(request.POST, ask_sector=ask_sector)
        try:
            if not form.is_valid():
                # The questions are still checked, so every problem shows at once.
                answering.clean_answers(consultation, raw, require=submit)
                raise answering.AnswerErrors({})
            answering.save_web_answers(
                response,
                raw,
                submit=submit,
                sector=form.cleaned_data.get("sector", ""),
                consent_to_quote=form.cleaned_data["consent_to_quote"],
            )
        except answering.AnswerErrors as exc:
            errors = exc.errors
        else:
            if submit:
                return render(request, "consultations/thanks.html", {"consultation": consultation})
            messages.success(
                request,
                _("Your answers are saved. Come back to this page's address to finish later."),
            )
            return redirect("consultations:answer", token=token)
    else:
        raw = answering.answers_as_raw(response)
        response.refresh_from_db()
        form = AnswerDetailsForm(
            initial={"sector": response.sector, "consent_to_quote": response.consent_to_quote},
            ask_sector=ask_sector,
        )
    return render(
        request,
        "consultations/answer.html",
        {
            "consultation": consultation,
            "response": response,
            "form": form,
            "items": _items(consultation, raw, errors),
            "has_errors": bool(errors or form.errors),
            **_summary(errors),
            "resume_url": request.build_absolute_uri(),
        },
    )


@facilitator_required
def call_script(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=pk)
    return render(
        request,
        "consultations/script.html",
        {"consultation": consultation, "items": _items(consultation, {}, {})},
    )


@facilitator_required
def enter(request: HttpRequest, pk: int) -> HttpResponse:
    """Keyboard-fast entry of phone answers and returned paper forms."""
    consultation = get_object_or_404(Consultation, pk=pk)
    # The links name the channel (and a looked-up code) in the address; the form posts them.
    chosen = EntryChannelForm({**request.POST.dict(), **request.GET.dict()})
    chosen.is_valid()  # an unknown channel is the phone page; an overlong code is no code
    channel = chosen.cleaned_data["channel"]
    code = chosen.cleaned_data.get("code", "")
    errors: dict[int, str] = {}
    paper_form: PaperForm | None = None
    raw: dict[int, list[str]] = {}
    if request.method == "POST":
        # Kept whatever happens next, so a refused code never loses the typed answers.
        raw = posted_answers(request.POST, consultation, several=False)
    if channel == ResponseChannel.PAPER and code:
        try:
            paper_form = answering.find_paper_form(consultation, code)
            code = paper_form.code
        except answering.PaperCodeError as exc:
            errors[0] = str(exc)
    form = EntryForm(request.POST if request.method == "POST" else None, channel=channel)
    if request.method == "POST" and not errors:
        try:
            if not form.is_valid():
                # The answers are still checked, so every problem shows at once.
                answering.clean_answers(consultation, raw, require=False)
                raise answering.AnswerErrors({})
            response = answering.enter_response(
                consultation,
                raw,
                channel=channel,
                actor=request.user,
                person=form.cleaned_data.get("person"),
                respondent_name=form.cleaned_data.get("respondent_name", ""),
                sector=form.cleaned_data.get("sector", ""),
                paper_code=code,
                incomplete=form.cleaned_data["incomplete"],
                consent_to_quote=form.cleaned_data["consent_to_quote"],
                entry_key=form.cleaned_data["entry_key"],
            )
        except answering.AnswerErrors as exc:
            errors = exc.errors
        else:
            saved = (
                _("Saved late response %(ref)s for %(name)s. Ready for the next one.")
                if response.late
                else _("Saved response %(ref)s for %(name)s. Ready for the next one.")
            )
            messages.success(
                request, saved % {"ref": response.reference, "name": response.display_name}
            )
            return redirect(f"{request.path}?channel={channel}")
    return render(
        request,
        "consultations/enter.html",
        {
            "consultation": consultation,
            "channel": channel,
            "code": code,
            "paper_form": paper_form,
            "posted": request.method == "POST",
            "show_answers": channel == ResponseChannel.PHONE
            or paper_form is not None
            or request.method == "POST",
            "form": form,
            "items": _items(consultation, raw, errors),
            "has_errors": bool(errors or form.errors),
            "code_error": 0 in errors,
            **_summary(errors),
        },
    )


@coordinator_required
def paper_forms_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=pk)
    if "blank" in request.GET:
        # Issuing blank forms creates codes: a POST from the button, never a link's GET.
        messages.info(request, _("Use the “Print blank forms” button to print blank forms."))
        return redirect(consultation)
    form = PaperFormsForm(request.POST)
    if request.method == "POST" and not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(consultation)
    if request.method == "POST" and "blank" in request.POST:
        forms = paper.issue_blank_forms(
            consultation, actor=request.user, count=form.cleaned_data["blank"]
        )
    elif request.method == "POST":
        # Issuing codes to everyone due one creates records: a confirmed POST only.
        if not form.cleaned_data["confirm"]:
            messages.error(
                request, _("Tick the box to confirm that codes should be issued, then try again.")
            )
            return redirect(consultation)
        forms = paper.issue_paper_forms(consultation, actor=request.user)
    else:
        # A GET (a link, a prefetch, a crawler) prints only the forms already issued.
        forms = paper.issued_forms_due(consultation)
        if not forms and paper.people_due_a_form(consultation).exists():
            messages.info(
                request,
                _("No paper form has been issued yet: use “Issue and download paper forms”."),
            )
            return redirect(consultation)
    if not forms:
        messages.info(
            request, _("Nobody is due a paper form: everyone who takes part by post has answered.")
        )
        return redirect(consultation)
    pdf = paper.render_paper_forms(consultation, forms)
    reply = HttpResponse(pdf, content_type="application/pdf")
    reply["Content-Disposition"] = f'attachment; filename="consultation-{pk}-paper-forms.pdf"'
    return reply


@coordinator_required
@require_POST
def paper_forms_send(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=pk)
    sent = paper.send_paper_forms(consultation, actor=request.user)
    messages.success(request, _("%d paper forms added to the letter batch.") % sent)
    return redirect(consultation)


@facilitator_required
def results_page(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=pk)
    return render(
        request,
        "consultations/results.html",
        {
            "consultation": consultation,
            "r": results.consultation_results(consultation),
            "themes": results.consultation_themes(consultation),
        },
    )


@coordinator_required
@require_POST
def synthesise_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Themes across every open answer: the run a lessons briefing draws on."""
    consultation = get_object_or_404(Consultation, pk=pk)
    try:
        results.find_themes_across_answers(consultation, actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("consultations:results", pk=pk)
    messages.success(
        request,
        _("Finding the themes across all answers of %(title)s.") % {"title": consultation.title},
    )
    return redirect(f"{reverse('consultations:results', args=[pk])}#themes-all")


@coordinator_required
@require_POST
def synthesise(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id, consultation_id=pk)
    try:
        run = results.synthesise_open_question(question, actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("consultations:results", pk=pk)
    messages.success(request, _("Synthesis started: %(title)s") % {"title": run.title})
    return redirect(f"{reverse('consultations:results', args=[pk])}#q{question.pk}")


@facilitator_required
def results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable summary to share: counts, themes, and quotes only from those who agreed;
    ?large=1 for large print, as for reports."""
    consultation = get_object_or_404(Consultation.objects.select_related("asked_by"), pk=pk)
    large = request.GET.get("large") == "1"
    reply = HttpResponse(
        results.summary_pdf(consultation, large_print=large), content_type="application/pdf"
    )
    name = f"consultation-{pk}-results{'-large-print' if large else ''}.pdf"
    reply["Content-Disposition"] = f'attachment; filename="{name}"'
    return reply


@facilitator_required
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=pk)
    reply = HttpResponse(results.responses_csv(consultation), content_type="text/csv")
    reply["Content-Disposition"] = f'attachment; filename="consultation-{pk}-responses.csv"'
    return reply


@coordinator_required
def import_csv(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Kept, and its columns shown to be matched: nothing is imported yet.
            record = importing.keep_upload(
                consultation,
                upload.read(),
                filename=upload.name,
                actor=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except importing.ImportFailed as exc:
            report = exc.report
        else:
            return redirect(record)
    return render(
        request,
        "consultations/import.html",
        {"consultation": consultation, "form": form, "report": report},
    )


@coordinator_required
def import_result(request: HttpRequest, pk: int, import_id: int) -> HttpResponse:
    """A queued import: its progress while the worker has it, then what it found."""
    consultation = get_object_or_404(Consultation, pk=pk)
    record = get_object_or_404(
        ResponseImport.objects.select_related("job"), pk=import_id, consultation=consultation
    )
    if record.status == ImportStatus.MATCHING:
        return _match_columns(request, consultation, record)
    if request.method == "POST":
        return redirect(record)  # Import clicked twice: the first click has it
    report = importing.ImportReport.from_dict(record.report) if record.report else None
    return render(
        request,
        "consultations/import.html",
        {"consultation": consultation, "form": ImportForm(), "report": report, "record": record},
    )


def _match_columns(
    request: HttpRequest, consultation: Consultation, record: ResponseImport
) -> HttpResponse:
    """The step between the upload and the import: each column of the file, its first
    values and a select saying what it holds, filled with the guess."""
    seen = importing.overview(record, make_questions="questions" in request.GET)
    questions = list(consultation.questions.all())
    form = ColumnsForm(
        request.POST or None,
        headers=[c.header for c in seen.columns],
        choices=column_choices(questions, new_allowed=seen.new_allowed),
        initial={f"map-{c.index}": c.target for c in seen.columns},
        wordings=[c.wording for c in seen.columns] if seen.new_allowed else None,
    )
    problems: list[str] = []
    targets = [c.target for c in seen.columns]
    if form.is_bound and form.is_valid():
        targets = form.chosen()
        try:
            record = importing.start_import(
                record, targets, actor=request.user, wordings=form.wordings()
            )
        except importing.ImportFailed as exc:
            for problem in exc.report.errors:
                # Beside its column, and linked from the summary, where it has one.
                column = getattr(problem, "column", None)
                if column is None:
                    problems.append(problem)
                else:
                    form.add_error(f"map-{column}", problem)
        else:
            if record.status == ImportStatus.APPLIED:
                messages.success(request, importing.import_outcome(record))
            return redirect(record)
    return render(
        request,
        "consultations/import_columns.html",
        {
            "consultation": consultation,
            "record": record,
            "seen": seen,
            "form": form,
            "problems": problems + seen.errors,
            "columns": [
                (c, form[f"map-{c.index}"], form[f"text-{c.index}"] if seen.new_allowed else None)
                for c in seen.columns
            ],
            "unanswered": matching.unmatched_required(targets, questions),
            "questions": questions,
        },
    )
