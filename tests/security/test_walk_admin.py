"""A test that finds the next hole by itself.

It walks every URL pattern under ``/admin/`` (every registered ModelAdmin's changelist, change,
history, autocomplete and custom views, every report, the dashboard, every export and
download), fills each pattern's parameters with commune B's rows, and requests it as commune
A's officer and as the inspector, with and without ``?unit=<commune B>``, by GET and by POST
(every admin action on B's rows, a drafting payload). It fails on any page or file (its content
and its name) showing a name or CCCD of commune B to A, any full CCCD to the inspector, any
search by CCCD that finds a person for the inspector, any 500, and any write by the inspector.
The patterns are enumerated from the URL resolver, so a new view is covered without anyone
adding it here.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cadres.models import Cadre, FamilyRelation, Position
from core.models import BackgroundJob, ExportLog, ImportBatch
from core.reports import all_reports
from planning.models import PlanningEntry
from tests.conftest import make_actor
from tests.factories import AppointmentFactory, QualificationFactory
from tests.party.factories import one_of_everything as party_rows
from tests.planning.factories import one_of_everything as planning_rows
from tests.training.factories import TraineeFactory
from tests.training.factories import one_of_everything as training_rows
from training.models import Trainee

pytestmark = pytest.mark.django_db

B_TRAINEE = "Lộc Thị Ngoài Xã"
CCCD_A = "020085000001"
CCCD_B = "020085000002"
CCCD_B_TRAINEE = "020085000009"
LAYOUTS = ("xlsx", "csv", "province", "pdf")
FORMATS = ("docx", "pdf")
# Writes that are not a change of records: the export log, background exports, sessions and
# login bookkeeping.
NOT_WRITES = {
    "core.exportlog",
    "core.backgroundjob",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "auth.user",
}
# Patterns whose POST is the user's own account, not records: logging out, own password,
# own second factor.
OWN_ACCOUNT = ("logout", "password_change", "second_factor")


@pytest.fixture
def commune_b_everywhere(people, commune_b, old_commune, django_user_model, roles):
    """Commune B's rows in every model, a person of A for contrast, and B's own officer's
    import and background job."""
    _, _, cadre_b = people
    AppointmentFactory(cadre=cadre_b)
    QualificationFactory(cadre=cadre_b)
    FamilyRelation.objects.create(cadre=cadre_b, relation="Bố", full_name="Hoàng Văn Bố")
    planning_rows(cadre_b)
    party_rows(cadre_b)
    training_rows(cadre_b)
    TraineeFactory(full_name=B_TRAINEE, cccd=CCCD_B_TRAINEE, unit=commune_b)
    from cadres.models import Role

    officer_b = make_actor(django_user_model, "can_bo_xa_b", Role.COMMUNE, commune_b)
    batch = ImportBatch.objects.create(
        model="cadres.cadre", file_name="Hoàng Thị Bình.csv", sha256="0" * 64, user=officer_b
    )
    BackgroundJob.objects.create(
        kind="import", title="Nhập Hoàng Thị Bình", user=officer_b, import_batch=batch
    )
    ExportLog.objects.create(user=officer_b, what="Hoàng Thị Bình", count=1)
    return officer_b, cadre_b


def admin_patterns():
    """(namespace, name, converters, model) of every URL pattern under /admin/."""

    def model_of(route: str):
        for model in admin.site._registry:
            if route == f"admin/{model._meta.app_label}/{model._meta.model_name}/":
                return model
        return None

    def walk(patterns, prefix: str, namespace: str, model):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                space = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern.url_patterns, route, space, model_of(route) or model)
            elif isinstance(pattern, URLPattern) and route.startswith("admin/") and pattern.name:
                regex = pattern.pattern.regex
                yield namespace, pattern.name, list(regex.groupindex), model

    yield from walk(get_resolver().url_patterns, "", "", None)


def row_of_b(model, officer_b, officer_a):
    """A row of ``model`` that commune B's officer sees and commune A's does not, else any."""
    queryset = model._default_manager.all()
    if hasattr(queryset, "visible_to"):
        hidden = queryset.visible_to(officer_b).exclude(
            pk__in=queryset.visible_to(officer_a).values("pk")
        )
        return hidden.order_by("pk").first() or queryset.order_by("pk").first()
    if model in (ImportBatch, BackgroundJob):
        return queryset.filter(user=officer_b).first()
    return queryset.order_by("pk").first()


def kwargs_choices(params: list[str], model, officer_b, officer_a) -> list[dict]:
    """Every way to fill the parameters of a pattern with B's rows."""
    choices = [{}]
    for param in params:
        if param in ("object_id", "pk", "job_id", "batch_id"):
            row = row_of_b(model, officer_b, officer_a) if model else None
            values = [row.pk] if row else []
        elif param == "version_id":
            row = row_of_b(model, officer_b, officer_a) if model else None
            history = getattr(row, "history", None) if row else None
            values = [history.first().history_id] if history and history.exists() else []
        elif param == "layout":
            values = list(LAYOUTS)
        elif param == "fmt":
            values = list(FORMATS)
        elif param == "name":
            values = [report.name for report in all_reports()]
        elif param == "app_label":
            values = sorted({m._meta.app_label for m in admin.site._registry})
        else:
            values = []  # e.g. the content-type shortcut: not an admin page of records
        choices = [{**c, param: v} for c in choices for v in values]
    return choices


def query_variants(name: str, model, unit_b, cadre_b) -> list[dict]:
    queries = [{}, {"unit": unit_b.pk}]
    if name.endswith("_changelist"):
        queries += [{"q": CCCD_B}, {"q": cadre_b.full_name}, {"q": B_TRAINEE}]
    if name == "autocomplete":
        queries = []
        for source, model_admin in admin.site._registry.items():
            for field in model_admin.get_autocomplete_fields(None) or []:
                for term in ("", CCCD_B, "Hoàng", "Lộc"):
                    queries.append(
                        {
                            "app_label": source._meta.app_label,
                            "model_name": source._meta.model_name,
                            "field_name": field,
                            "term": term,
                        }
                    )
    return queries


def text_of(content: bytes) -> str:
    """What a person could read in a response: HTML, JSON, CSV, or the text inside an xlsx,
    docx, zip (and the names of its members) or PDF."""
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                f"{name}\n{text_of(archive.read(name))}" for name in archive.namelist()
            )
    if content.startswith(b"%PDF"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    text = content.decode("utf-8", "replace")
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return text


def read(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response.get("Content-Disposition", "") + "\n" + text_of(content)


def record_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in NOT_WRITES
    }


def post_payloads(model, row, unit_b, cadre_b) -> list[dict]:
    """A drafting payload, and every admin action of the model on B's row."""
    entry = PlanningEntry.objects.filter(cadre=cadre_b).first()
    position = Position.objects.first()
    base = {
        "unit": unit_b.pk,
        "remove": [entry.pk] if entry else [],
        "add": [f"{cadre_b.pk}:{position.pk}"] if position else [],
    }
    payloads = [base]
    model_admin = admin.site._registry.get(model)
    if model_admin is not None and row is not None:
        for action in model_admin.actions or []:
            if callable(action):
                action = action.__name__
            payloads.append(
                {**base, "action": action, "_selected_action": [row.pk], "post": "yes", "index": 0}
            )
        payloads.append(
            {**base, "action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
        )
    return payloads


def walk(client, user, officer_b, officer_a, unit_b, cadre_b, forbidden, check_search, own=()):
    """Request every pattern as ``user``; returns the list of findings. ``own`` are markers of
    the user's own people: a page filtered on commune B (``?unit=``) that shows them has dropped
    the filter silently instead of refusing it."""
    client.force_login(user)
    findings = []
    for namespace, name, params, model in admin_patterns():
        qualified = f"{namespace}:{name}" if namespace else name
        for kwargs in kwargs_choices(params, model, officer_b, officer_a):
            try:
                url = reverse(qualified, kwargs=kwargs)
            except Exception:  # noqa: BLE001  a pattern this walk cannot fill
                continue
            for query in query_variants(name, model, unit_b, cadre_b):
                try:
                    response = client.get(url, query)
                except Exception as error:  # noqa: BLE001
                    findings.append(f"GET {url} {query}: {type(error).__name__}: {error}")
                    continue
                if response.status_code >= 500:
                    findings.append(f"GET {url} {query}: {response.status_code}")
                    continue
                text = read(response) if response.status_code == 200 else ""
                # The page echoes what was typed (the search box, the sort links): read the rows.
                if "q" in query:
                    start = text.find("<tbody>", text.find('id="result_list"'))
                    text = text[start : text.find("</tbody>", start)] if start >= 0 else ""
                    text = re.sub(r'href="[^"]*"', "", text)  # the links keep the search
                for marker in forbidden:
                    if marker in text:
                        findings.append(f"GET {url} {query}: shows {marker!r}")
                if query.get("unit") == unit_b.pk and any(marker in text for marker in own):
                    findings.append(f"GET {url} {query}: the filter on B is dropped silently")
                if check_search and query.get("q") == CCCD_B and cadre_b.full_name in text:
                    findings.append(f"GET {url} {query}: a search by CCCD finds the person")
            if any(part in name for part in OWN_ACCOUNT):
                continue
            row = row_of_b(model, officer_b, officer_a) if model else None
            for payload in post_payloads(model, row, unit_b, cadre_b):
                before = record_counts()
                try:
                    response = client.post(url, payload)
                except Exception as error:  # noqa: BLE001
                    findings.append(f"POST {url} {payload.get('action', '')}: {error!r}")
                    continue
                if response.status_code >= 500:
                    findings.append(f"POST {url} {payload.get('action', '')}: 500")
                text = read(response) if response.status_code == 200 else ""
                for marker in forbidden:
                    if marker in text:
                        findings.append(f"POST {url} {payload.get('action', '')}: {marker!r}")
                after = record_counts()
                if check_search and after != before:  # the inspector writes nothing
                    changed = sorted(k for k in after if after[k] != before.get(k))
                    findings.append(f"POST {url} {payload.get('action', '')}: wrote {changed}")
            client.force_login(user)  # an action may have ended the session
    return findings


def test_walking_every_admin_url_commune_a_sees_nothing_of_commune_b(
    client, officer_a, cadre_a, commune_b, commune_b_everywhere
):
    officer_b, cadre_b = commune_b_everywhere
    forbidden = [cadre_b.full_name, CCCD_B, B_TRAINEE, CCCD_B_TRAINEE, "Hoàng Văn Bố"]
    own = [cadre_a.full_name, CCCD_A]
    findings = walk(
        client, officer_a, officer_b, officer_a, commune_b, cadre_b, forbidden, False, own
    )
    assert findings == [], "\n".join(findings)


def test_walking_every_admin_url_the_inspector_sees_no_cccd_and_writes_nothing(
    client, inspector, officer_a, commune_b, commune_b_everywhere
):
    officer_b, cadre_b = commune_b_everywhere
    people = [
        *Cadre.objects.values_list("cccd", flat=True),
        *Trainee.objects.values_list("cccd", flat=True),
    ]
    forbidden = sorted({cccd for cccd in people if cccd})
    findings = walk(client, inspector, officer_b, officer_a, commune_b, cadre_b, forbidden, True)
    assert findings == [], "\n".join(findings)


def test_the_walk_reaches_every_registered_admin_and_every_report():
    names = {name for _, name, _, _ in admin_patterns()}
    for model in admin.site._registry:
        assert f"{model._meta.app_label}_{model._meta.model_name}_changelist" in names
    assert {"detail", "index", "autocomplete", "cadres_cadre_2c", "training_totals"} <= names
    assert {"planning_term_review", "planning_term_report"} <= names


def test_the_term_review_refuses_another_communes_unit_and_drafting_by_the_inspector(
    client, officer_a, inspector, commune_b, people
):
    from tests.planning.factories import PlanningEntryFactory

    _, _, cadre_b = people
    term = PlanningEntryFactory(cadre=cadre_b, unit=commune_b).term
    review = reverse("admin:planning_term_review", args=[term.pk])
    client.force_login(officer_a)
    assert client.get(review, {"unit": commune_b.pk}).status_code == 400
    assert (
        client.get(
            reverse("admin:planning_term_report", args=[term.pk]), {"unit": commune_b.pk}
        ).status_code
        == 400
    )
    client.force_login(inspector)
    assert client.post(review, {"unit": commune_b.pk}).status_code == 403


def test_export_views_answer_400_to_an_unknown_filter_parameter(client, district_officer):
    client.force_login(district_officer)
    url = reverse("admin:cadres_qualification_export", args=["xlsx"])
    response = client.get(url, {"no_such_field": "1"})
    assert response.status_code == 400
    assert "Tham số lọc không hợp lệ" in response.content.decode()


def test_training_totals_count_only_the_communes_own_dispatches(client, officer_a, people):
    from tests.training.factories import DispatchFactory

    cadre_a, _, cadre_b = people
    DispatchFactory(cadre=cadre_a)
    DispatchFactory(cadre=cadre_b)
    client.force_login(officer_a)
    response = client.get(reverse("admin:training_totals"))
    assert response.status_code == 200
    assert response.context["dispatch_total"] == 1
