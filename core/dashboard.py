"""The admin index page's dashboard: a grid of panels that apps register, as of a chosen day.

A panel is a title, a template and a function ``context(request, on)`` returning that template's
context (or None to hide the panel). Charts are bars drawn as inline SVG on the server
(``admin/dashboard/bars.html``): no JavaScript build, printable, and testable as HTML. Apps
register panels in their ``dashboard.py``, discovered like ``reports.py``::

    from core import dashboard

    @dashboard.panel("Cử đi học theo năm", order=20, depends_on=("training", "cadres"))
    def dispatches_per_year(request, on):
        return {"chart": dashboard.BarChart(bars=[...])}

Speed at a million cadres (bench/RESULTS.md):

- a panel's rendered HTML is cached per panel, day, user scope (``scope_key``: users who see
  the same units share figures) and the versions of the apps it ``depends_on``: each committed
  write to an app raises its :class:`core.models.DataVersion` (signals for saves and deletes,
  :func:`changed` for the bulk paths), so the figures computed before it are never read again;
  ``CACHE_SECONDS`` bounds what a write outside both paths (``QuerySet.update``) leaves stale;
- a ``deferred`` panel not in the cache is left out of the page and fetched after it, as an
  HTML fragment (``panel_view``, ``static/js/dashboard.js``), so the index never waits for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

CACHE_SECONDS = 60 * 60


@dataclass
class Bar:
    label: str
    value: float | int
    text: str = ""  # shown after the bar, e.g. "36/78 (46,2%)"
    url: str = ""
    target: float | None = None  # a tick drawn across the bar


@dataclass
class BarChart:
    bars: list[Bar]
    maximum: float | None = None  # scale; the largest value (or target) if None
    unit: str = ""

    ROW = 36  # a label line above each bar: long Vietnamese labels are never cut

    def scaled(self) -> list[dict[str, Any]]:
        """Each bar with its width and target as percentages of the chart's width."""
        top = self.maximum or max([b.value for b in self.bars] + [b.target or 0 for b in self.bars])
        top = top or 1
        return [
            {
                "bar": bar,
                "width": round(100 * bar.value / top, 1),
                "target": None if bar.target is None else round(100 * bar.target / top, 1),
                "y": self.ROW * index,
            }
            for index, bar in enumerate(self.bars)
        ]

    @property
    def height(self) -> int:
        return self.ROW * len(self.bars)


@dataclass
class Panel:
    title: str
    context: Callable[[Any, date], dict[str, Any] | None]
    template: str = "admin/dashboard/bars.html"
    order: int = 50
    permission: str = "cadres.view_cadre"
    # What the figures count (the cache key carries these versions): an app label (any write
    # to the app), a model ("cadres.unit": any write of it) or a model's fields
    # ("cadres.cadre:unit,retirement_date": creating or deleting one, or a save changing one
    # of these fields). Bulk writes (``changed``) count as writes of everything in their app.
    depends_on: tuple[str, ...] = ()
    # Costly when not cached (an aggregate over the register): fetched after the page.
    deferred: bool = False
    # Shown only to users for whom it returns True (e.g. a commune user's own lists).
    show: Callable[[Any], bool] | None = None
    wide: bool = False  # spans two grid columns
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.context.__name__.replace("_", "-")

    def visible_to(self, request) -> bool:
        if not request.user.has_perm(self.permission):
            return False
        return self.show is None or self.show(request.user)


_panels: list[Panel] = []
_discovered = False


def panel(title: str, template: str = "admin/dashboard/bars.html", order: int = 50, **kwargs):
    """Decorator registering ``context(request, on)`` as a dashboard panel."""

    def register(function):
        _panels.append(
            Panel(title=title, context=function, template=template, order=order, **kwargs)
        )
        return function

    return register


def discover() -> list[Panel]:
    global _discovered
    if not _discovered:
        autodiscover_modules("dashboard")
        _discovered = True
    return sorted(_panels, key=lambda p: p.order)


# --- Whose figures: the user's scope ---------------------------------------------------------


def _default_scope(user) -> Hashable:
    return ("user", user.pk)  # safe when no app says better: nobody shares figures


scope_key: Callable[[Any], Hashable] = _default_scope


def set_scope(function: Callable[[Any], Hashable]) -> None:
    """Name what decides a user's figures (the app owning access by unit registers it): users
    with equal keys see equal figures and share the cache."""
    global scope_key
    scope_key = function


# --- Versions: what a write invalidates -----------------------------------------------------


@dataclass(frozen=True)
class Dependency:
    """One ``depends_on`` entry, read: ``tag`` is its version's label."""

    tag: str
    app: str
    model: str | None = None  # "cadres.cadre"
    fields: frozenset[str] | None = None  # field names; None: any

    @classmethod
    def parse(cls, tag: str) -> Dependency:
        model, _, fields = tag.partition(":")
        app, _, name = model.partition(".")
        return cls(
            tag,
            app,
            model if name else None,
            frozenset(f.strip() for f in fields.split(",")) if fields else None,
        )

    def written(self, model: str, app: str, touched: set[str] | None) -> bool:
        """Whether a write of ``model`` (in ``app``) changing the fields ``touched`` (None: a
        creation, a deletion or an unknown change) can change what this counts."""
        if self.model is None:
            return self.app == app
        if self.model != model:
            return False
        return self.fields is None or touched is None or bool(self.fields & touched)


def dependencies() -> set[Dependency]:
    """What the panels and the reports (``core.reports``, which cache their figures the same
    way) count."""
    from core import reports

    tags = {tag for item in discover() for tag in item.depends_on}
    tags.update(tag for report in reports.all_reports() for tag in report.depends_on)
    return {Dependency.parse(tag) for tag in tags}


def watched_labels() -> set[str]:
    return {dependency.app for dependency in dependencies()}


def watched_fields(model) -> set[str]:
    """The fields of ``model`` that some panel counts by name (its saves are compared)."""
    label = model._meta.label_lower
    return {
        name
        for dependency in dependencies()
        if dependency.model == label and dependency.fields is not None
        for name in dependency.fields
    }


def changed(*labels: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Everything the apps ``labels`` hold changed (the bulk writers, COPY and the import
    engine, which send no signals): every version of theirs is raised."""
    _raise(
        {dependency.tag for dependency in dependencies() if dependency.app in labels},
        using,
    )


def _raise(tags: set[str], using: str) -> None:
    """Raise the versions of ``tags`` once the current transaction commits (at once outside
    one). After the commit, not within: a counter row updated inside a long import would make
    every other save of the app wait for the import."""
    connection = connections[using]
    pending = {
        getattr(callback, "dashboard_label", None) for _, callback, _ in connection.run_on_commit
    }
    for label in tags - pending:

        def bump(label=label):
            from core.models import DataVersion

            versions = DataVersion.objects.using(using)
            if not versions.filter(label=label).update(version=F("version") + 1):
                versions.get_or_create(label=label, defaults={"version": 1})

        bump.dashboard_label = label
        transaction.on_commit(bump, using=using)


def _compare_stored(
    sender, instance, raw=False, using=DEFAULT_DB_ALIAS, update_fields=None, **kwargs
):
    """Before a save of a stored row whose fields a panel counts: which of them it changes
    (one query by primary key, for those models only)."""
    instance._dashboard_touched = None
    fields = watched_fields(sender) if not raw and sender.__module__ != "__fake__" else set()
    if not fields or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None:
        instance._dashboard_touched = set(update_fields)
        return
    attnames = {name: sender._meta.get_field(name).attname for name in fields}
    stored = (
        sender._base_manager.using(using).filter(pk=instance.pk).values(*attnames.values()).first()
    )
    if stored is not None:
        instance._dashboard_touched = {
            name
            for name, attname in attnames.items()
            if stored[attname] != getattr(instance, attname)
        }


def _model_written(sender, instance=None, using=DEFAULT_DB_ALIAS, raw=False, **kwargs) -> None:
    if raw or sender.__module__ == "__fake__":
        return  # fixtures, and the historical models of data migrations (before our table)
    opts = sender._meta
    touched = None
    if kwargs.get("signal") is post_save and not kwargs.get("created"):
        touched = getattr(instance, "_dashboard_touched", None)
    elif kwargs.get("signal") is m2m_changed:
        # The link table of a model: a change of that model, of any field.
        opts = type(instance)._meta
    label = opts.label_lower
    tags = {d.tag for d in dependencies() if d.written(label, opts.app_label, touched)}
    if tags:
        _raise(tags, using)


def connect_signals() -> None:
    """Saves and deletes of any model raise the versions of what panels count of it (called
    from CoreConfig.ready)."""
    pre_save.connect(_compare_stored, dispatch_uid="dashboard-compare")
    post_save.connect(_model_written, dispatch_uid="dashboard-save")
    post_delete.connect(_model_written, dispatch_uid="dashboard-delete")
    m2m_changed.connect(_model_written, dispatch_uid="dashboard-m2m")


def versions(labels: Iterable[str]) -> dict[str, int]:
    """Current versions, read where the figures are read (the replica, when there is one)."""
    from core.models import DataVersion

    labels = sorted(set(labels))
    found = dict(
        DataVersion.objects.using(router.db_for_read(DataVersion))
        .filter(label__in=labels)
        .values_list("label", "version")
    )
    return {label: found.get(label, 0) for label in labels}


# --- Rendering and caching ------------------------------------------------------------------


def figures_key(kind: str, name: str, on: date, *parts: Hashable) -> str:
    """The cache key of the figures of a panel or a report (``kind``) named ``name`` on
    ``on``, for ``parts``: the user scope, the versions of what it counts, a report's filters."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"{kind}:{name}:{on.isoformat()}:{digest}"


def cache_key(item: Panel, on: date, scope: Hashable, current: dict[str, int]) -> str:
    counted = sorted((label, current[label]) for label in item.depends_on)
    return figures_key("dashboard", item.name, on, scope, counted)


def render(item: Panel, request, on: date) -> str:
    """The panel's HTML (``""`` when hidden). Rendered without the request: the HTML is shared
    by every user of the same scope, so it must carry nothing personal (no CSRF token)."""
    context = item.context(request, on)
    if context is None:
        return ""
    return render_to_string(
        "admin/dashboard/panel.html",
        {"panel": {"title": item.title, "template": item.template, "name": item.name, **context},
         "wide": item.wide},
    )  # fmt: skip


def fragment_url(item: Panel, on: date) -> str:
    return f"{reverse('dashboard-panel', args=[item.name])}?on={on:%d/%m/%Y}"


def panels(request, on: date, defer: bool = True) -> list[dict[str, Any]]:
    """The panels this user may see, in order: ``html`` when cached or cheap, else (deferred
    panels) the ``url`` of the fragment that computes it."""
    shown = [item for item in discover() if item.visible_to(request)]
    current = versions(label for item in shown for label in item.depends_on)
    scope = scope_key(request.user)
    keys = {item.name: cache_key(item, on, scope, current) for item in shown}
    cached = cache.get_many(list(keys.values()))
    result = []
    for item in shown:
        key = keys[item.name]
        if key in cached:
            html = cached[key]
        elif defer and item.deferred:
            result.append({"title": item.title, "url": fragment_url(item, on), "wide": item.wide})
            continue
        else:
            html = render(item, request, on)
            cache.set(key, html, CACHE_SECONDS)
        if html:
            result.append({"title": item.title, "html": html, "wide": item.wide})
    return result


def panel_html(request, name: str, on: date) -> str:
    for item in discover():
        if item.name == name and item.visible_to(request):
            key = cache_key(item, on, scope_key(request.user), versions(item.depends_on))
            html = cache.get(key)
            if html is None:
                html = render(item, request, on)
                cache.set(key, html, CACHE_SECONDS)
            return html
    raise Http404("Không có bảng số liệu này.")


def requested_day(request) -> date:
    """The "as of" day of the request (``?on=dd/mm/yyyy``, or ISO), else today."""
    text = request.GET.get("on", "").strip()
    for layout in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    return timezone.localdate()


def panel_view(request, name: str) -> HttpResponse:
    """One panel as an HTML fragment, fetched by the index page after it has loaded."""
    return HttpResponse(panel_html(request, name, requested_day(request)))
