"""`{% download_links "table" %}`: the links that send a page's table as CSV or XLSX with the
page's own filters (the query string as it is, without its page number)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def download_links(context, table: str) -> str:
    query = context["request"].GET.copy()
    for key in ("format", "table", "page"):
        query.pop(key, None)
    links = []
    for suffix, label in (("csv", "CSV"), ("xlsx", "XLSX")):
        query["format"], query["table"] = suffix, table
        links.append(format_html('<a href="?{}" download>{}</a>', query.urlencode(), label))
    return format_html('<p class="download" data-table="{}">{} {} · {}</p>', table,
                       _("Download the table:"), links[0], links[1])
