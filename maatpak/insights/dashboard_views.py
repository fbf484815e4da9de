"""(being written)"""

from django.http import Http404


def dashboard(request):
    raise Http404


def figure_people(request, code, period, row):
    raise Http404
