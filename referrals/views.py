from django.http import Http404


def placeholder(request, pk=None):
    raise Http404
