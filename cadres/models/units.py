"""The organisation tree (units and their successions) and positions."""

from __future__ import annotations

import difflib
import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cadres.addresses import successor_code_by_address
from cadres.choices import (
    LEVEL_OF_KIND,
    Category,
    Level,
    UnitKind,
)
from cadres.models.access import DISTRICT_WIDE_ROLES, Role, StaffAssignment
from core.models import TrackedModel
from core.text import fold, fold_unit_name, unit_name_prefix

# --- Organisation ---------------------------------------------------------------------------


class UnitScopedQuerySet(models.QuerySet):
    """Access by unit, the one place it is decided: mixed into the QuerySet of every model that
    belongs to a unit. The model declares once how it reaches its unit, as a class attribute::

        class Dispatch(TrackedModel):
            unit_path = "cadre__unit"  # "" for Unit itself

    or a tuple of paths when a row is visible through any of them (an attendance of a cadre or
    of a trainee). ``shared_without_unit = True`` on the model makes rows without a unit the
    whole district's, visible to everyone (a district-wide planning decision)."""

    def unit_lookups(self) -> tuple[str, ...]:
        path = self.model.unit_path
        return (path,) if isinstance(path, str) else tuple(path)

    def visible_q(self, user, through: str = "") -> Q:
        """The rows of this model that ``user`` may see, as a ``Q``; with ``through`` (the
        lookup from another model to this one, e.g. ``"plan"``) a ``Q`` over that model."""
        prefix = f"{through}__" if through else ""
        lookups = [f"{prefix}{lookup}" if lookup else through for lookup in self.unit_lookups()]
        paths = visible_unit_paths(user)
        if paths is None:
            return Q()
        shared = getattr(self.model, "shared_without_unit", False)
        if not paths and not shared:
            return Q(pk__in=[])
        scope = Q()
        for lookup in lookups:
            field = f"{lookup}__path__startswith" if lookup else "path__startswith"
            for path in paths:
                scope |= Q(**{field: path})
        if shared:
            scope |= Q(**{f"{lookups[0]}__isnull": True})
        return scope

    def visible_to(self, user):
        """The rows ``user`` may see: those of the units they are assigned, what is under them
        and the units merged into them (:func:`visible_unit_paths`); everything for
        district-wide roles."""
        if visible_unit_paths(user) is None:
            return self.all()
        return self.filter(self.visible_q(user))

    def ids_visible_to(self, user) -> set[int] | None:
        """Ids of the rows ``user`` may see, or ``None`` when they see them all."""
        if visible_unit_paths(user) is None:
            return None
        return set(self.visible_to(user).values_list("pk", flat=True))


class UnitQuerySet(UnitScopedQuerySet):
    def active(self, on: date | None = None) -> UnitQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def descendants_of(self, unit: Unit, include_self: bool = True) -> UnitQuerySet:
        descendants = self.filter(path__startswith=unit.path)
        return descendants if include_self else descendants.exclude(pk=unit.pk)

    def communes(self) -> UnitQuerySet:
        return self.filter(level=Level.COMMUNE, kind__in=Unit.COMMUNE_KINDS)

    def resolve(self, text: str, on: date | None = None) -> Unit | None:
        """The unit standing for ``text`` on ``on`` (a code or a name, old or new, with or
        without its kind): see :class:`UnitResolver`, which this asks with only the units of
        that name or code loaded."""
        return UnitResolver(on or timezone.localdate(), units=self).resolve(text)

    def named(self, text: str) -> UnitQuerySet:
        """Units whose code is ``text`` or whose name is ``text`` without its kind."""
        text = text.strip()
        return self.filter(Q(code=text) | Q(name_key=fold_unit_name(text)))

    def resolve_by_address(self, text: str, on: date) -> Unit | None:
        """Fallback for an old commune name this tree does not hold: ask the national
        conversion table (vietnamadminunits) within each district of the tree."""
        for district in self.filter(kind=UnitKind.DISTRICT).select_related("parent"):
            province = district.parent.name if district.parent_id else ""
            code = successor_code_by_address(text, district.name, province)
            if code:
                return self.filter(code=code).active(on).first()
        return None


# The kinds a name's first words announce ("Thị trấn Lộc Bình" is the town, "Huyện Lộc Bình"
# the district, though both fold to "lộc bình"), by the folded prefix (core.text).
KINDS_OF_PREFIX = {
    "xa": {UnitKind.COMMUNE},
    "thi tran": {UnitKind.TOWN},
    "phuong": {UnitKind.WARD},
    "huyen": {UnitKind.DISTRICT},
    "thi xa": {UnitKind.DISTRICT},
    "thanh pho": {UnitKind.DISTRICT, UnitKind.PROVINCE},
    "tinh": {UnitKind.PROVINCE},
    "thon": {UnitKind.VILLAGE},
    "ban": {UnitKind.VILLAGE},
    "khu pho": {UnitKind.VILLAGE},
    "khoi": {UnitKind.VILLAGE},
}


# A unit named with the unit it belongs to: "Thôn Nà Sla Bó (Mẫu Sơn)", "Thôn Nà Sla Bó, xã
# Mẫu Sơn", "Thôn Nà Sla Bó - Xã Mẫu Sơn", "Xã Tú Đoạn, huyện Lộc Bình".
WITHIN = re.compile(
    r"(?P<name>.+?)\s*(?:\((?P<paren>[^()]+)\)|,\s*(?P<comma>.+)|\s+-\s+(?P<dash>.+))"
)
# A unit named with its code (or, where it has none, its number here), as the import's
# messages and exports write a unit whose name its commune holds twice: "Thôn Nà Sla Bó (Xã
# Lộc Bình, mã 123)".
CODED = re.compile(r"(?P<name>.+?)\s*\((?:[^()]*,\s*)?mã\s+(?P<ref>[\w.-]+)\)")
# A commune named through one of its bodies ("UBND xã Mẫu Sơn", "Đảng ủy xã Mẫu Sơn"), folded.
COMMUNE_BODY = re.compile(
    r"(?:ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan|dang uy|uy ban mttq|mttq)\s+"
    r"(?=(?:xa|thi tran|phuong)\s)"
)


class UnitResolver:
    """The one way a text becomes a unit, for ``Unit.objects.resolve`` (one name) and for the
    import widget (a whole file: every unit and merger loaded once, then each name resolved in
    memory).

    A name or code may stand for several units over time (codes are reused after mergers; a
    town and its district share a name). The kind written before the name decides between them
    ("Thị trấn Lộc Bình" is never the district); then a unit that exists on the day wins, then
    a commune-level one over a district-level one, then the most recent. A unit closed by a
    merger is followed to its successor on the day. ``on`` is the resolver's day unless a call
    gives its own (a planning row resolves its unit on its decision's date).

    Two units that exist on the day under one name (villages of different communes) are never
    guessed between: :meth:`resolve` gives none and :meth:`matching` both, until the text names
    the unit they belong to ("Thôn Nà Sla Bó (Mẫu Sơn)"). A commune may be named through one of
    its bodies ("UBND xã Mẫu Sơn")."""

    def __init__(self, on: date, units: models.QuerySet | None = None):
        self.on = on
        self.loaded_all = units is None
        source = Unit.objects.all() if units is None else units
        self.units: dict[int, Unit] = {}
        self.by_key: dict[str, list[Unit]] = {}
        self.successor: dict[int, int] = {}
        self.cache: dict[tuple[str, date], Unit | None] = {}
        self.source = source
        if self.loaded_all:
            self._add(source)
            self._add_successions(UnitSuccession.objects.all())

    def _add(self, units) -> None:
        for unit in units:
            if unit.pk in self.units:
                continue
            self.units[unit.pk] = unit
            self.by_key.setdefault(unit.name_key, []).append(unit)
            if unit.code:
                self.by_key.setdefault(f"#{unit.code}", []).append(unit)

    def _add_successions(self, successions) -> None:
        # The latest merger wins, as in Unit.successor_on.
        for succession in successions.order_by("effective_date"):
            self.successor[succession.predecessor_id] = succession.successor_id

    def candidates(self, text: str) -> list[Unit]:
        if not self.loaded_all:
            self._add(self.source.named(text))
        return self.by_key.get(f"#{text}", []) + self.by_key.get(fold_unit_name(text), [])

    def resolve(self, text: str, on: date | None = None) -> Unit | None:
        found = self.matching(text, on)
        return found[0] if len(found) == 1 else None

    def matching(self, text: str, on: date | None = None) -> list[Unit]:
        """The units ``text`` may stand for on ``on``: one, none, or several as good."""
        text = text.strip()
        on = on or self.on
        if not text:
            return []
        if (text, on) not in self.cache:
            self.cache[text, on] = self._resolve(text, on)
        return self.cache[text, on]

    def _resolve(self, text: str, on: date) -> list[Unit]:
        found = self._best(self._named(text), on)
        if found:
            return found
        coded = CODED.fullmatch(text)
        if coded:
            key = fold_unit_name(coded["name"])
            return self._best([u for u in self.referred(coded["ref"]) if u.name_key == key], on)
        within = WITHIN.fullmatch(text)
        if within:
            parent = self.resolve(within["paren"] or within["comma"] or within["dash"], on)
            if parent is not None:
                named = self.matching(within["name"], on)
                now = self.follow(parent, timezone.localdate())
                if not now.is_active(timezone.localdate()):
                    return named  # a level since abolished ("…, huyện Lộc Bình" after 2025)
                return [u for u in named if u.path.startswith((parent.path, now.path))]
        body = COMMUNE_BODY.match(fold(text))
        if body:
            return self.matching(fold(text)[body.end() :], on)
        if self.loaded_all:
            return []
        by_address = Unit.objects.resolve_by_address(text, on)
        return [by_address] if by_address is not None else []

    def referred(self, ref: str) -> list[Unit]:
        """The units of this code, or the unit of this number when none has the code."""
        if not self.loaded_all:
            number = Q(pk=int(ref)) if ref.isdigit() else Q(pk__in=[])
            self._add(self.source.filter(Q(code=ref) | number))
        coded = self.by_key.get(f"#{ref}", [])
        numbered = self.units.get(int(ref)) if ref.isdigit() else None
        return coded or ([numbered] if numbered is not None else [])

    def _named(self, text: str) -> list[Unit]:
        """Units of this code or name, of the kind the name begins with."""
        matches = self.candidates(text)
        kinds = KINDS_OF_PREFIX.get(unit_name_prefix(text))
        if kinds:
            of_kind = [u for u in matches if u.kind in kinds]
            # "Xã" written for a town or ward: same level, different word.
            levels = {LEVEL_OF_KIND.get(kind) for kind in kinds}
            matches = of_kind or [u for u in matches if u.level in levels]
        return matches

    def _best(self, matches: list[Unit], on: date) -> list[Unit]:
        """The best of ``matches`` (see the class), followed to the day; several only when
        more than one exists on the day at the same level."""
        if not matches:
            return []
        matches = sorted(
            matches,
            key=lambda u: (u.is_active(on), u.level == Level.COMMUNE, u.valid_from or date.min),
            reverse=True,
        )
        top = matches[0]
        tied = [top]
        if top.is_active(on):
            tied += [u for u in matches[1:] if u.is_active(on) and u.level == top.level]
        return list({u.pk: u for u in (self.follow(u, on) for u in tied)}.values())

    def follow(self, unit: Unit, on: date | None = None) -> Unit:
        """Follow mergers forward until a unit that exists on ``on``."""
        on = on or self.on
        if not self.loaded_all:
            return unit.successor_on(on)
        seen = {unit.pk}
        while not unit.is_active(on) and unit.pk in self.successor:
            next_pk = self.successor[unit.pk]
            if next_pk in seen:
                break
            unit = self.units[next_pk]
            seen.add(unit.pk)
        return unit

    def suggestions(self, text: str) -> str:
        known = {key: units[0].name for key, units in self.by_key.items() if key[:1] != "#"}
        close = difflib.get_close_matches(fold_unit_name(text), list(known), n=3, cutoff=0.6)
        names = list(dict.fromkeys(known[key] for key in close))
        return f" Có phải: {', '.join(names)}?" if names else ""


class Unit(TrackedModel):
    """A node of the organisation tree: the top (district or province), agencies, communes,
    villages, schools. Units are never deleted when merged: ``valid_to`` closes them and a
    :class:`UnitSuccession` points to the unit that took them over."""

    COMMUNE_KINDS = (UnitKind.COMMUNE, UnitKind.TOWN, UnitKind.WARD)
    unit_path = ""

    name = models.CharField("tên đơn vị", max_length=255)
    kind = models.CharField("loại đơn vị", max_length=20, choices=UnitKind.choices)
    code = models.CharField(
        "mã đơn vị hành chính",
        max_length=20,
        blank=True,
        db_index=True,
        help_text="Mã của Tổng cục Thống kê nếu có. Mã có thể được dùng lại sau khi sáp nhập.",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    level = models.CharField(
        "cấp", max_length=20, choices=Level.choices, editable=False, db_index=True
    )
    valid_from = models.DateField("hiệu lực từ ngày", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến ngày", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    # Derived: materialised path of primary keys ("1/5/23/") for subtree queries by index.
    path = models.CharField(max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    name_key = models.CharField(max_length=255, editable=False, db_index=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        permissions = [
            ("import_unit", "Được nhập danh sách đơn vị từ tệp"),
            ("export_unit", "Được xuất danh sách đơn vị ra tệp"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_dates_in_order",
                violation_error_message="Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.derive_fields()
        super().save(*args, **kwargs)
        self._refresh_path()

    def derive_fields(self) -> None:
        """Name key and level (the parent's for agencies and schools); the path needs the row's
        key, so ``save()`` sets it after the insert."""
        self.name_key = fold_unit_name(self.name)
        # ``parent`` may be a unit of the same import not saved yet (no parent_id).
        parent = self.parent
        self.level = LEVEL_OF_KIND.get(self.kind) or (
            parent.level if parent is not None else Level.DISTRICT
        )

    def get_absolute_url(self) -> str:
        return reverse("admin:cadres_unit_change", args=[self.pk])

    def clean(self) -> None:
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "-"):
            raise ValidationError(
                {"parent": "Đơn vị cấp trên không thể là chính nó hoặc cấp dưới."}
            )

    def _refresh_path(self) -> None:
        old_path = self.path
        self.path = f"{self.parent.path if self.parent_id else ''}{self.pk}/"
        self.depth = self.path.count("/") - 1
        if self.path == old_path:
            return
        Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
        if old_path:
            for child in self.children.all():
                child._refresh_path()

    def is_active(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )

    @property
    def closed_suffix(self) -> str:
        """ " (đến 30/06/2025)" for a unit that no longer exists, for lists of units."""
        return f" (đến {self.valid_to:%d/%m/%Y})" if self.valid_to else ""

    def ancestors(self) -> list[Unit]:
        ids = [int(pk) for pk in self.path.split("/") if pk][:-1]
        by_id = Unit.objects.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def successor_on(self, on: date) -> Unit:
        """Follow mergers forward until a unit that is still valid on ``on``."""
        unit, seen = self, {self.pk}
        while not unit.is_active(on):
            succession = (
                unit.successions.select_related("successor").order_by("-effective_date").first()
            )
            if succession is None or succession.successor_id in seen:
                break
            unit = succession.successor
            seen.add(unit.pk)
        return unit

    def predecessors_on(self, on: date) -> list[Unit]:
        """The units that existed on ``on`` and went into this one by successions recorded
        after that day, through any number of mergers (the reverse of :meth:`successor_on`):
        what this unit stands for when a record dated ``on`` named one of them. Read once per
        day asked (a file of moved entries asks the same question on every row)."""
        cache = self.__dict__.setdefault("_predecessors_on", {})
        if on not in cache:
            found, frontier, seen = [], [self.pk], {self.pk}
            while frontier:
                rows = UnitSuccession.objects.filter(
                    successor__in=frontier, effective_date__gt=on
                ).select_related("predecessor")
                frontier = []
                for unit in (row.predecessor for row in rows):
                    if unit.pk in seen:
                        continue
                    seen.add(unit.pk)
                    if unit.is_active(on):
                        found.append(unit)
                    else:  # itself formed by an earlier merger after ``on``: look further back
                        frontier.append(unit.pk)
            cache[on] = sorted(found, key=lambda unit: unit.name)
        return cache[on]


class UnitSuccession(models.Model):
    """A merger or split: ``predecessor`` went (wholly or partly) into ``successor``."""

    unit_path = "successor"

    predecessor = models.ForeignKey(
        Unit, verbose_name="đơn vị cũ", on_delete=models.CASCADE, related_name="successions"
    )
    successor = models.ForeignKey(
        Unit, verbose_name="đơn vị mới", on_delete=models.CASCADE, related_name="predecessions"
    )
    effective_date = models.DateField("ngày hiệu lực")
    legal_basis = models.CharField("căn cứ (nghị quyết)", max_length=255, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["effective_date"]
        verbose_name = "sáp nhập đơn vị"
        verbose_name_plural = "lịch sử sáp nhập đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="%(app_label)s_%(class)s_unique_pair",
                violation_error_message="Việc sáp nhập này đã được ghi.",
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="%(app_label)s_%(class)s_not_into_itself",
                violation_error_message="Một đơn vị không thể sáp nhập vào chính nó.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"


class Position(TrackedModel):
    """A position title (chức danh) such as "Bí thư Đảng ủy xã"."""

    title = models.CharField("chức danh", max_length=255)
    level = models.CharField("cấp", max_length=20, choices=Level.choices)
    is_key = models.BooleanField("chủ chốt", default=False)
    is_party_post = models.BooleanField(
        "chức danh của Đảng",
        default=False,
        help_text="Bí thư, phó bí thư, cấp ủy viên: chỉ đảng viên được giữ và được quy hoạch.",
    )
    category = models.CharField(
        "đối tượng của người giữ chức danh",
        max_length=30,
        choices=Category.choices,
        blank=True,
        help_text="Cán bộ (bầu cử, chức danh Đảng), công chức (tuyển dụng)... theo Nghị định "
        "33/2023/NĐ-CP và Luật Cán bộ, công chức; hồ sơ nhập từ tệp không ghi đối tượng lấy "
        "theo ô này. Để trống nếu chức danh không quyết định đối tượng.",
    )
    rank = models.PositiveSmallIntegerField(
        "thứ bậc",
        default=0,
        help_text="Một thang chung cho mọi cấp (tỉnh, huyện, xã): số lớn hơn là chức danh cao "
        "hơn, dùng để kiểm tra quy hoạch chức danh cao hơn. Từ 01/7/2025 chức danh chủ chốt "
        "cấp xã cao hơn chuyên viên cấp huyện.",
    )
    unit_kinds = models.CharField(
        "loại đơn vị áp dụng",
        max_length=255,
        blank=True,
        help_text="Các loại đơn vị có chức danh này, cách nhau bởi dấu phẩy (ví dụ: commune,town).",
    )
    units = models.ManyToManyField(
        Unit, verbose_name="đơn vị cụ thể", blank=True, related_name="positions"
    )

    class Meta:
        ordering = ["level", "-rank", "title"]
        verbose_name = "chức danh"
        verbose_name_plural = "chức danh"
        permissions = [
            ("import_position", "Được nhập danh sách chức danh từ tệp"),
            ("export_position", "Được xuất danh sách chức danh ra tệp"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "level"],
                name="%(app_label)s_%(class)s_unique_title_per_level",
                violation_error_message="Chức danh này đã có ở cấp này.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        unknown = set(self.kind_list) - set(UnitKind.values)
        if unknown:
            raise ValidationError(
                {"unit_kinds": f"Loại đơn vị không có: {', '.join(sorted(unknown))}."}
            )

    @property
    def kind_list(self) -> list[str]:
        return [kind.strip() for kind in self.unit_kinds.split(",") if kind.strip()]


def visible_unit_paths(user) -> list[str] | None:
    """The tree paths a user may see under, or ``None`` for the whole district.

    A commune user sees each assigned unit, everything under it, and every unit that was merged
    into it (their cadres' records follow the commune that took the old one over). Someone with
    no assignment sees nothing. Cached on the user object for the length of a request.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    cached = getattr(user, "_visible_unit_paths", False)
    if cached is not False:
        return cached
    assignments = list(StaffAssignment.objects.filter(user=user).values_list("role", "unit_id"))
    if any(role in DISTRICT_WIDE_ROLES for role, _ in assignments):
        paths = None
    else:
        unit_ids = {unit_id for role, unit_id in assignments if role == Role.COMMUNE and unit_id}
        frontier = set(unit_ids)
        while frontier:
            found = set(
                UnitSuccession.objects.filter(successor_id__in=frontier).values_list(
                    "predecessor_id", flat=True
                )
            )
            frontier = found - unit_ids
            unit_ids |= frontier
        paths = sorted(Unit.objects.filter(pk__in=unit_ids).values_list("path", flat=True))
    user._visible_unit_paths = paths
    return paths
