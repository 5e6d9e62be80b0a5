"""Collapsed inlines rendered when opened, not with every view of the change page.

A record's change page renders a widget per field of every inline row, and the collapsed ones
(a cadre's salary steps, evaluations, rewards, discipline, family) hold about half of them
while most visits never open them. With :class:`CollapsedInlinesOnDemandMixin`, a stored
object's page carries, for each collapsed inline, its heading with the number of rows and an
empty formset (so a save leaves its rows as they are); opening it fetches the inline from the
same change view (``?inline=<prefix>``: the same object lookup, permissions and read-only
rules) and ``static/js/lazy-inlines.js`` puts it in place with the admin's own row and date
widgets. Without JavaScript, the link in its place opens the page with every inline
(``?inline=all``). A page shown again after a failed save renders every inline as usual.

The same mixin also stops the admin from building every row's form of every inline to add up
their scripts and styles (:class:`InlineFormSetMedia`).
"""

from __future__ import annotations

from django.contrib.admin import helpers
from django.http import Http404
from django.template.response import TemplateResponse

INLINE_PARAM = "inline"
EVERY_INLINE = "all"
UNOPENED_FIELD = "UNOPENED"  # posted by an inline left unopened (no formset field has the name)


def urlencode_with(query, inline: str) -> str:
    """The page's own query string (the list's preserved filters) asking for ``inline``."""
    query = query.copy()
    query[INLINE_PARAM] = inline
    return query.urlencode()


def left_unopened(request, prefix: str) -> bool:
    """Whether to leave an inline unopened: on a first view, and after a failed save where it
    was posted unopened (its rows were not on the page: they are not shown as gone)."""
    return request.method == "GET" or f"{prefix}-{UNOPENED_FIELD}" in request.POST


def stays_unopened(request, admin_formset) -> bool:
    """Whether a stored object's page leaves this inline unopened (see :func:`left_unopened`)."""
    return admin_formset.is_collapsible and left_unopened(request, admin_formset.formset.prefix)


class UnopenedInline:
    """Stands in for a collapsed inline in the change form's context until it is opened.

    The change form includes ``opts.template`` for each inline and iterates its rows (for the
    prepopulated-fields script): this one has a template of its own and no rows."""

    template = "admin/core/edit_inline/unopened.html"

    def __init__(self, inline_admin_formset, query):
        self.formset = formset = inline_admin_formset.formset  # never rendered here
        self.model = inline_admin_formset.opts.model
        self.opts = self  # the change form includes ``opts.template``
        self.prefix = formset.prefix
        self.title = inline_admin_formset.opts.verbose_name_plural
        self.row_count = formset.get_queryset().count()
        self.url = f"?{urlencode_with(query, formset.prefix)}"
        self.every_inline_url = f"?{urlencode_with(query, EVERY_INLINE)}"

    def __iter__(self):
        return iter(())


class InlineFormSetMedia(helpers.InlineAdminFormSet):
    """An inline's scripts and styles from the inline and its formset only.

    Django's ``InlineAdminFormSet.media`` adds every row's form media to the formset's, which
    builds every row's form (and merges the same widget media row after row): about a fifth of
    a cadre's change page before anything is rendered. Every row is a form of one class, so
    the formset's media (its first form's, as ``BaseFormSet.media`` says: the rows are built
    anyway to be shown) is all of it, and the rows' fieldsets add none
    (``helpers.Fieldset.media`` is empty)."""

    @property
    def media(self):
        return self.opts.media + self.formset.media


class UnopenedInlineFormSetMedia(helpers.InlineAdminFormSet):
    """The same for an inline left unopened: its rows are not shown, so they are neither read
    nor built for their media; its empty form has the same widgets."""

    @property
    def media(self):
        return self.opts.media + self.formset.empty_form.media


class CollapsedInlinesOnDemandMixin:
    """For a ModelAdmin: leave its collapsed inlines out of a stored object's change page until
    the user opens them (see the module's docstring)."""

    class Media:
        js = ["js/lazy-inlines.js"]

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        every_inline = obj is None or request.GET.get(INLINE_PARAM) == EVERY_INLINE
        for admin_formset in admin_formsets:
            # The same object, a cheaper media.
            if not every_inline and stays_unopened(request, admin_formset):
                admin_formset.__class__ = UnopenedInlineFormSetMedia
            else:
                admin_formset.__class__ = InlineFormSetMedia
        return admin_formsets

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        asked = request.GET.get(INLINE_PARAM)
        if not change or asked == EVERY_INLINE:
            return response
        formsets = response.context_data["inline_admin_formsets"]
        if asked and request.method == "GET":
            return self.inline_fragment(request, response.context_data, formsets, asked)
        for index, formset in enumerate(formsets):
            if stays_unopened(request, formset):
                formsets[index] = UnopenedInline(formset, request.GET)
        return response

    def inline_fragment(self, request, context, formsets, prefix: str) -> TemplateResponse:
        """One inline's HTML, as the change page would have rendered it."""
        chosen = next((f for f in formsets if f.formset.prefix == prefix), None)
        if chosen is None:
            raise Http404
        return TemplateResponse(
            request, chosen.opts.template, {**context, "inline_admin_formset": chosen}
        )
