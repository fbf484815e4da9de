"""(being written)"""

from django.http import Http404


def divosa_export(request, fmt):
    raise Http404
