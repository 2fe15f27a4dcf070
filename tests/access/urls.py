"""Every URL pattern the project serves, read from the URL configuration, so that a new page,
htmx part, admin view or API endpoint is walked by the access tests without anyone listing it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Pattern:
    key: str  # namespace:name, or the route where a pattern has no name
    route: str  # the route as Django prints it, e.g. "meetings/<int:pk>/"
    admin_model: str | None  # "app_label.model" for a ModelAdmin's pattern, else None


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part) or None
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name or route, route


def _admin_models() -> dict[str, str]:
    """Route prefix "admin/<app>/<model>/" → "app.model" for every registered ModelAdmin."""
    return {
        f"admin/{model._meta.app_label}/{model._meta.model_name}/": model._meta.label_lower
        for model in admin.site._registry
    }


def all_patterns() -> list[Pattern]:
    models = _admin_models()
    seen: set[str] = set()
    patterns = []
    for key, route in _walk(get_resolver().url_patterns):
        if key in seen:
            continue
        seen.add(key)
        model = next((label for prefix, label in models.items() if route.startswith(prefix)),
                     None)
        patterns.append(Pattern(key=key, route=route, admin_model=model))
    return patterns


def path_for(pattern: Pattern, kwargs: dict) -> str:
    """The URL of a pattern with its arguments; a pattern without a name (the admin's
    `<object_id>/` redirect, its catch-all) has its route filled in."""
    if pattern.key != pattern.route:
        return reverse(pattern.key, kwargs=kwargs)
    path = pattern.route
    for name, value in kwargs.items():
        path = re.sub(rf"<(\w+:)?{name}>|\(\?P<{name}>[^)]*\)", str(value), path)
    return "/" + path.rstrip("$")
