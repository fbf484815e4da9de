"""Work to do (werkvoorraad): one page listing what waits on the consultant, oldest first, each
with a link to where it is done. The list is `casework.selectors.work_list`."""

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from maatpak.accounts.policy import DOSSIER, require
from maatpak.audit.services import audit_read_participants
from maatpak.casework.selectors import WorkKind
from maatpak.casework.selectors import work_list as work_list_items


@login_required
def work_list(request):
    require(request.user, DOSSIER, "view_work_list")
    items = work_list_items(user=request.user, today=timezone.localdate())
    # The page names participants and what waits for them: one read per participant shown.
    audit_read_participants(actor=request.user, participants=[item.participant for item in items], purpose="work list")
    counts = Counter(item.kind for item in items)
    return render(
        request,
        "participants/work_list.html",
        {"items": items, "counts": [(label, counts[kind]) for kind, label in WorkKind.LABELS.items() if counts[kind]]},
    )
