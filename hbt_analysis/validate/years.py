"""The rules across years: a group that appears in some years and not in one between them."""

from __future__ import annotations

import itertools

import pandas as pd

from hbt_analysis.problems import Problem
from hbt_analysis.registry import Registry


def check_years(groups_by_year: dict[int, pd.DataFrame], units: Registry | None = None,
                crosswalks: dict[int, pd.DataFrame | None] | None = None) -> list[Problem]:
    """Warnings for groups that appear in some years and not in a year between them.

    Across a change of wards (`units` says) codes are compared only through the new year's
    group crosswalk (`crosswalks[year]`): an old group it places, or a new group it feeds,
    is not missing or new."""
    years = sorted(groups_by_year)
    out = []
    codes = {y: set(groups_by_year[y]["group_code"].dropna()) for y in years}
    for prev, year in itertools.pairwise(years):
        if units is not None and units.changed_between(prev, year):
            cw = (crosswalks or {}).get(year)
            if cw is None:
                continue  # nothing links the codes; the comparison says so
            gone = codes[prev] - set(cw["old_group_code"])
            new = codes[year] - set(cw["new_group_code"])
            for code in sorted(gone):
                out.append(Problem(
                    "warning", f"data/{year}", None, "Mã tổ dân phố cũ",
                    f"Tổ '{code}' của năm {prev} không có trong bảng chuyển đổi tổ dân phố "
                    f"năm {year}.", f"Group '{code}' of {prev} is not in the group crosswalk "
                    f"of {year}.", "group_missing_in_crosswalk"))
            for code in sorted(new):
                out.append(Problem(
                    "warning", f"data/{year}", None, "Mã tổ dân phố mới",
                    f"Tổ '{code}' năm {year} không nhận tổ nào của năm {prev} (bảng chuyển đổi "
                    "tổ dân phố).", f"Group '{code}' of {year} receives no group of {prev} "
                    "(group crosswalk).", "group_new_in_crosswalk"))
            continue
        for code in sorted(codes[prev] - codes[year]):
            out.append(Problem(
                "warning", f"data/{year}", None, "Mã tổ dân phố",
                f"Tổ '{code}' có năm {prev} nhưng không có năm {year} (tổ giải thể, sáp nhập "
                "hay thiếu dòng?).",
                f"Group '{code}' is in {prev} but not in {year} (dissolved, merged or a "
                "missing row?).",
                "group_missing_in_year",
            ))
        for code in sorted(codes[year] - codes[prev]):
            out.append(Problem(
                "warning", f"data/{year}", None, "Mã tổ dân phố",
                f"Tổ '{code}' mới có từ năm {year} (không có năm {prev}).",
                f"Group '{code}' is new in {year} (not in {prev}).",
                "group_new_in_year",
            ))
    return out
