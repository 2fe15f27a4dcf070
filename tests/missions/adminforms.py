"""What a browser would post back from an admin change or add page, to change a few fields."""

from __future__ import annotations

from django.forms import CheckboxInput


def _post_value(bound) -> object:
    value = bound.value()
    if isinstance(bound.field.widget, CheckboxInput):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def admin_form_data(client, url: str, **changes) -> dict:
    """The page's form (and inline forms) as they stand, with `changes` on top; a value None
    leaves the field out (an unticked box)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data: dict = {}
    form = response.context["adminform"].form
    for name in form.fields:
        data[form.add_prefix(name)] = _post_value(form[name])
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = _post_value(management[name])
        for inline_form in formset.forms:
            for name in inline_form.fields:
                data[inline_form.add_prefix(name)] = _post_value(inline_form[name])
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
