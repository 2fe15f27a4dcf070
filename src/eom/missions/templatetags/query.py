"""Links that keep the page's query: `{% page_url n %}`, `data|query_items`, `data|query_string`.

A template that reads `request.GET.items` gets the value of a parameter named `items` instead
of the method (`?items=x` then breaks the page): these helpers call the methods themselves.
"""

from __future__ import annotations

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """`?<the current query, its page replaced>`: the link to page `number`."""
    query = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


@register.filter
def query_items(data) -> list[tuple[str, str]]:
    """(name, value) pairs of a query or a dict, the last value of a repeated name."""
    if isinstance(data, QueryDict):
        return [(name, data[name]) for name in data]
    return list(data.items()) if hasattr(data, "items") else []


@register.filter
def query_string(data) -> str:
    """A query or a dict as `a=1&b=2` (for a link that adds to it)."""
    if isinstance(data, QueryDict):
        return data.urlencode()
    query = QueryDict(mutable=True)
    for name, value in dict(data or {}).items():
        query[name] = str(value)
    return query.urlencode()
