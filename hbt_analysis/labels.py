"""The one vi/en label table for chart titles, axis titles, legends and table headers.

Charts, tables and notebooks ask `label(key, lang)`; a missing key raises so a typo cannot
silently show an English column name to a Vietnamese reader.
"""

from __future__ import annotations

from hbt_analysis.schema import LEVEL_LABELS

LABELS: dict[str, tuple[str, str]] = {
    "title_topics": ("Ý kiến theo lĩnh vực", "Opinions by topic"),
    "title_topic_ward": ("Lĩnh vực theo phường (tỷ lệ trong phường)",
                         "Topics by ward (share within ward)"),
    # columns of the analysis frames
    "year": ("Năm", "Year"),
    "base_year": ("Năm so sánh", "Base year"),
    "level": ("Cấp", "Level"),
    "level_label": ("Cấp hội nghị", "Level"),
    "ward_code": ("Mã phường", "Ward code"),
    "ward_name": ("Phường", "Ward"),
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
    "ward_date": ("Ngày hội nghị phường", "Ward conference date"),
    "first_group_date": ("Hội nghị tổ đầu tiên", "First group conference"),
    "last_group_date": ("Hội nghị tổ cuối cùng", "Last group conference"),
    "days_after_last_group": ("Số ngày sau tổ cuối", "Days after last group"),
    "ward_after_groups": ("Phường họp sau các tổ", "Ward after its groups"),
    # comparison frames
    "rate_base": ("Tỷ lệ năm so sánh", "Rate, base year"),
    "rate_new": ("Tỷ lệ năm xem xét", "Rate, year"),
    "invited_base": ("Hộ được mời (năm so sánh)", "Invited, base year"),
    "invited_new": ("Hộ được mời (năm xem xét)", "Invited, year"),
    "attended_base": ("Hộ dự (năm so sánh)", "Attended, base year"),
    "attended_new": ("Hộ dự (năm xem xét)", "Attended, year"),
    "change": ("Thay đổi", "Change"),
    "change_low": ("Cận dưới 95% thay đổi", "Change 95% CI low"),
    "change_high": ("Cận trên 95% thay đổi", "Change 95% CI high"),
    "significant": ("Khác biệt rõ (95%)", "Clear change (95%)"),
    "status": ("Tình trạng", "Status"),
    "new": ("Tổ mới", "New group"),
    "discontinued": ("Không còn tổ chức", "Discontinued"),
    "both": ("Có cả hai năm", "In both years"),
    "share_base": ("Tỷ trọng hộ mời (năm so sánh)", "Invited share, base"),
    "share_new": ("Tỷ trọng hộ mời (năm xem xét)", "Invited share, year"),
    "within_part": ("Do tỷ lệ trong phường", "Rates within wards"),
    "mix_part": ("Do cơ cấu hộ mời giữa các phường", "Mix between wards"),
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
    "ward_invited": ("Hộ được mời (cấp phường)", "Invited (ward level)"),
    "ward_attended": ("Hộ dự (cấp phường)", "Attended (ward level)"),
    "ward_rate": ("Tỷ lệ (cấp phường)", "Rate (ward level)"),
    "ward_opinions": ("Ý kiến (cấp phường)", "Opinions (ward level)"),
    # levels
    "to_dan_pho": (LEVEL_LABELS["vi"]["to_dan_pho"], LEVEL_LABELS["en"]["to_dan_pho"]),
    "phuong": (LEVEL_LABELS["vi"]["phuong"], LEVEL_LABELS["en"]["phuong"]),
    "district": ("Toàn quận", "District"),
    # chart titles
    "title_ward_rates": ("Tỷ lệ hộ dự hội nghị theo phường", "Attendance rate by ward"),
    "title_funnel": ("Biểu đồ phễu: tỷ lệ dự theo số hộ được mời",
                     "Funnel plot: attendance rate by households invited"),
    "title_schedule": ("Số hội nghị tổ dân phố theo tuần", "Group conferences per week"),
    "title_trends": ("Diễn biến qua các năm", "Trends across years"),
    "title_paired": ("Thay đổi tỷ lệ dự của từng tổ dân phố", "Change in each group's rate"),
    "title_decomposition": ("Phân tách thay đổi tỷ lệ dự toàn quận",
                            "Decomposition of the district rate change"),
    "title_opinions": ("Ý kiến trên 100 hộ dự theo phường",
                       "Opinions per 100 attending households by ward"),
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


def label(key: str, lang: str = "vi") -> str:
    """The reader's label for a key, in Vietnamese (default) or English."""
    try:
        vi, en = LABELS[key]
    except KeyError:
        raise KeyError(f"Thiếu nhãn / missing label: {key!r}") from None
    return vi if lang == "vi" else en


def labels_for(columns: list[str], lang: str = "vi") -> dict[str, str]:
    """Column -> label for every column that has one (others keep their name)."""
    return {c: label(c, lang) for c in columns if c in LABELS}
