"""The rules within one year: across the rows of a table and across its tables.

Errors make the numbers wrong (attended > invited, a group listed twice, opinion counts that
disagree with the opinions); warnings are worth a look (a ward left out, a rate far from its
ward's, a date outside the planned window).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from hbt_analysis.fmt import fmt_int, fmt_pct
from hbt_analysis.io import ROW, SRC
from hbt_analysis.problems import Problem, Severity
from hbt_analysis.registry import Registry
from hbt_analysis.schema import staff_item_key
from hbt_analysis.units import WardResolver
from hbt_analysis.validate.cells import where_of

RATE_GAP_WARNING = 0.30  # a group this far from its ward's pooled rate is worth a look
MIN_INVITED_FOR_RATE_WARNING = 20


def check_year(
    tables: dict[str, pd.DataFrame],
    wheres: dict[str, str],
    wards: pd.DataFrame,
    window: dict[str, tuple[dt.date, dt.date]] | None = None,
    *, units: Registry | None = None, year: int | None = None,
) -> list[Problem]:
    """Rules within one year. `tables` carry ROW; `wheres` name each table's file; `wards`
    are the wards in force in the year (`units`, the registry, explains the others)."""
    problems: list[Problem] = []
    known_wards = dict(zip(wards["ward_code"], wards["ward_name"], strict=True))
    ctx = _WardContext(known_wards, units, year)
    groups = tables.get("group_conferences")
    ward_confs = tables.get("ward_conferences")
    opinions = tables.get("opinions")
    for name, frame in (("group_conferences", groups), ("ward_conferences", ward_confs)):
        if frame is None or frame.empty:
            continue
        where = wheres[name]
        problems += _attended_vs_invited(frame, where)
        problems += _unknown_wards(frame, where, known_wards, ctx)
        key = "group_code" if name == "group_conferences" else "ward_code"
        problems += _duplicates(frame, key, where)
        if window and name in window:
            problems += _outside_window(frame, where, *window[name])
    if groups is not None and not groups.empty:
        problems += _rate_far_from_ward(groups, wheres["group_conferences"])
    if opinions is not None and not opinions.empty:
        where = wheres["opinions"]
        problems += _duplicates(opinions, "opinion_id", where)
        problems += _unknown_wards(opinions, where, known_wards, ctx)
        problems += _staff_keys_group_nothing(opinions, where)
        problems += _staff_keys_numbered_per_ward(opinions, where)
        problems += _ward_keys_of_other_wards(opinions, where)
        if groups is not None and groups["group_code"].notna().all():
            # (with groups whose code could not be read, every opinion of theirs would be
            # reported again: their own errors come first)
            problems += _opinion_groups(opinions, groups, where)
            problems += _counts_agree(groups, opinions, "to_dan_pho", "group_code",
                                      wheres["group_conferences"])
        if ward_confs is not None:
            problems += _counts_agree(ward_confs, opinions, "phuong", "ward_code",
                                      wheres["ward_conferences"])
    return problems


def check_coverage(
    tables: dict[str, pd.DataFrame],
    wheres: dict[str, str],
    wards: pd.DataFrame,
    previous: dict[str, int] | None = None,
    previous_year: int | None = None,
) -> list[Problem]:
    """A ward left out (a sheet forgotten) or a group count far from last year's.

    Holds whether or not the year has published totals: it compares the data with the list
    of wards and with the year before, not with a published figure. A file that covers a
    single ward (an office checking its own sheet) is not asked for the others.
    """
    problems: list[Problem] = []
    known = dict(zip(wards["ward_code"], wards["ward_name"], strict=True))
    seen: dict[str, set[str]] = {
        name: set(frame["ward_code"].dropna().unique()) & set(known)
        for name, frame in tables.items() if frame is not None and not frame.empty
    }
    for name, label_vi, label_en in (
        ("group_conferences", "tổ dân phố", "group"), ("ward_conferences", "phường",
                                                       "ward"),
    ):
        present = seen.get(name)
        if not present:
            continue
        expected = set(known)
        if name == "ward_conferences" and "in_force" in wards:
            # a ward merged into an unrecorded one holds no conference of its own
            expected = set(wards.loc[wards["in_force"].astype(bool), "ward_code"])
        missing = sorted(expected - present)
        if len(present) < 2 or not missing:
            continue
        # evidence that rows were left out: the ward is in another table of the year, or had
        # groups last year; a ward absent from everything is only worth a warning
        elsewhere = set().union(*(w for n, w in seen.items() if n != name))
        elsewhere |= set(previous or {})
        for severity, codes in (("error", [c for c in missing if c in elsewhere]),
                                ("warning", [c for c in missing if c not in elsewhere])):
            if not codes or (severity == "error" and len(present) < len(known) / 2):
                continue
            listed = ", ".join(f"{known[c]} ({c})" for c in codes)
            problems.append(Problem(
                severity, wheres[name], None, "Mã phường",
                f"Không có dòng {label_vi} nào của {len(codes)} phường: {listed}"
                + (" (phường có trong bảng khác của năm hoặc có số liệu năm trước)"
                   if severity == "error" else "")
                + ". Thiếu sheet, thiếu tệp hay thiếu dòng? Bổ sung rồi kiểm tra lại.",
                f"No {label_en} row for {len(codes)} ward(s): {listed}"
                + (" (the ward is in another table of the year or had figures last year)"
                   if severity == "error" else "")
                + ". A sheet, a file or rows left out? Add them and check again.",
                "ward_missing",
            ))
    groups = tables.get("group_conferences")
    if previous and groups is not None and not groups.empty:
        now = groups.groupby("ward_code")["group_code"].nunique().to_dict()
        for code, before in sorted(previous.items()):
            n = int(now.get(code, 0))
            if n == 0 or before == 0:
                continue
            if abs(n - before) >= 3 and abs(n - before) >= 0.1 * before:
                problems.append(Problem(
                    "warning", wheres["group_conferences"], None, "Mã tổ dân phố",
                    f"Phường {known.get(code, code)} có {n} tổ dân phố, năm {previous_year} có "
                    f"{before}: thiếu hay thừa dòng, hay các tổ đã được sắp xếp lại?",
                    f"Ward {known.get(code, code)} has {n} groups; {previous_year} had "
                    f"{before}: rows missing or extra, or were the groups reorganised?",
                    "group_count_changed",
                ))
    return problems


def check_dates_year(tables: dict[str, pd.DataFrame], wheres: dict[str, str],
                     year: int) -> list[Problem]:
    """A table whose conference dates are mostly in another year: last year's file?"""
    out = []
    for name, frame in tables.items():
        if frame is None or frame.empty or "conference_date" not in frame:
            continue
        years = frame["conference_date"].dropna().dt.year
        if len(years) < 3:
            continue
        other = years[years != year]
        if len(other) > len(years) / 2:
            common = int(other.mode().iloc[0])
            out.append(Problem(
                "error", wheres[name], None, "Ngày hội nghị",
                f"{len(other)}/{len(years)} ngày hội nghị thuộc năm {common}, không phải năm "
                f"{year}: có lẽ đây là tệp năm {common}; chuyển sang thư mục {common} hoặc sửa "
                "ngày.",
                f"{len(other)}/{len(years)} conference dates are in {common}, not {year}: this "
                f"is probably the {common} file; move it to the {common} folder or fix the "
                "dates.",
                "dates_other_year",
            ))
    return out

def _attended_vs_invited(frame: pd.DataFrame, where: str) -> list[Problem]:
    over = frame["households_attended"] > frame["households_invited"]
    bad = frame[over.fillna(False).astype(bool)]
    return [
        Problem(
            "error", where_of(r, where), int(r[ROW]), "Số hộ dự",
            f"Số hộ dự ({fmt_int(r['households_attended'])}) lớn hơn số hộ được mời "
            f"({fmt_int(r['households_invited'])}); sửa một trong hai số.",
            f"Households attended ({fmt_int(r['households_attended'], 'en')}) exceeds "
            f"households invited ({fmt_int(r['households_invited'], 'en')}); correct one of them.",
            "attended_gt_invited",
        )
        for _, r in bad.iterrows()
    ]


@dataclass
class _WardContext:
    """What an unknown-ward message can say: the year's wards, the registry, the year."""

    known: dict[str, str]
    units: Registry | None = None
    year: int | None = None

    def messages(self, code: str) -> tuple[str, str, Severity]:
        """(vi, en, severity) for a ward code that is not one of the year's wards."""
        n = len(self.known)
        area = self.units.area(self.year) if self.units is not None and self.year else None
        file = self.units.path.name if self.units is not None else "units.csv"
        in_year = f" năm {self.year}" if self.year else ""
        in_year_en = f" in {self.year}" if self.year else ""
        of_vi = f" của {area.title()}" if area is not None and area.name else ""
        of_en = f" of {area.title('en')}" if area is not None and area.name else ""
        kind_vi = area.units() if area is not None else "phường"
        kind_en = area.units("en") if area is not None else "wards"
        example = next(iter(self.known.items()), None)
        eg_vi = f", vd. {example[0]} ({example[1]})" if example else ""
        eg_en = f", e.g. {example[0]} ({example[1]})" if example else ""
        why = self.units.explain_code(code, self.year) if self.units is not None and \
            self.year else None
        late = self.units is not None and self.year is not None and \
            code in set(self.units.ended_unrecorded(self.year)["code"])
        if late:
            return (f"Phường {self.known.get(code, code)} ({code}) đã sáp nhập vào một phường "
                    f"mà danh mục ({file}) không ghi; dòng được giữ theo mã cũ.",
                    f"Ward {self.known.get(code, code)} ({code}) was merged into a ward the "
                    f"registry ({file}) does not record; the row is kept under the old code.",
                    "warning")
        base_vi = (f"Mã phường '{code}' không có trong danh sách {n} {kind_vi}{of_vi}{in_year} "
                   f"({file})")
        base_en = (f"Ward code '{code}' is not one of the {n} {kind_en}{of_en}{in_year_en} "
                   f"({file})")
        if why is not None:
            return (f"{base_vi}: {why[0]}; dùng mã của phường đang có hiệu lực{eg_vi}.",
                    f"{base_en}: {why[1]}; use the code of a ward in force{eg_en}.", "error")
        return (f"{base_vi}; dùng mã 5 chữ số{eg_vi}, hoặc thêm đơn vị vào danh mục.",
                f"{base_en}; use the 5-digit code{eg_en}, or add the unit to the registry.",
                "error")


def _unknown_wards(frame: pd.DataFrame, where: str, known: dict[str, str],
                   ctx: _WardContext | None = None) -> list[Problem]:
    out = []
    ctx = ctx or _WardContext(known)
    bad = frame[frame["ward_code"].notna() & ~frame["ward_code"].isin(list(known))]
    said: dict[str, tuple[str, str, Severity]] = {}
    for _, r in bad.iterrows():
        code = str(r["ward_code"])
        vi, en, severity = said.setdefault(code, ctx.messages(code))
        out.append(Problem(severity, where_of(r, where), int(r[ROW]), "Mã phường", vi, en,
                           "unknown_ward"))
    ended = (set(ctx.units.ended_unrecorded(ctx.year)["code"])
             if ctx.units is not None and ctx.year is not None else set())
    late = [c for c in known if c in ended]
    used = frame[frame["ward_code"].isin(late)]
    for code, rows in used.groupby("ward_code", sort=True):
        vi, en, _ = ctx.messages(str(code))
        out.append(Problem("warning", where_of(rows.iloc[0], where), int(rows[ROW].iloc[0]),
                           "Mã phường", vi, en, "ward_merged_unrecorded"))
    if "ward_name" in frame:
        named = frame[frame["ward_code"].isin(list(known)) & frame["ward_name"].notna()]
        resolver = WardResolver(list(known), list(known.values()))
        pairs = named[["ward_code", "ward_name"]].drop_duplicates()
        wrong = {(c, n) for c, n in zip(pairs["ward_code"], pairs["ward_name"], strict=True)
                 if resolver.resolve(n).code != c}
        mismatched = [(c, n) in wrong for c, n in zip(named["ward_code"], named["ward_name"],
                                                      strict=True)]
        for _, r in named[mismatched].iterrows():
            expected = known[r["ward_code"]]
            out.append(Problem(
                "warning", where_of(r, where), int(r[ROW]), "Tên phường",
                f"Tên phường '{r['ward_name']}' không khớp với mã {r['ward_code']} "
                f"({expected}); kiểm tra lại mã hoặc tên.",
                f"Ward name '{r['ward_name']}' does not match code {r['ward_code']} "
                f"({expected}); check the code or the name.",
                "ward_name_mismatch",
            ))
    return out


_KEY_LABELS = {"group_code": "Mã tổ dân phố", "ward_code": "Mã phường", "opinion_id": "Mã ý kiến"}


def _duplicates(frame: pd.DataFrame, key: str, where: str) -> list[Problem]:
    keys = frame[key][frame[key].notna()]  # the key alone: a million opinions' texts stay
    dup = frame.loc[keys.index[keys.duplicated(keep=False)]]
    out = []
    for code, group in dup.groupby(key, sort=True):
        rows = group[ROW]
        srcs = group[SRC].astype(str).tolist() if SRC in group else [where] * len(group)
        listed = ", ".join(
            str(r) if src == srcs[0] else f"{r} ({src})" for r, src in zip(rows, srcs,
                                                                            strict=True))
        out.append(Problem(
            "error", srcs[1], int(rows.iloc[1]), _KEY_LABELS.get(key, key),
            f"'{code}' xuất hiện nhiều lần (các dòng {listed}); mỗi đơn vị chỉ ghi một dòng "
            "mỗi năm: xóa dòng trùng hoặc sửa mã.",
            f"'{code}' is listed more than once (rows {listed}); one row per unit per year: "
            "delete the duplicate or fix the code.",
            "duplicate",
        ))
    return out


def _outside_window(frame: pd.DataFrame, where: str, start: dt.date, end: dt.date
                    ) -> list[Problem]:
    dates = frame["conference_date"]
    bad = frame[dates.notna() & ((dates < pd.Timestamp(start)) | (dates > pd.Timestamp(end)))]
    return [
        Problem(
            "warning", where_of(r, where), int(r[ROW]), "Ngày hội nghị",
            f"Ngày {r['conference_date']:%d/%m/%Y} nằm ngoài thời gian dự kiến "
            f"({start:%d/%m/%Y}–{end:%d/%m/%Y}); kiểm tra lại ngày.",
            f"Date {r['conference_date']:%d/%m/%Y} is outside the planned window "
            f"({start:%d/%m/%Y}–{end:%d/%m/%Y}); check the date.",
            "date_outside_window",
        )
        for _, r in bad.iterrows()
    ]


def _rate_far_from_ward(groups: pd.DataFrame, where: str) -> list[Problem]:
    g = groups.dropna(subset=["households_invited", "households_attended", "ward_code"])
    g = g[g["households_invited"] > 0]
    if g.empty:
        return []
    totals = g.groupby("ward_code")[["households_attended", "households_invited"]].transform("sum")
    ward_rate = totals["households_attended"] / totals["households_invited"]
    rate = g["households_attended"] / g["households_invited"]
    far = g[((rate - ward_rate).abs() > RATE_GAP_WARNING) & (rate <= 1)
            & (g["households_invited"] >= MIN_INVITED_FOR_RATE_WARNING)]
    return [
        Problem(
            "warning", where_of(r, where), int(r[ROW]), "Số hộ dự",
            f"Tỷ lệ dự của {r['group_code']} là {fmt_pct(rate[i])}, khác xa tỷ lệ chung của "
            f"phường ({fmt_pct(ward_rate[i])}); kiểm tra số hộ dự và số hộ được mời.",
            f"{r['group_code']} has an attendance rate of {fmt_pct(rate[i], lang='en')}, far "
            f"from its ward's ({fmt_pct(ward_rate[i], lang='en')}); check both counts.",
            "rate_far_from_ward",
        )
        for i, r in far.iterrows()
    ]


#: So many opinions with a staff key, none shared, look like one ID per opinion.
STAFF_KEYS_DISTINCT_WARNING = 20


def _staff_keys_group_nothing(opinions: pd.DataFrame, where: str) -> list[Problem]:
    """The office's grouping column where no two opinions share a key: it groups nothing,
    and is more likely each opinion's own number ("Mã kiến nghị" as an ID) than a
    consolidation. The list still follows it (each opinion its own request): said so.
    Group-level opinions only: a ward-level opinion's key names the group-level request it
    carries (its link), so keys no two ward-level opinions share are the rule there (a
    ward summary's numbers, as `hbt import-minutes` keeps them)."""
    if "staff_item" not in opinions:
        return []
    for _level, part in opinions[opinions["level"] == "to_dan_pho"].groupby("level"):
        keys = part["staff_item"].map(staff_item_key).dropna()
        if len(keys) < STAFF_KEYS_DISTINCT_WARNING or keys.duplicated().any():
            continue
        first = part.loc[keys.index[0]]
        return [Problem(
            "warning", where_of(first, where), int(first[ROW]), "Nhóm kiến nghị (cán bộ tổng hợp)",
            f"{fmt_int(len(keys))} ý kiến có số kiến nghị tổng hợp nhưng không số nào dùng chung "
            "cho hai ý kiến: danh sách sẽ giữ mỗi ý kiến là một kiến nghị riêng. Nếu cột này "
            "là mã của từng ý kiến, đổi tiêu đề thành 'Mã ý kiến'; nếu là số tổng hợp, ghi "
            "cùng một số cho các ý kiến cùng một kiến nghị.",
            f"{fmt_int(len(keys), 'en')} opinions have a consolidated request number but no "
            "two share one: the list will keep each opinion as a request of its own. If this "
            "column is each opinion's own ID, rename its header 'Mã ý kiến'; if it is the "
            "office's grouping, give the opinions of one request the same number.",
            "staff_keys_group_nothing",
        )]
    return []


def _staff_keys_numbered_per_ward(opinions: pd.DataFrame, where: str) -> list[Problem]:
    """Wards that each number their own requests 1, 2, …: the same number in two wards is
    read as one request of the area (the column's meaning), which is right when the
    district numbered them and wrong when each ward did. Said once, with the way out."""
    if "staff_item" not in opinions:
        return []
    keyed = opinions[opinions["staff_item"].notna() & opinions["ward_code"].notna()
                     & (opinions["level"] == "to_dan_pho")]  # the consolidated list's level
    starts = []  # wards whose numbers are exactly 1, 2, …, k (k >= 2)
    for ward, keys in keyed.groupby("ward_code", sort=True)["staff_item"]:
        numbers = {int(k) for k in keys.astype(str) if k.isdigit()}
        if len(numbers) >= 2 and numbers == set(range(1, len(numbers) + 1)):
            starts.append(ward)
    if len(starts) < 2:
        return []
    first = keyed[(keyed["staff_item"].astype(str) == "1")
                  & keyed["ward_code"].isin(starts)].iloc[0]
    wards = ", ".join(sorted(map(str, starts))[:6]) + ("…" if len(starts) > 6 else "")
    return [Problem(
        "warning", where_of(first, where), int(first[ROW]), "Nhóm kiến nghị (cán bộ tổng hợp)",
        f"Số kiến nghị tổng hợp được đánh 1, 2, 3… riêng ở {fmt_int(len(starts))} phường "
        f"({wards}): cùng một số ở hai phường được đọc là một kiến nghị chung của toàn khu "
        "vực. Nếu mỗi phường tự đánh số, ghi mã phường trước số (mã phường-1, mã phường-2, …) "
        "để các kiến nghị không bị gộp nhầm giữa các phường.",
        f"The consolidated requests are numbered 1, 2, 3… in each of "
        f"{fmt_int(len(starts), 'en')} wards ({wards}): the same number in two wards is read "
        "as one request of the whole area. If each ward numbered its own, put the ward code "
        "before the number (ward code-1, ward code-2, …) so requests of different wards are "
        "not merged.",
        "staff_keys_per_ward",
    )]


def _ward_keys_of_other_wards(opinions: pd.DataFrame, where: str) -> list[Problem]:
    """A ward-level opinion keyed like group-level opinions of other wards only: its key is
    its link to the group opinions it carries (linking.py), and a ward conference carries
    its own groups' requests, so it is linked to none of them (the machine links it
    instead). Most likely a key typed in the wrong row, or the area's number where the ward
    gave its own: said once per opinion, naming the wards that have the key."""
    if "staff_item" not in opinions:
        return []
    keyed = opinions[opinions["staff_item"].notna() & opinions["ward_code"].notna()]
    if keyed.empty:
        return []
    keys = keyed["staff_item"].astype(str).map(staff_item_key)
    group = keyed["level"] == "to_dan_pho"
    wards_of: dict[str, set[str]] = {}
    for key, ward in zip(keys[group], keyed.loc[group, "ward_code"].astype(str), strict=True):
        if key is not None:
            wards_of.setdefault(key, set()).add(ward)
    out = []
    for (_, r), key in zip(keyed[keyed["level"] == "phuong"].iterrows(),
                           keys[keyed["level"] == "phuong"], strict=True):
        others = wards_of.get(key, set())
        if not others or str(r["ward_code"]) in others:
            continue
        shown = ", ".join(sorted(others)[:5]) + ("…" if len(others) > 5 else "")
        out.append(Problem(
            "warning", where_of(r, where), int(r[ROW]), "Nhóm kiến nghị (cán bộ tổng hợp)",
            f"Ý kiến cấp phường {r['opinion_id']} (phường {r['ward_code']}) ghi số kiến nghị "
            f"'{r['staff_item']}', nhưng số này chỉ có ở ý kiến tổ dân phố của phường khác "
            f"({shown}): hội nghị phường chỉ đưa lên kiến nghị của các tổ trong phường, nên ý "
            "kiến này không được gắn với các ý kiến đó (máy tự đối chiếu). Kiểm tra số ghi ở "
            "dòng này.",
            f"Ward-level opinion {r['opinion_id']} (ward {r['ward_code']}) has request number "
            f"'{r['staff_item']}', which only group-level opinions of other wards have "
            f"({shown}): a ward conference carries its own groups' requests, so it is not "
            "linked to them (the machine matches it instead). Check the number in this row.",
            "ward_key_of_other_wards",
        ))
    return out


def _opinion_groups(opinions: pd.DataFrame, groups: pd.DataFrame, where: str) -> list[Problem]:
    out = []
    known = set(groups["group_code"].dropna())
    at_group = opinions["level"] == "to_dan_pho"
    missing = opinions[at_group & opinions["group_code"].isna()]
    for _, r in missing.iterrows():
        out.append(Problem(
            "error", where_of(r, where), int(r[ROW]), "Mã tổ dân phố",
            "Ý kiến ở hội nghị tổ dân phố phải ghi mã tổ dân phố.",
            "An opinion from a residential-group conference needs its group code.",
            "opinion_without_group",
        ))
    unknown = opinions[at_group & opinions["group_code"].notna()
                       & ~opinions["group_code"].isin(list(known))]
    for _, r in unknown.iterrows():
        out.append(Problem(
            "error", where_of(r, where), int(r[ROW]), "Mã tổ dân phố",
            f"Ý kiến thuộc tổ '{r['group_code']}' nhưng tổ này không có trong bảng hội nghị "
            "tổ dân phố; sửa mã hoặc thêm tổ đó.",
            f"The opinion points to group '{r['group_code']}', which is not in the group "
            "conferences table; fix the code or add the group.",
            "unknown_group",
        ))
    return out


def _counts_agree(conf: pd.DataFrame, opinions: pd.DataFrame, level: str, key: str,
                  where: str) -> list[Problem]:
    keys = opinions[key][opinions["level"] == level]  # the key alone, not the texts
    if keys.empty:
        return []  # minutes without opinion rows for this level: nothing to compare
    counted = keys.groupby(keys).size()
    out = []
    rows = conf.dropna(subset=[key, "opinions_count"])
    found = rows[key].map(counted).fillna(0).astype("int64")
    for (_, r), n in zip(rows[found.ne(rows["opinions_count"]).to_numpy(bool)].iterrows(),
                         found[found.ne(rows["opinions_count"]).to_numpy(bool)], strict=True):
        n = int(n)
        if n != r["opinions_count"]:
            out.append(Problem(
                "error", where_of(r, where), int(r[ROW]), "Số ý kiến",
                f"Số ý kiến ghi là {fmt_int(r['opinions_count'])} nhưng bảng ý kiến có "
                f"{fmt_int(n)} ý kiến của '{r[key]}'; sửa cho khớp.",
                f"Opinions count is {fmt_int(r['opinions_count'], 'en')} but the opinions "
                f"table has {fmt_int(n, 'en')} for '{r[key]}'; make them agree.",
                "opinion_count_mismatch",
            ))
    return out

