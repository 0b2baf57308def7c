from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from cairn.core.roles import coordinator_required
from cairn.lib.mailers import catching
from cairn.lib.paging import paginate
from cairn.sentmail.models import CaughtEmail


@coordinator_required
def sent_mail(request: HttpRequest) -> HttpResponse:
    if not catching():
        raise Http404
    qs = CaughtEmail.objects.defer("raw", "html")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(to__icontains=q) | Q(subject__icontains=q))
    return render(request, "sentmail/list.html", {"page_obj": paginate(request, qs), "q": q})


@coordinator_required
def sent_mail_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not catching():
        raise Http404
    email = get_object_or_404(CaughtEmail.objects.defer("raw"), pk=pk)
    return render(request, "sentmail/detail.html", {"email": email})
