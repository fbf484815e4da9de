"""(being written)"""

from django.http import Http404


def council_report(request):
    raise Http404


def council_report_pdf(request):
    raise Http404


def council_export(request, fmt):
    raise Http404
