"""What a person must check in a document, said once in Vietnamese and English.

Errors mean a figure may be wrong or missing: `hbt validate` refuses the year until a person
has checked (and ticked) them. Warnings are worth a look but leave the figures as written.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str  # error / warning
    message_vi: str
    message_en: str


#: code -> (severity, Vietnamese, English); {names} are filled from the call.
CATALOG: dict[str, tuple[str, str, str]] = {
    "unreadable": (
        "error", "Không đọc được tài liệu: {reason_vi}.",
        "The document cannot be read: {reason_en}."),
    "empty_document": (
        "error", "Tài liệu không có chữ nào.", "The document has no text."),
    "garbled_text": (
        "error", "Chữ bị lỗi mã (không rõ bảng mã); mở tệp, chuyển sang Unicode rồi lưu lại.",
        "The text is garbled (unknown encoding); convert it to Unicode and save again."),
    "not_minutes": (
        "error", "Không nhận ra đây là biên bản hội nghị hay bản tổng hợp ý kiến (không có tiêu "
                 "đề 'BIÊN BẢN', không có số tổ dân phố); tài liệu không được dùng.",
        "Not recognised as conference minutes or a ward summary of opinions (no 'BIÊN BẢN' "
        "title, no group number); the document is not used."),
    "missing_ward": (
        "error", "Không tìm thấy tên phường trong tiêu đề, nội dung hay tên tệp.",
        "No ward name found in the header, the text or the file name."),
    "missing_group": (
        "error", "Không tìm thấy số tổ dân phố trong tiêu đề, nội dung hay tên tệp.",
        "No residential-group number found in the header, the text or the file name."),
    "missing_date": (
        "error", "Không tìm thấy ngày họp.", "No meeting date found."),
    "missing_attendance": (
        "error", "Biên bản không ghi số liệu tham dự ({which}); bổ sung từ sổ theo dõi, "
                 "không tự suy ra.",
        "The minutes give no attendance figure ({which}); add it from the records, do not "
        "infer it."),
    "attended_gt_invited": (
        "error", "Số có mặt ({attended}) lớn hơn số được mời ({invited}) như ghi trong biên "
                 "bản; kiểm tra lại với bản gốc.",
        "Attended ({attended}) is more than invited ({invited}) as written in the minutes; "
        "check against the original."),
    "percentage_mismatch": (
        "error", "Tỷ lệ ghi trong biên bản ({rate}%) không khớp với {attended}/{invited} "
                 "= {computed}%; một trong ba số bị ghi sai.",
        "The printed rate ({rate}%) does not follow from {attended}/{invited} = "
        "{computed}%; one of the three figures is wrong."),
    "attendance_conflict": (
        "error", "Biên bản ghi hai số khác nhau cho cùng một chỉ tiêu ({values}); đã lấy số "
                 "đầu tiên, cần kiểm tra.",
        "The minutes give two different figures for the same count ({values}); the first "
        "was taken, check it."),
    "invited_from_total": (
        "warning", "Biên bản chỉ ghi tổng số hộ ({value}), không ghi số hộ được mời; tỷ lệ "
                   "in trong biên bản tính trên tổng số này nên đã dùng làm số được mời.",
        "The minutes give the total households ({value}) but no invited figure; the printed "
        "rate is counted against that total, so it was used as invited."),
    "ward_conflict": (
        "warning", "Tài liệu nhắc tới phường khác ({other}); đã chọn {chosen} theo tiêu đề.",
        "The document also names another ward ({other}); {chosen} was taken from the "
        "header."),
    "group_conflict": (
        "warning", "Số tổ không thống nhất ({chosen} và {other}); đã chọn tổ {chosen} theo "
                   "tiêu đề.",
        "The group number is not consistent ({chosen} and {other}); group {chosen} was "
        "taken from the header."),
    "opinions_not_found": (
        "warning", "Không tìm thấy phần ý kiến của đại biểu.",
        "No section with the representatives' opinions was found."),
    "no_opinions": (
        "warning", "Không đọc được ý kiến nào.", "No opinions were read."),
    "opinion_count_mismatch": (
        "warning", "Biên bản ghi {stated} ý kiến nhưng đọc được {found}; kiểm tra cách chia "
                   "ý kiến.",
        "The minutes say {stated} opinions but {found} were read; check how they were "
        "divided."),
    "duplicate_group": (
        "error", "Có {count} tài liệu cho cùng tổ {group_code} ({files}); giữ một bản.",
        "{count} documents for the same group {group_code} ({files}); keep one."),
    "duplicate_ward_minutes": (
        "error", "Có {count} biên bản hội nghị phường cho {ward} ({files}); giữ một bản.",
        "{count} ward-conference minutes for {ward} ({files}); keep one."),
    "group_not_in_registry": (
        "warning", "Tổ {group_code} không có trong danh sách tổ đã biết của phường {ward} "
                   "({known}); kiểm tra số tổ.",
        "Group {group_code} is not among the known groups of {ward} ({known}); check the "
        "group number."),
    "date_other_year": (
        "warning", "Ngày họp {date} không thuộc năm {year}.",
        "The meeting date {date} is not in {year}."),
    "summary_totals_differ": (
        "warning", "Bản tổng hợp của phường ghi {what} = {summary}, các biên bản tổ đọc được "
                   "cộng lại {minutes} ({n} tổ).",
        "The ward summary gives {what} = {summary}; the group minutes read add up to "
        "{minutes} ({n} groups)."),
}


def flag(code: str, **values: object) -> Flag:
    """A flag from the catalog; numbers are written the Vietnamese and the English way."""
    from hbt_analysis.fmt import fmt_int, fmt_num

    vi_values, en_values = {}, {}
    for name, v in values.items():
        if isinstance(v, bool) or not isinstance(v, int | float):
            vi_values[name] = en_values[name] = v
        elif isinstance(v, int):
            vi_values[name], en_values[name] = fmt_int(v), fmt_int(v, "en")
        else:
            vi_values[name], en_values[name] = fmt_num(v, 1), fmt_num(v, 1, "en")
    severity, vi, en = CATALOG[code]
    return Flag(code, severity, vi.format(**vi_values), en.format(**en_values))
