"""eom's URLs plus one page that fails (for test_tracebacks_hidden)."""

from django.urls import path

from eom.urls import handler500  # noqa: F401  the 500 page in the layout, as in eom.urls
from eom.urls import urlpatterns as eom_urlpatterns


def failing_page(request):
    canary_local = "local-variable-canary"  # noqa: F841  a traceback would show it
    raise RuntimeError("exception-message-canary")


urlpatterns = [path("failing/", failing_page), *eom_urlpatterns]
