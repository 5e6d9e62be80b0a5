"""Writes a district's 2009-2012 lists (Lộc Bình, as the domain brief's report describes them) in
the layouts a district keeps, not in this project's export layout: Vietnamese headers as clerks
write them, a title line above the table, totals and signatures below it, CCCDs stored as
numbers in the xlsx files (the leading zero lost), money as ``10.000.000``, decision numbers
without dates, training types instead of programmes, schools under longer or older names,
attendees without a CCCD (found by name, birth date and unit).

    python tests/data/district_2009_2012/make_corpus.py [DIRECTORY]

Reproducible: the same files every run (a fixed seed; the xlsx files' stamps fixed). The
figures the reports must then show are the brief's; ``DISTINCT_ATTENDEES`` is the one the brief
does not give (the people behind the 4,286 attendances), counted from the lists written here.
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
DISTRICT = "Huyện Lộc Bình"
AGENCIES = [
    "Văn phòng Huyện ủy",
    "Ban Tổ chức Huyện ủy",
    "Ban Tuyên giáo Huyện ủy",
    "Ủy ban Kiểm tra Huyện ủy",
    "Văn phòng HĐND và UBND huyện",
    "Phòng Nội vụ",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Tài nguyên và Môi trường",
]
# The communes and towns of 2012, as their lists name them (several were merged in 2020).
COMMUNES = [
    "Bằng Khánh",
    "Xuân Lễ",
    "Xuân Mãn",
    "Vân Mộng",
    "Như Khuê",
    "Lục Thôn",
    "Xuân Tình",
    "Hiệp Hạ",
    "Nhượng Bạn",
    "Quan Bản",
    "Minh Phát",
    "Mẫu Sơn",
    "Yên Khoái",
    "Tú Mịch",
    "Hữu Khánh",
    "Đồng Bục",
    "Tam Gia",
    "Tú Đoạn",
    "Khuất Xá",
    "Đông Quan",
]
# (title, key post, category) of the commune posts on the positions list.
KEY_POSTS = [
    "Bí thư Đảng ủy",
    "Phó Bí thư Đảng ủy",
    "Chủ tịch HĐND",
    "Chủ tịch UBND",
    "Phó Chủ tịch UBND",
]
CIVIL_SERVANT_POSTS = [
    "Công chức Văn phòng - Thống kê",
    "Công chức Địa chính - Xây dựng",
    "Công chức Tài chính - Kế toán",
    "Công chức Tư pháp - Hộ tịch",
    "Công chức Văn hóa - Xã hội",
    "Chỉ huy trưởng Quân sự",
]
PART_TIME_POSTS = [
    "Phó Chủ tịch Hội Nông dân",
    "Phó Chủ tịch Hội Liên hiệp Phụ nữ",
    "Phó Bí thư Đoàn Thanh niên",
    "Phó Chủ tịch Hội Cựu chiến binh",
    "Phó Chủ tịch UBMTTQ",
    "Phó Chỉ huy trưởng Quân sự",
    "Công an viên",
    "Văn thư - Thủ quỹ",
]
FAMILY = ["Nông", "Hoàng", "Lương", "Lộc", "Vi", "Triệu", "Mã", "Lăng", "Chu", "Hà", "Đinh"]
FAMILY += ["Nguyễn", "Trần", "Lý", "Dương", "Bế", "Hứa", "Tô", "Ngô", "Phùng"]
MIDDLE_MALE = ["Văn", "Đức", "Thanh", "Minh", "Quang", "Xuân", "Hữu", "Tiến"]
MIDDLE_FEMALE = ["Thị", "Thu", "Thanh", "Ngọc", "Hồng", "Minh"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Mạnh", "Nam"]
GIVEN_MALE += ["Phong", "Quân", "Sơn", "Tài", "Thắng", "Toàn", "Tuấn", "Việt", "Vinh", "Lâm"]
GIVEN_FEMALE = ["Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Liên", "Mai"]
GIVEN_FEMALE += ["Nga", "Nhung", "Phương", "Thảo", "Thủy", "Trang", "Uyên", "Vân", "Yến", "Xuân"]
ETHNICITIES = ["Tày", "Nùng", "Nùng", "Tày", "Kinh", "Dao"]

# The brief's district dispatches: (training type as written, school as written, how many).
# 2 + 10 + 160 + 74, and 16 to programmes the report does not name (state management, defence).
DISTRICT_DISPATCHES = [
    ("Thạc sĩ", "Học viện Chính trị - Hành chính quốc gia Hồ Chí Minh", 2, 24),
    ("Cao cấp LLCT", "Học viện Chính trị - Hành chính khu vực I", 10, 18),
    ("Đại học", "Trường Đại học Kinh tế và QTKD - Đại học Thái Nguyên", 160, 48),
    ("Cao đẳng", "Trường Cao đẳng Sư phạm Lạng Sơn", 74, 36),
    ("Bồi dưỡng QLNN chuyên viên", "Trường Chính trị Hoàng Văn Thụ tỉnh Lạng Sơn", 9, 3),
    ("Bồi dưỡng kiến thức QP-AN đối tượng 3", "Trường Quân sự tỉnh Lạng Sơn", 7, 1),
]
# The commune lines: 31 intermediate economics/agriculture, 68 the provincial Military School,
# the military college and police lines (the brief says "some": 5 and 4 here), 148 trung cấp
# LLCT, 100 at the district centre and 48 at the province's school.
COMMUNE_DISPATCHES = [
    ("Trung cấp", "Trường Trung cấp Kinh tế - Kỹ thuật Lạng Sơn", 31, 24),
    ("Trung cấp quân sự cơ sở", "Trường Quân sự tỉnh Lạng Sơn", 68, 24),
    ("Cao đẳng ngành quân sự cơ sở", "Trường Quân sự Quân khu 1", 5, 36),
    ("Sơ cấp công an xã", "Trường Cao đẳng Cảnh sát nhân dân I", 4, 3),
    ("Trung cấp LLCT", "Trung tâm Chính trị huyện Lộc Bình, tỉnh Lạng Sơn", 100, 8),
    ("TC chính trị - hành chính", "Trường Chính trị Hoàng Văn Thụ tỉnh Lạng Sơn", 48, 8),
]
# The district centre's classes (names announce their topics) and the attendances.
CLASS_NAMES = [
    "Bồi dưỡng nghiệp vụ công tác kiểm tra",
    "Bồi dưỡng nghiệp vụ công tác tuyên giáo",
    "Bồi dưỡng nghiệp vụ công tác dân vận",
    "Bồi dưỡng kỹ năng quản lý nhà nước",
    "Bồi dưỡng kỹ năng lãnh đạo, quản lý",
    "Bồi dưỡng cấp ủy viên cơ sở",
    "Bồi dưỡng bí thư chi bộ",
    "Lớp bồi dưỡng nhận thức về Đảng",
    "Lớp bồi dưỡng đảng viên mới",
]
CLASSES = 57
ATTENDANCES = 4286
TRAINEES = 1400  # party-admission candidates, new members, village cell secretaries
POLICY = "Hỗ trợ cán bộ đi học theo Nghị quyết 05/2008/NQ-HĐND"
RATE = {"district": "2.000.000", "commune": "1.200.000"}


def person_names(rng: random.Random, used: set) -> tuple[str, str, date]:
    """A name, gender and birth date nobody else in the district has (a trainee is matched on
    name, birth date and unit: two different people must not look alike)."""
    while True:
        female = rng.random() < 0.4
        name = " ".join(
            [
                rng.choice(FAMILY),
                rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE),
                rng.choice(GIVEN_FEMALE if female else GIVEN_MALE),
            ]
        )
        born = date(rng.randint(1972, 1988), rng.randint(1, 12), rng.randint(1, 28))
        if (name, born) not in used:
            used.add((name, born))
            return name, "Nữ" if female else "Nam", born


def cccd(serial: int, born: date, female: bool) -> str:
    """020 (Lạng Sơn), the century-and-gender digit, the year, a serial."""
    return f"020{(1 if female else 0)}{born.year % 100:02d}{serial:06d}"


def plan(rng: random.Random) -> dict:
    """Everyone and everything the lists describe."""
    used: set = set()
    serial = iter(range(1, 1_000_000))

    def person(unit: str, **extra) -> dict:
        name, gender, born = person_names(rng, used)
        return {
            "name": name,
            "gender": gender,
            "born": born,
            "cccd": cccd(next(serial), born, gender == "Nữ"),
            "ethnicity": rng.choice(ETHNICITIES),
            "unit": unit,
            "joined": date(min(born.year + rng.randint(20, 24), 2012), rng.randint(1, 6), 1),
            **extra,
        }

    # District civil servants, in the order the dispatch lines take them; 268 of 300 hold an
    # intermediate professional level or higher (89%, "over 80%").
    levels = ["Đại học"] * 12 + ["Cao đẳng"] * 100 + ["Trung cấp"] * 120
    levels += ["Sơ cấp"] * 14 + ["Đại học"] * 16 + ["Đại học"] * 20 + [""] * 18
    district = [
        person(AGENCIES[n % len(AGENCIES)], level=level, theory="Trung cấp" if n < 12 else "")
        for n, level in enumerate(levels)
    ]
    communes = []
    for c, commune in enumerate(COMMUNES):
        for k, post in enumerate(KEY_POSTS):
            # 13 of every 20 key cadres hold intermediate political theory or higher: 65%.
            held = (c * len(KEY_POSTS) + k) % 20 < 13
            communes.append(
                person(
                    commune,
                    post=post,
                    kind="key",
                    level="Đại học",
                    theory=rng.choice(["Trung cấp", "Cao cấp"]) if held else "Sơ cấp",
                )
            )
        for k, post in enumerate(CIVIL_SERVANT_POSTS):
            # 11 of every 20 commune civil servants hold an elementary level or higher: 55%.
            held = (c * len(CIVIL_SERVANT_POSTS) + k) % 20 < 11
            communes.append(
                person(commune, post=post, kind="civil", level="Sơ cấp" if held else "", theory="")
            )
        for post in PART_TIME_POSTS:
            communes.append(person(commune, post=post, kind="part", level="", theory=""))
    # Commune dispatches: professional and military/police courses for those without a
    # professional level; trung cấp LLCT for those without it.
    unqualified_civil = [p for p in communes if p["kind"] == "civil" and not p["level"]]
    part_time = [p for p in communes if p["kind"] == "part"]
    theory_wanted = [p for p in communes if p["kind"] == "key" and p["theory"] == "Sơ cấp"]
    theory_wanted += [p for p in communes if p["kind"] == "civil" and p not in unqualified_civil]
    sent_commune = {
        "Trung cấp": unqualified_civil[:31],
        "military": part_time[:77],
        "theory": (theory_wanted + part_time[77:])[:148],
    }
    dispatches = []
    taken = iter(district)
    decision = iter(range(101, 10_000))
    for training, school, count, months in DISTRICT_DISPATCHES:
        for n in range(count):
            dispatches.append(dispatch(rng, next(taken), training, school, months, n, decision))
    pools = {name: iter(people) for name, people in sent_commune.items()}
    for training, school, count, months in COMMUNE_DISPATCHES:
        if training == "Trung cấp":
            pool = pools["Trung cấp"]
        elif "LLCT" in training or "chính trị" in training:
            pool = pools["theory"]
        else:
            pool = pools["military"]
        for n in range(count):
            dispatches.append(dispatch(rng, next(pool), training, school, months, n, decision))

    trainees = []
    for _ in range(TRAINEES):
        trainee = person(rng.choice(COMMUNES))
        trainee["cccd"] = "" if rng.random() < 0.7 else trainee["cccd"]
        trainees.append(trainee)
    classes = []
    for n in range(CLASSES):
        year = 2009 + n * 4 // CLASSES
        start = date(year, 3 + (n % 14) * 9 // 14, 5 + n % 20)
        classes.append(
            {
                "code": f"BD-{year}-{n + 1:02d}",
                "name": f"{CLASS_NAMES[n % len(CLASS_NAMES)]} khóa {n // len(CLASS_NAMES) + 1}",
                "start": start,
                "end": start + timedelta(days=4),
            }
        )
    attendances = []
    attendees = communes + trainees
    for n, course in enumerate(classes):
        size = ATTENDANCES // CLASSES + (1 if n < ATTENDANCES % CLASSES else 0)
        for who in rng.sample(attendees, size):
            attendances.append((course, who))
    return {
        "district": district,
        "communes": communes,
        "dispatches": dispatches,
        "classes": classes,
        "attendances": attendances,
    }


def dispatch(rng, who: dict, training, school, months, n, decision) -> dict:
    year = 2009 + n % 4
    start = date(year, 9 if months >= 12 else rng.choice([3, 5, 9]), 1 + n % 5)
    end = add_months(start, months) - timedelta(days=1)
    return {
        "who": who,
        "training": training,
        "school": school,
        "number": f"{next(decision)}-QĐ/HU",
        "start": start,
        "end": end,
        # A third of each line incumbents, the rest reserves, as the lists state it.
        "role": "Đương chức" if n % 3 == 0 else "Dự nguồn",
    }


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def distinct_attendees(attendances) -> int:
    return len({id(who) for _, who in attendances})


def dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


# --- Writing -------------------------------------------------------------------------------


def write_csv(path: Path, title: list[str], header: list[str], rows, footer: list[str]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        for line in title:
            writer.writerow([line] + [""] * (len(header) - 1))
        writer.writerow(header)
        writer.writerows(rows)
        for line in footer:
            writer.writerow(["", line] + [""] * (len(header) - 2))


def write_xlsx(path: Path, title: list[str], header: list[str], rows, footer: list[str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in title:
        sheet.append([line])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for line in footer:
        sheet.append([None, line])
    stamp = datetime(2013, 1, 15, 8, 0)
    book.properties.created = book.properties.modified = stamp
    book.save(path)


def numeric(cccd_text: str):
    """A CCCD as a spreadsheet stores a number typed into it: the leading zero gone."""
    return int(cccd_text) if cccd_text else None


SIGNATURE = ["Người lập biểu", "TRƯỞNG BAN TỔ CHỨC HUYỆN ỦY"]


def write(directory: Path) -> dict:
    rng = random.Random(2012)
    data = plan(rng)
    directory.mkdir(parents=True, exist_ok=True)

    write_csv(
        directory / "co_quan_huyen.csv",
        ["HUYỆN ỦY LỘC BÌNH", "DANH SÁCH CƠ QUAN ĐẢNG, CHÍNH QUYỀN, ĐOÀN THỂ HUYỆN"],
        ["STT", "Tên cơ quan, đơn vị", "Trực thuộc", "Ghi chú"],
        [[n, name, DISTRICT, ""] for n, name in enumerate(AGENCIES, 1)],
        [],
    )
    posts = [(t, "x", "CB") for t in KEY_POSTS] + [(t, "", "CC") for t in CIVIL_SERVANT_POSTS]
    posts += [(t, "", "KCT") for t in PART_TIME_POSTS]
    write_csv(
        directory / "chuc_danh_xa.csv",
        ["DANH MỤC CHỨC DANH CÁN BỘ, CÔNG CHỨC XÃ"],
        ["STT", "Tên chức danh", "Cấp", "Chủ chốt", "Đối tượng"],
        [[n, title, "Xã", key, kind] for n, (title, key, kind) in enumerate(posts, 1)],
        [],
    )
    write_csv(
        directory / "ho_so_huyen_2012.csv",
        ["HUYỆN ỦY LỘC BÌNH", "DANH SÁCH CÔNG CHỨC CƠ QUAN HUYỆN ĐẾN 31/12/2012"],
        [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Dân tộc",
            "Số CCCD",
            "Phân loại",
            "Đơn vị",
            "Chức vụ",
            "Trình độ chuyên môn",
            "Lý luận chính trị",
            "Ngày vào cơ quan",
        ],
        [
            [
                n,
                p["name"],
                dmy(p["born"]),
                p["gender"],
                p["ethnicity"],
                p["cccd"],
                "CC",
                p["unit"],
                "Chuyên viên",
                p["level"],
                p["theory"],
                dmy(p["joined"]),
            ]
            for n, p in enumerate(data["district"], 1)
        ],
        [f"Tổng cộng: {len(data['district'])} người", *SIGNATURE],
    )
    write_xlsx(
        directory / "can_bo_xa_2012.xlsx",
        ["BAN TỔ CHỨC HUYỆN ỦY LỘC BÌNH", "DANH SÁCH CÁN BỘ, CÔNG CHỨC XÃ, THỊ TRẤN NĂM 2012"],
        [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Dân tộc",
            "Số CCCD",
            "Chức vụ",
            "Xã, thị trấn",
            "Trình độ CM",
            "LLCT",
            "Đương chức/Dự nguồn",
            "Ngày vào cơ quan",
        ],
        [
            [
                n,
                p["name"],
                dmy(p["born"]),
                p["gender"],
                p["ethnicity"],
                numeric(p["cccd"]),
                p["post"],
                p["unit"],
                p["level"],
                p["theory"],
                "Đương chức" if p["kind"] == "key" else "",
                dmy(p["joined"]),
            ]
            for n, p in enumerate(data["communes"], 1)
        ],
        [f"Cộng: {len(data['communes'])} người", *SIGNATURE],
    )
    degrees = [p for p in data["district"] if p["level"] == "Đại học"]
    write_csv(
        directory / "qua_trinh_dao_tao.csv",
        ["TÓM TẮT QUÁ TRÌNH ĐÀO TẠO (THEO MẪU 2C)"],
        [
            "STT",
            "Họ và tên",
            "Số CCCD",
            "Loại trình độ",
            "Trình độ",
            "Chuyên ngành đào tạo",
            "Tên trường",
            "Hình thức đào tạo",
            "Từ tháng năm",
            "Đến tháng năm",
        ],
        [
            [
                n,
                p["name"],
                p["cccd"],
                "Chuyên môn",
                "Đại học",
                "Kinh tế nông nghiệp",
                "Trường Đại học Nông Lâm Thái Nguyên",
                "Tại chức",
                f"09/{p['born'].year + 20}",
                f"06/{p['born'].year + 24}",
            ]
            for n, p in enumerate(degrees, 1)
        ],
        [],
    )
    write_csv(
        directory / "chinh_sach.csv",
        [],
        ["STT", "Tên chính sách", "Căn cứ", "Từ ngày", "Đến ngày"],
        [[1, POLICY, "Nghị quyết 05/2008/NQ-HĐND tỉnh Lạng Sơn", "01/01/2009", "31/12/2015"]],
        [],
    )
    write_xlsx(
        directory / "cu_di_hoc_2009_2012.xlsx",
        [
            "BAN TỔ CHỨC HUYỆN ỦY LỘC BÌNH",
            "DANH SÁCH CÁN BỘ ĐƯỢC CỬ ĐI ĐÀO TẠO GIAI ĐOẠN 2009 - 2012",
        ],
        [
            "STT",
            "Họ và tên",
            "Số CCCD",
            "Loại hình đào tạo",
            "Chuyên ngành",
            "Nơi đào tạo",
            "Số QĐ",
            "Ngày nhập học",
            "Ngày kết thúc",
            "Đương chức/Dự nguồn",
        ],
        [
            [
                n,
                d["who"]["name"],
                numeric(d["who"]["cccd"]),
                d["training"],
                "Kinh tế nông nghiệp" if d["training"] == "Trung cấp" else "",
                d["school"],
                d["number"],
                dmy(d["start"]),
                dmy(d["end"]),
                d["role"],
            ]
            for n, d in enumerate(data["dispatches"], 1)
        ],
        [f"Tổng số: {len(data['dispatches'])} lượt", *SIGNATURE],
    )
    write_csv(
        directory / "lop_boi_duong_2009_2012.csv",
        [
            "TRUNG TÂM BỒI DƯỠNG CHÍNH TRỊ HUYỆN LỘC BÌNH",
            "DANH SÁCH CÁC LỚP BỒI DƯỠNG NĂM 2009 - 2012",
        ],
        ["STT", "Mã lớp", "Tên lớp", "Ngày khai giảng", "Ngày bế giảng"],
        [
            [n, c["code"], c["name"], dmy(c["start"]), dmy(c["end"])]
            for n, c in enumerate(data["classes"], 1)
        ],
        [f"Tổng số: {len(data['classes'])} lớp", "GIÁM ĐỐC"],
    )
    rows = []
    for n, (course, who) in enumerate(data["attendances"], 1):
        # Commune cadres are often listed without their CCCD: found by name, birth and unit.
        listed = who["cccd"] if who.get("post") is None or n % 2 else ""
        rows.append([n, course["code"], who["name"], dmy(who["born"]), listed, who["unit"], "Đạt"])
    write_csv(
        directory / "hoc_vien_2009_2012.csv",
        [
            "TRUNG TÂM BỒI DƯỠNG CHÍNH TRỊ HUYỆN LỘC BÌNH",
            "DANH SÁCH HỌC VIÊN CÁC LỚP BỒI DƯỠNG 2009 - 2012",
        ],
        ["STT", "Mã lớp", "Họ và tên", "Ngày sinh", "CCCD", "Đơn vị", "Kết quả"],
        rows,
        [f"Tổng số: {len(rows)} lượt học viên", "GIÁM ĐỐC"],
    )
    payments = []
    for n, d in enumerate(data["dispatches"], 1):
        level = "district" if d["who"]["unit"] in AGENCIES else "commune"
        paid = d["start"] + timedelta(days=30)
        payments.append(
            [
                n,
                d["who"]["name"],
                numeric(d["who"]["cccd"]),
                POLICY,
                d["number"],
                RATE[level],
                dmy(paid),
                f"PC-{paid.year}-{n:04d}",
            ]
        )
    write_xlsx(
        directory / "chi_ho_tro_2009_2012.xlsx",
        ["BAN TỔ CHỨC HUYỆN ỦY LỘC BÌNH", "BẢNG KÊ CHI HỖ TRỢ ĐÀO TẠO 2009 - 2012"],
        [
            "STT",
            "Họ và tên",
            "Số CCCD",
            "Nội dung chi",
            "Số QĐ cử đi học",
            "Số tiền",
            "Ngày chi",
            "Số phiếu chi",
        ],
        payments,
        ["Tổng cộng", *SIGNATURE],
    )
    return data


DISTINCT_ATTENDEES = distinct_attendees(plan(random.Random(2012))["attendances"])

if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
