"""Which category (cán bộ, công chức, người hoạt động không chuyên trách) a position's holder
belongs to, when the law fixes it by the position alone.

Commune level: Luật Cán bộ, công chức 2008, art. 61, and Nghị định 33/2023/NĐ-CP, arts. 5-6:
elected and party posts are cán bộ (Bí thư and Phó Bí thư Đảng ủy; Chủ tịch and Phó Chủ tịch HĐND
and UBND; Chủ tịch UBMTTQ; Bí thư Đoàn; Chủ tịch Hội Phụ nữ, Hội Nông dân, Hội Cựu chiến binh);
recruited posts are công chức (Chỉ huy trưởng quân sự; Văn phòng - thống kê; Địa chính - xây
dựng...; Tài chính - kế toán; Tư pháp - hộ tịch; Văn hóa - xã hội); the other commune posts and
the village posts are người hoạt động không chuyên trách. District level (and the 2025 Law on
Cadres and Civil Servants, which keeps the split for every level): committee, council and
People's Committee leaders and heads of the Front and mass organisations are cán bộ; heads of
departments and their specialists are công chức.

The result seeds ``Position.category`` (editable in the admin); an empty answer means the
title alone does not decide it.
"""

from __future__ import annotations

from cadres.choices import Category, Level
from core.text import fold

# Folded title fragments, tested in order: the first match decides. Deputies of mass
# organisations come before their chairs ("phó chủ tịch hội" is not "chủ tịch hội").
COMMUNE_RULES: list[tuple[str, str]] = [
    ("pho chu tich hoi", Category.PART_TIME),
    ("pho bi thu doan", Category.PART_TIME),
    ("pho chu tich uy ban mttq", Category.PART_TIME),
    ("pho chu tich mttq", Category.PART_TIME),
    ("pho chi huy truong", Category.PART_TIME),
    ("bi thu", Category.CADRE),
    ("chu tich", Category.CADRE),
    ("chi huy truong", Category.CIVIL_SERVANT),
    ("cong chuc", Category.CIVIL_SERVANT),
    ("van phong", Category.CIVIL_SERVANT),
    ("dia chinh", Category.CIVIL_SERVANT),
    ("tai chinh", Category.CIVIL_SERVANT),
    ("tu phap", Category.CIVIL_SERVANT),
    ("van hoa", Category.CIVIL_SERVANT),
    ("truong cong an", Category.CIVIL_SERVANT),
]
DISTRICT_RULES: list[tuple[str, str]] = [
    ("pho truong phong", Category.CIVIL_SERVANT),
    ("truong phong", Category.CIVIL_SERVANT),
    ("chuyen vien", Category.CIVIL_SERVANT),
    ("chanh van phong hdnd", Category.CIVIL_SERVANT),
    ("chanh thanh tra", Category.CIVIL_SERVANT),
    ("bi thu", Category.CADRE),
    ("chu tich", Category.CADRE),
    ("uy vien ban thuong vu", Category.CADRE),
    ("truong ban", Category.CADRE),
    ("pho ban", Category.CADRE),
]
# Village posts (trưởng thôn, bí thư chi bộ thôn, tổ trưởng tổ dân phố) named at commune level.
VILLAGE_WORDS = (" thon ", " khu pho ", " to dan pho ")


def category_of_position(title: str, level: str) -> str:
    """The category the law gives the holder of ``title`` at ``level``, or "" when the title
    alone does not decide it (see the module's sources)."""
    key = f" {fold(title)} "
    if level == Level.VILLAGE:
        return Category.PART_TIME
    if level == Level.COMMUNE:
        if any(word in key for word in VILLAGE_WORDS):
            return Category.PART_TIME
        rules = COMMUNE_RULES
    elif level in (Level.DISTRICT, Level.PROVINCE):
        rules = DISTRICT_RULES
    else:
        return ""
    return next((category for fragment, category in rules if fragment in key), "")
