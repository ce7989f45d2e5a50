"""The data model: one source of truth for every table's columns.

The loader (io), the validator, the Excel template and data/README.md's data dictionary
are all generated from the definitions here, so a column is added in one place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

LEVELS = ("to_dan_pho", "phuong")
LEVEL_LABELS = {
    "vi": {"to_dan_pho": "Tổ dân phố", "phuong": "Phường"},
    "en": {"to_dan_pho": "Residential group", "phuong": "Ward"},
}
STATUSES = ("resolved", "in_progress", "forwarded")
STATUS_ALIASES = {
    "resolved": ("resolved", "da giai quyet", "đã giải quyết", "xong", "da tra loi"),
    "in_progress": ("in_progress", "in progress", "dang giai quyet", "đang giải quyết"),
    "forwarded": ("forwarded", "chuyen", "da chuyen", "chuyen cap tren", "chuyển cấp trên"),
}
#: How staff write a status, as the start of its header_key: the first that fits wins
#: ("Đã chuyển UBND quận" -> forwarded; "Chưa giải quyết" is still open -> in_progress).
STATUS_PREFIXES: tuple[tuple[str, str], ...] = (
    ("forwarded", "forwarded"), ("da_chuyen", "forwarded"), ("chuyen", "forwarded"),
    ("de_nghi_cap_tren", "forwarded"), ("bao_cao_cap_tren", "forwarded"),
    ("resolved", "resolved"), ("da_giai_quyet", "resolved"), ("giai_quyet_xong", "resolved"),
    ("xong", "resolved"), ("hoan_thanh", "resolved"), ("da_xu_ly", "resolved"),
    ("da_khac_phuc", "resolved"), ("da_tra_loi", "resolved"), ("da_thuc_hien", "resolved"),
    ("da_xong", "resolved"), ("done", "resolved"),
    ("in_progress", "in_progress"), ("in progress", "in_progress"), ("dang", "in_progress"),
    ("chua", "in_progress"), ("tiep_tuc", "in_progress"), ("open", "in_progress"),
)
#: How a conference level is written, after "hội nghị", "HN" or "cấp" are taken off.
LEVEL_NAMES: dict[str, str] = {
    "to_dan_pho": "to_dan_pho", "tdp": "to_dan_pho", "to": "to_dan_pho", "to_dp": "to_dan_pho",
    "group": "to_dan_pho", "residential_group": "to_dan_pho", "khu_dan_cu": "to_dan_pho",
    "phuong": "phuong", "ward": "phuong", "p": "phuong", "dai_bieu_nhan_dan_phuong": "phuong",
}


@dataclass(frozen=True)
class Column:
    """One column: its English name in code, dtype, and how people write its header."""

    name: str
    dtype: str  # "int", "str", "date", "category"
    label_vi: str
    label_en: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    min_value: int | None = None
    description_vi: str = ""
    description_en: str = ""
    #: Kept as typed: the template formats the column as Text (@) on every row, so Excel or
    #: LibreOffice does not turn a request number "1/2" or "3-1" into a date.
    as_text: bool = False

    def label(self, lang: str = "vi") -> str:
        return self.label_vi if lang == "vi" else self.label_en


@dataclass(frozen=True)
class Table:
    """A table: its columns and the key that must be unique within a year."""

    name: str
    label_vi: str
    label_en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    sheet_name: str = ""  # the sheet in the Excel template
    extra_columns_ok: bool = True

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def label(self, lang: str = "vi") -> str:
        return self.label_vi if lang == "vi" else self.label_en


_YEAR = Column("year", "int", "Năm", "Year", aliases=("nam", "năm hội nghị"), min_value=2000)
_WARD_CODE = Column(
    "ward_code", "str", "Mã phường", "Ward code",
    aliases=("ma phuong", "ma_phuong", "ma don vi", "ward"),
    description_vi="Mã đơn vị hành chính 5 chữ số của Tổng cục Thống kê (theo danh mục đơn vị)",
    description_en="GSO 5-digit administrative unit code (as in the units file)",
)
_WARD_NAME = Column(
    "ward_name", "str", "Tên phường", "Ward name", required=False,
    aliases=("phuong", "ten phuong", "don vi"),
)
_DATE = Column(
    "conference_date", "date", "Ngày hội nghị", "Conference date",
    aliases=("ngay hoi nghi", "ngay to chuc", "ngay", "date", "thoi gian"),
    description_vi="dd/mm/yyyy", description_en="dd/mm/yyyy or ISO",
)
_INVITED = Column(
    "households_invited", "int", "Số hộ được mời", "Households invited", min_value=0,
    aliases=("so ho duoc moi", "so ho moi", "ho duoc moi", "so dai bieu duoc moi", "invited"),
)
_ATTENDED = Column(
    "households_attended", "int", "Số hộ dự", "Households attended", min_value=0,
    aliases=(
        "so ho du", "so ho tham du", "so ho du hoi nghi", "so dai bieu du", "ho du",
        "so ho co mat", "attended",
    ),
)
_OPINIONS = Column(
    "opinions_count", "int", "Số ý kiến", "Opinions raised", min_value=0,
    aliases=("so y kien", "y kien", "so y kien phat bieu", "opinions"),
)

GROUP_CONFERENCES = Table(
    "group_conferences", "Hội nghị tổ dân phố", "Residential-group conferences",
    columns=(
        _YEAR,
        _WARD_CODE,
        _WARD_NAME,
        Column(
            "group_code", "str", "Mã tổ dân phố", "Group code",
            aliases=("ma to dan pho", "ma to", "ma tdp", "group"),
            description_vi="Mã ổn định qua các năm (mã phường-TDP01)",
            description_en="Stable across years (ward code-TDP01)",
        ),
        Column(
            "group_name", "str", "Tên tổ dân phố", "Group name", required=False,
            aliases=("to dan pho", "ten to dan pho", "ten to", "tdp", "to"),
        ),
        _DATE,
        _INVITED,
        _ATTENDED,
        _OPINIONS,
        Column("notes", "str", "Ghi chú", "Notes", required=False, aliases=("ghi chu", "note")),
    ),
    key=("year", "group_code"),
    sheet_name="To dan pho",
)

WARD_CONFERENCES = Table(
    "ward_conferences", "Hội nghị phường", "Ward conferences",
    columns=(_YEAR, _WARD_CODE, _WARD_NAME, _DATE, _INVITED, _ATTENDED, _OPINIONS),
    key=("year", "ward_code"),
    sheet_name="Phuong",
)

OPINIONS = Table(
    "opinions", "Ý kiến, kiến nghị", "Opinions",
    columns=(
        Column(
            "opinion_id", "str", "Mã ý kiến", "Opinion ID",
            aliases=("ma y kien", "id"),
        ),
        _YEAR,
        Column(
            "level", "category", "Cấp hội nghị", "Level", aliases=("cap", "cap hoi nghi"),
            description_vi="to_dan_pho hoặc phuong", description_en="to_dan_pho or phuong",
        ),
        _WARD_CODE,
        Column(
            "group_code", "str", "Mã tổ dân phố", "Group code", required=False,
            aliases=("ma to dan pho", "ma to", "ma tdp"),
            description_vi="Để trống với ý kiến ở hội nghị phường",
            description_en="Empty for ward-level opinions",
        ),
        Column(
            "text", "str", "Nội dung ý kiến", "Opinion text",
            aliases=("noi dung", "noi dung y kien", "y kien kien nghi", "noi dung kien nghi"),
        ),
        Column(
            "topic", "str", "Lĩnh vực (cán bộ phân loại)", "Topic (staff-coded)", required=False,
            aliases=("linh vuc", "chu de", "nhom van de"),
            description_vi="Mã lĩnh vực; hai mã cách nhau bởi ';' (lĩnh vực chính trước)",
            description_en="Topic codes; two separated by ';' (primary first)",
        ),
        Column(
            "addressed_to", "str", "Cấp giải quyết", "Addressed to", required=False,
            aliases=("cap giai quyet", "tham quyen", "co quan giai quyet"),
        ),
        Column(
            "staff_item", "str", "Nhóm kiến nghị (cán bộ tổng hợp)", "Request group (staff)",
            required=False, as_text=True,
            aliases=("nhom kien nghi", "so tt tong hop", "kien nghi tong hop so",
                     "stt tong hop", "ma nhom", "nhom y kien"),
            description_vi="Số hoặc nhãn ngắn của kiến nghị mà cán bộ đã tổng hợp; các ý kiến "
                           "cùng số trong một năm là một kiến nghị; ý kiến cấp phường cùng số "
                           "với ý kiến của tổ trong phường là ý kiến đưa các ý kiến đó lên. Để "
                           "trống: máy gộp, máy đối chiếu",
            description_en="The number or short label of the request staff consolidated it "
                           "into; opinions with the same key in a year are one request; a "
                           "ward-level opinion with the key of group-level ones of its ward "
                           "carries them forward. Blank: grouped and matched by the machine",
        ),
        Column(
            "status", "str", "Tình trạng", "Status", required=False,
            aliases=("tinh trang", "ket qua giai quyet", "trang thai"),
            description_vi="resolved / in_progress / forwarded",
            description_en="resolved / in_progress / forwarded",
        ),
        Column(
            "response", "str", "Trả lời", "Response", required=False,
            aliases=("tra loi", "noi dung tra loi", "y kien tra loi"),
        ),
    ),
    key=("opinion_id",),
    sheet_name="Y kien",
)

#: Opinion columns only staff fill: their coding, never the generator's (the synthetic data
#: has none of them, so the classifier and the consolidation answer there).
STAFF_CODED = ("topic", "staff_item")

WARDS = Table(
    "wards", "Danh sách phường", "Wards",
    columns=(
        _WARD_CODE,
        Column("ward_name", "str", "Tên phường", "Ward name", aliases=("ten phuong",)),
        Column("population_2019", "int", "Dân số 2019", "Population 2019", min_value=0),
        Column("households_2019", "int", "Số hộ 2019", "Households 2019", min_value=0),
        Column("census_note", "str", "Ghi chú", "Note", required=False),
    ),
    key=("ward_code",),
)

CROSSWALK_2025 = Table(
    "crosswalk_2025", "Sắp xếp đơn vị hành chính 2025", "2025 ward merger",
    columns=(
        Column("old_ward_code", "str", "Mã phường cũ", "Old ward code"),
        Column("old_ward_name", "str", "Phường cũ", "Old ward"),
        Column("new_ward_name", "str", "Phường mới", "New ward"),
        Column("new_ward_code", "str", "Mã phường mới", "New ward code", required=False,
               description_vi="Để trống: tìm theo tên trong danh mục đơn vị",
               description_en="Empty: found by name in the unit registry"),
        Column("part", "str", "Phần diện tích", "Part"),
        Column("clause", "int", "Khoản", "Clause"),
        Column("note", "str", "Ghi chú", "Note", required=False),
    ),
    key=("old_ward_code", "new_ward_name"),
)

GROUP_CROSSWALK = Table(
    "group_crosswalk", "Chuyển đổi tổ dân phố", "Group crosswalk",
    columns=(
        Column("old_group_code", "str", "Mã tổ dân phố cũ", "Old group code",
               aliases=("ma to cu", "ma tdp cu", "to cu", "old group", "from"),
               description_vi="Mã tổ trước khi sắp xếp (mã phường cũ-TDP05)",
               description_en="The group's code before the reorganisation (old ward code-TDP05)"),
        Column("new_group_code", "str", "Mã tổ dân phố mới", "New group code",
               aliases=("ma to moi", "ma tdp moi", "to moi", "new group", "to"),
               description_vi="Mã tổ của năm này; nhiều tổ cũ cùng một tổ mới là sáp nhập",
               description_en="The group's code in this year; several old groups with one new "
                              "group are a merger"),
        Column("note", "str", "Ghi chú", "Note", required=False, aliases=("ghi chu",)),
    ),
    key=("old_group_code", "new_group_code"),
)

PUBLISHED_TOTALS = Table(
    "published_totals", "Số liệu đã công bố", "Published totals",
    columns=(
        _YEAR,
        Column("level", "category", "Cấp", "Level"),
        Column("units_held", "int", "Số đơn vị tổ chức", "Units held", required=False),
        Column("units_total", "int", "Tổng số đơn vị", "Units total", required=False),
        Column("households_invited", "int", "Số hộ được mời", "Households invited", False),
        Column("households_attended", "int", "Số hộ dự", "Households attended", False),
        Column("attended_qualifier", "str", "Mức chính xác", "Qualifier", required=False),
        Column("rate_pct", "float", "Tỷ lệ (%)", "Rate (%)", required=False),
        Column("opinions", "int", "Số ý kiến", "Opinions", required=False),
        Column("period_start", "date", "Từ ngày", "From", required=False),
        Column("period_end", "date", "Đến ngày", "To", required=False),
        Column("source", "str", "Nguồn", "Source", required=False),
    ),
    key=("year", "level"),
)

#: The tables a yearly dataset holds, in the order files and sheets use.
YEARLY_TABLES: dict[str, Table] = {
    t.name: t for t in (GROUP_CONFERENCES, WARD_CONFERENCES, OPINIONS)
}
REFERENCE_TABLES: dict[str, Table] = {
    t.name: t for t in (WARDS, CROSSWALK_2025, GROUP_CROSSWALK, PUBLISHED_TOTALS)
}
ALL_TABLES: dict[str, Table] = {**YEARLY_TABLES, **REFERENCE_TABLES}


def normalize_ward_code(value: object) -> str:
    """A ward code as the 5-digit string of the reference list.

    Excel and papermill's command line turn a code with leading zeros into a number (zeros
    lost); both mean the same 5-digit code.
    """
    text = str(value).strip()
    return text.zfill(5) if text.isdigit() else text


def staff_item_key(value: object) -> str | None:
    """A staff_item as compared ("KN-03", "kn-03" and "KN-03 " are one request: spaces
    collapsed, case folded); None where blank. One rule for the checks and the lists."""
    if not isinstance(value, str) or not value.strip():
        return None
    return " ".join(value.split()).casefold()


def header_key(text: object) -> str:
    """A header reduced to what identifies it: no diacritics, lower case, words joined by _.

    'Số hộ được mời', 'so ho duoc moi', 'SO_HO_DUOC_MOI ' all give 'so_ho_duoc_moi'.
    """
    s = unicodedata.normalize("NFKD", str(text)).replace("đ", "d").replace("Đ", "D")
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"\(.*?\)", " ", s)  # "(cán bộ phân loại)", "(hộ)"
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


def header_lookup(table: Table) -> dict[str, str]:
    """Every accepted header (as header_key) -> the column's English name."""
    lookup: dict[str, str] = {}
    for col in table.columns:
        for alias in (col.name, col.label_vi, col.label_en, *col.aliases):
            lookup.setdefault(header_key(alias), col.name)
    return lookup


def data_dictionary_markdown(lang: str = "vi") -> str:
    """The data dictionary (for data/README.md), generated so it never drifts from the code."""
    out: list[str] = []
    for table in YEARLY_TABLES.values():
        out.append(f"### `{table.name}` — {table.label_vi} / {table.label_en}\n")
        out.append("| column | tiêu đề (Excel) | header | type | required | notes |")
        out.append("|---|---|---|---|---|---|")
        for c in table.columns:
            note = " / ".join(x for x in (c.description_vi, c.description_en) if x)
            req = "yes" if c.required else "no"
            out.append(
                f"| `{c.name}` | {c.label_vi} | {c.label_en} | {c.dtype} | {req} | {note} |"
            )
        out.append(f"\nKey (unique per year): {', '.join(table.key)}\n")
    return "\n".join(out)
