"""(being written)"""

from django.http import Http404


def question_list(request):
    raise Http404


def question_create(request):
    raise Http404


def question_edit(request, pk):
    raise Http404
