"""The one vi/en label table for chart titles, axis titles, legends and table headers,
and the reports' section headings.

Charts, tables and notebooks ask `label(key, lang)`; a missing key raises so a typo cannot
silently show an English column name to a Vietnamese reader. Labels of the comparison
columns carry the years they compare (`label("rate_base", base=2022)` -> "Tỷ lệ dự 2022").
Section headings and their short introductions are data: `resources/sections.yaml`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from hbt_analysis.schema import LEVEL_LABELS

#: Cells tagged with this are the analyst's layer: shown in the notebook, left out of the
#: leadership HTML, PDF and the review list of what reports show.
ANALYST_TAG = "analyst"
SECTIONS_FILE = Path(__file__).resolve().parent / "resources" / "sections.yaml"

LABELS: dict[str, tuple[str, str]] = {
    "title_topics": ("Ý kiến theo lĩnh vực", "Opinions by topic"),
    "title_topic_ward": ("Lĩnh vực theo {unit} (tỷ lệ trong {unit})",
                         "Topics by {unit} (share within {unit})"),
    # columns of the analysis frames
    "year": ("Năm", "Year"),
    "base_year": ("Năm so sánh", "Base year"),
    "level": ("Cấp hội nghị", "Level"),
    "level_label": ("Cấp hội nghị", "Level"),
    "ward_code": ("Mã {unit}", "{Unit} code"),
    "ward_name": ("{Unit}", "{Unit}"),
    "group_code": ("Mã tổ dân phố", "Group code"),
    "group_name": ("Tổ dân phố", "Residential group"),
    "groups": ("Số tổ dân phố", "Groups"),
    "units": ("Số đơn vị", "Units"),
    "invited": ("Số hộ được mời", "Households invited"),
    "attended": ("Số hộ dự", "Households attended"),
    "rate": ("Tỷ lệ dự", "Attendance rate"),
    "ci_low": ("Cận dưới 95%", "95% CI low"),
    "ci_high": ("Cận trên 95%", "95% CI high"),
    "opinions": ("Số ý kiến", "Opinions"),
    "opinions_per_100": ("Ý kiến / 100 hộ dự", "Opinions per 100 attending"),
    "households_2019": ("Số hộ (TĐTDS 2019)", "Households (2019 census)"),
    "invited_share": ("Mời / số hộ 2019", "Invited / 2019 households"),
    "attended_share": ("Dự / số hộ 2019", "Attended / 2019 households"),
    "census_note": ("Ghi chú điều tra", "Census note"),
    "approximation": ("Ước tính", "Approximation"),
    "p0": ("Tỷ lệ chung", "Target rate"),
    "position": ("Vị trí", "Position"),
    "lower_95": ("Giới hạn dưới 95%", "Lower 95% limit"),
    "upper_95": ("Giới hạn trên 95%", "Upper 95% limit"),
    "lower_998": ("Giới hạn dưới 99,8%", "Lower 99.8% limit"),
    "upper_998": ("Giới hạn trên 99,8%", "Upper 99.8% limit"),
    "below_998": ("Dưới giới hạn 99,8%", "Below 99.8% limit"),
    "below_95": ("Dưới giới hạn 95%", "Below 95% limit"),
    "within": ("Trong giới hạn", "Within limits"),
    "above_95": ("Trên giới hạn 95%", "Above 95% limit"),
    "above_998": ("Trên giới hạn 99,8%", "Above 99.8% limit"),
    "conference_date": ("Ngày hội nghị", "Conference date"),
    "where": ("Thời điểm", "When"),
    "before": ("Trước kế hoạch", "Before the window"),
    "after": ("Sau kế hoạch", "After the window"),
    "missing": ("Thiếu ngày", "Date missing"),
    "week_start": ("Tuần bắt đầu", "Week starting"),
    "conferences": ("Số hội nghị", "Conferences"),
    "in_window": ("Trong kế hoạch", "In the window"),
    "cumulative_share": ("Tỷ lệ lũy kế", "Cumulative share"),
    "ward_date": ("Ngày hội nghị {unit}", "{Unit} conference date"),
    "first_group_date": ("Hội nghị tổ đầu tiên", "First group conference"),
    "last_group_date": ("Hội nghị tổ cuối cùng", "Last group conference"),
    "days_after_last_group": ("Số ngày sau tổ cuối", "Days after last group"),
    "ward_after_groups": ("{Unit} họp sau các tổ", "{Unit} after its groups"),
    # comparison frames
    "rate_base": ("Tỷ lệ dự {base}", "Rate {base}"),
    "rate_new": ("Tỷ lệ dự {year}", "Rate {year}"),
    "invited_base": ("Hộ được mời {base}", "Invited {base}"),
    "invited_new": ("Hộ được mời {year}", "Invited {year}"),
    "attended_base": ("Hộ dự {base}", "Attended {base}"),
    "attended_new": ("Hộ dự {year}", "Attended {year}"),
    "change": ("Thay đổi", "Change"),
    "change_low": ("Cận dưới 95% thay đổi", "Change 95% CI low"),
    "change_high": ("Cận trên 95% thay đổi", "Change 95% CI high"),
    "significant": ("Khác biệt rõ", "Clear change"),
    "status": ("Tình trạng", "Status"),
    "new": ("Tổ mới", "New group"),
    "discontinued": ("Không còn tổ chức", "Discontinued"),
    "both": ("Có cả hai năm", "In both years"),
    "share_base": ("Tỷ trọng hộ mời {base}", "Invited share {base}"),
    "share_new": ("Tỷ trọng hộ mời {year}", "Invited share {year}"),
    "within_part": ("Do tỷ lệ trong {unit}", "Rates within {units}"),
    "mix_part": ("Do cơ cấu hộ mời giữa các {unit}", "Mix between {units}"),
    # the same parts on a ward's page, whose units are its groups
    "within_part_groups": ("Do tỷ lệ trong từng tổ dân phố", "Rates within groups"),
    "mix_part_groups": ("Do cơ cấu hộ mời giữa các tổ", "Mix between groups"),
    "total_change": ("Tổng thay đổi", "Total change"),
    "component": ("Thành phần", "Component"),
    "metric": ("Chỉ tiêu", "Measure"),
    "published": ("Số công bố", "Published"),
    "data": ("Số trong dữ liệu", "In the data"),
    "difference": ("Chênh lệch", "Difference"),
    "note": ("Ghi chú", "Note"),
    "groups_base": ("Số tổ (năm so sánh)", "Groups, base year"),
    "groups_new": ("Số tổ (năm xem xét)", "Groups, year"),
    "basis_label": ("Cách so sánh", "Compared by"),
    "reason": ("Lý do không so sánh được", "Why not comparable"),
    "new_ward_name": ("Phường mới (2025)", "New ward (2025)"),
    "old_wards_whole": ("Phường cũ (toàn bộ)", "Old wards (whole)"),
    "old_wards_split": ("Phường cũ bị chia (không tính)", "Split old wards (not counted)"),
    "complete": ("Đủ số liệu", "Complete"),
    "old_ward_name": ("Phường cũ", "Old ward"),
    "goes_to": ("Chuyển về", "Goes to"),
    "units_held": ("Số đơn vị tổ chức", "Units held"),
    "households_invited": ("Số hộ được mời", "Households invited"),
    "households_attended": ("Số hộ dự", "Households attended"),
    "rate_pct": ("Tỷ lệ dự (%)", "Attendance rate (%)"),
    "ward_invited": ("Hộ được mời (cấp {unit})", "Invited ({unit} level)"),
    "ward_attended": ("Hộ dự (cấp {unit})", "Attended ({unit} level)"),
    "ward_rate": ("Tỷ lệ (cấp {unit})", "Rate ({unit} level)"),
    "ward_opinions": ("Ý kiến (cấp {unit})", "Opinions ({unit} level)"),
    # the opinion analyses (opinions.py)
    "topic": ("Mã lĩnh vực", "Topic code"),
    "topic_name": ("Lĩnh vực", "Topic"),
    "count": ("Số ý kiến", "Opinions"),
    "n": ("Tổng số ý kiến", "All opinions"),
    "share": ("Tỷ lệ", "Share"),
    "total": ("Tổng", "Total"),
    "term": ("Từ, cụm từ", "Word or phrase"),
    "kind": ("Loại", "Kind"),
    "score": ("Điểm TF-IDF", "TF-IDF score"),
    "rank": ("Thứ tự", "Rank"),
    "words": ("Từ nổi bật", "Top words"),
    "phrases": ("Cụm từ nổi bật", "Top phrases"),
    "theme": ("Chủ đề", "Theme"),
    "dominant_topic": ("Lĩnh vực chiếm nhiều nhất", "Main taxonomy topic"),
    "dominant_share": ("Tỷ lệ lĩnh vực đó", "Its share"),
    "other_share": ("Tỷ lệ \"Khác\"", "Share \"other\""),
    "examples": ("Ý kiến tiêu biểu", "Example opinions"),
    "opinion_id": ("Mã ý kiến", "Opinion ID"),
    "text": ("Nội dung ý kiến", "Opinion text"),
    "similarity": ("Độ tương đồng", "Similarity"),
    "year_before": ("Năm trước", "Earlier year"),
    "year_after": ("Năm sau", "Later year"),
    "count_before": ("Số ý kiến {base}", "Opinions {base}"),
    "n_before": ("Tổng {base}", "All {base}"),
    "share_before": ("Tỷ lệ {base}", "Share {base}"),
    "count_after": ("Số ý kiến {year}", "Opinions {year}"),
    "n_after": ("Tổng {year}", "All {year}"),
    "share_after": ("Tỷ lệ {year}", "Share {year}"),
    "z": ("z", "z"),
    "p_value": ("p", "p"),
    "p_adjusted": ("p hiệu chỉnh (BH)", "p adjusted (BH)"),
    "status_name": ("Tình trạng", "Status"),
    "matched": ("Cụm từ quyết định", "Matched phrases"),
    "topic_secondary_name": ("Lĩnh vực thứ hai", "Second topic"),
    # the overdispersion-aware funnel (funnel.py)
    "z_raw": ("Điểm z (nhị thức)", "z (binomial)"),
    "z_adjusted": ("Điểm z (đã tính dao động giữa các tổ)", "z (allowing for overdispersion)"),
    "lower_95_od": ("Giới hạn dưới 95% (điều chỉnh)", "Lower 95% limit (adjusted)"),
    "upper_95_od": ("Giới hạn trên 95% (điều chỉnh)", "Upper 95% limit (adjusted)"),
    "lower_998_od": ("Giới hạn dưới 99,8% (điều chỉnh)", "Lower 99.8% limit (adjusted)"),
    "upper_998_od": ("Giới hạn trên 99,8% (điều chỉnh)", "Upper 99.8% limit (adjusted)"),
    "position_od": ("Vị trí (điều chỉnh)", "Position (adjusted)"),
    "signal": ("Nhận định", "Finding"),
    "unusually_low": ("Thấp bất thường so với các tổ cùng quy mô",
                      "Unusually low for a group of its size"),
    "unusually_high": ("Cao bất thường so với các tổ cùng quy mô",
                       "Unusually high for a group of its size"),
    "lower_usual": ("Thấp hơn thường thấy (nên theo dõi)", "Lower than usual (worth watching)"),
    "higher_usual": ("Cao hơn thường thấy", "Higher than usual"),
    "usual": ("Trong khoảng thường thấy", "Within the usual range"),
    "limit_usual": ("Khoảng thường thấy", "Usual range"),
    "title_unusual": ("Tỷ lệ dự theo quy mô tổ dân phố", "Attendance rate by group size"),
    "most_improved": ("Các tổ tăng nhiều nhất", "Groups that rose most"),
    "most_declined": ("Các tổ giảm nhiều nhất", "Groups that fell most"),
    # levels
    "to_dan_pho": (LEVEL_LABELS["vi"]["to_dan_pho"], LEVEL_LABELS["en"]["to_dan_pho"]),
    "phuong": ("{Unit}", "{Unit}"),  # the level: the area's units
        # chart titles
    "title_ward_rates": ("Tỷ lệ hộ dự hội nghị theo {unit}", "Attendance rate by {unit}"),
    "title_funnel": ("Biểu đồ phễu: tỷ lệ dự theo số hộ được mời",
                     "Funnel plot: attendance rate by households invited"),
    "title_schedule": ("Số hội nghị tổ dân phố theo tuần", "Group conferences per week"),
    "title_trends": ("Tỷ lệ dự và số hộ qua các năm", "Rate and households by year"),
    "title_paired": ("Thay đổi tỷ lệ dự của từng tổ dân phố", "Change in each group's rate"),
    "title_decomposition": ("Phân tách thay đổi tỷ lệ dự chung",
                            "Decomposition of the overall rate change"),
    "title_opinions": ("Ý kiến trên 100 hộ dự theo {unit}",
                       "Opinions per 100 attending households by {unit}"),
    "title_coverage": ("Độ bao phủ so với số hộ năm 2019 (ước tính)",
                       "Coverage against 2019 households (approximate)"),
    "no_data": ("Không có dữ liệu", "No data"),
    "district_rate_line": ("Tỷ lệ chung", "Overall rate"),
    "limit_95": ("Giới hạn 95%", "95% limits"),
    "limit_998": ("Giới hạn 99,8%", "99.8% limits"),
    "synthetic_title": ("Dữ liệu mô phỏng", "Synthetic data"),
    "synthetic_body": (
        "Số liệu cấp tổ dân phố và ý kiến trong báo cáo này là dữ liệu mô phỏng, được tạo để "
        "khớp với các số tổng đã công bố; không phải số liệu thật của từng tổ.",
        "The group-level figures and opinions in this report are synthetic, generated to "
        "match the published totals; they are not the real figures of any group.",
    ),
}


_GENERIC_YEARS = {"vi": {"base": "năm so sánh", "year": "năm xem xét"},
                  "en": {"base": "base year", "year": "year"}}
_SLOT = re.compile(r"\{(base|year|unit|Unit|units|district_city|District_city)\}")

#: The words for the area's units ('phường', or 'xã, thị trấn' in a huyện) that labels and
#: section texts put in their {unit} slots. A report sets them once from its scope's area
#: (`use_area`, called by `scope.resolve`: one report at a time per kernel); until then they
#: are the wards'. A plain module value: a report runs alone in its kernel and every one of
#: its cells must see the words its first cell set.
_WARD_WORDS = {"vi": {"unit": "phường", "Unit": "Phường", "units": "phường",
                      "district_city": "quận hoặc thành phố", "District_city": "Quận, thành phố"},
               "en": {"unit": "ward", "Unit": "Ward", "units": "wards",
                      "district_city": "district or city", "District_city": "District or city"}}
#: Kinds of area with a people's committee between the wards and the city or province.
_DISTRICT_KINDS = ("quận", "huyện", "thị xã")
_unit_words: dict[str, dict[str, str]] = _WARD_WORDS


def unit_words_of(area: Any) -> dict[str, dict[str, str]]:
    """{unit}, {Unit}, {units} in each language for a registry.Area ('xã, thị trấn' /
    'commune and township', 'communes and townships')."""
    vi, en, en_plural = area.units("vi"), area.unit_kind_en, area.units("en")
    # the level above the units: 'quận/huyện … or the city'; none since 07/2025 ('khu vực')
    above = area.kind if area.kind in _DISTRICT_KINDS else None
    above_en = area.kind_en if above else None
    return {"vi": {"unit": vi, "Unit": vi[:1].upper() + vi[1:], "units": vi,
                   "district_city": f"{above} hoặc thành phố" if above else "thành phố",
                   "District_city": f"{above.capitalize()}, thành phố" if above
                   else "Thành phố"},
            "en": {"unit": en, "Unit": en[:1].upper() + en[1:], "units": en_plural,
                   "district_city": f"{above_en} or city" if above_en else "city",
                   "District_city": f"{above_en.capitalize()} or city" if above_en
                   else "City"}}


def use_area(area: Any | None) -> None:
    """Labels and sections name this area's units from now on (None: wards again)."""
    global _unit_words
    _unit_words = _WARD_WORDS if area is None else unit_words_of(area)


def unit_words(lang: str = "vi") -> dict[str, str]:
    """The current {unit}, {Unit} and {units} words in the reader's language."""
    return _unit_words["vi" if lang == "vi" else "en"]


def label(key: str, lang: str = "vi", *, base: int | None = None,
          year: int | None = None) -> str:
    """The reader's label for a key, in Vietnamese (default) or English.

    Comparison columns name their years ("Tỷ lệ dự 2022"); without the years they fall
    back to "năm so sánh" / "năm xem xét".
    """
    try:
        vi, en = LABELS[key]
    except KeyError:
        raise KeyError(f"Thiếu nhãn / missing label: {key!r}") from None
    text = vi if lang == "vi" else en
    if "{" not in text:
        return text
    years = {"base": base, "year": year}
    generic = _GENERIC_YEARS["vi" if lang == "vi" else "en"]
    words = unit_words(lang)

    def fill(m: re.Match) -> str:
        slot = m.group(1)
        if slot in words:
            return words[slot]
        return str(years[slot]) if years[slot] is not None else generic[slot]

    return _SLOT.sub(fill, text)


def labels_for(columns: list[str], lang: str = "vi") -> dict[str, str]:
    """Column -> label for every column that has one (others keep their name)."""
    return {c: label(c, lang) for c in columns if c in LABELS}


@cache
def _sections() -> dict[str, dict[str, str]]:
    import yaml

    return yaml.safe_load(SECTIONS_FILE.read_text(encoding="utf-8"))


def section(key: str, lang: str = "vi") -> tuple[str, str]:
    """(heading, introduction) of a report section in the reader's language.

    The introduction may be empty. A missing key raises, like `label`.
    """
    try:
        entry = _sections()[key]
    except KeyError:
        raise KeyError(f"Thiếu mục / missing section: {key!r}") from None
    lang = "vi" if lang == "vi" else "en"
    return entry[f"title_{lang}"], entry.get(f"intro_{lang}", "") or ""


def section_keys() -> list[str]:
    """Every section key (for tests: each has both languages)."""
    return list(_sections())
