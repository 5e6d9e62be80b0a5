"""Helpers of the access tests; the named actors they use live in tests/conftest.py."""

from django.db.models.fields.files import FieldFile

from tests.conftest import PASSWORD

__all__ = ["PASSWORD", "change_form_data"]


def change_form_data(client, url: str) -> dict:
    """What the browser would post back from an admin change page, inlines left empty."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, value in form.initial.items():
        if value is None or name not in form.fields or isinstance(value, FieldFile):
            continue  # a file input is posted empty (the file stays)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data
