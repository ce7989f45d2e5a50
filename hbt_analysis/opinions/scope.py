"""Which opinions a report is about: a ward (or the whole area) and a level, with topics and
ward names; a loaded year is classified once per process (:func:`prepare`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from hbt_analysis.opinions.display import LEVEL_CHOICES, OpinionsInputError
from hbt_analysis.schema import normalize_ward_code


def check_level(level: str) -> str:
    """`level` if it is one of to_dan_pho, phuong, all; else a bilingual error."""
    if level not in LEVEL_CHOICES:
        raise OpinionsInputError(
            f"Cấp hội nghị không hợp lệ: {level!r} (chọn to_dan_pho, phuong hoặc all) / "
            f"invalid level {level!r} (choose to_dan_pho, phuong or all)"
        )
    return level


def select(
    opinions: pd.DataFrame,
    ward: str | None = None,
    level: str = "all",
    known_wards: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The opinions of one ward (None = the district) and one level ("all" = both).

    A ward code that is not in `known_wards` raises a clear error; a known ward with no
    opinions gives an empty frame (the sentences then say so).
    """
    check_level(level)
    out = opinions
    if ward is not None:
        ward = normalize_ward_code(ward)
        if known_wards is not None and ward not in set(known_wards):
            raise OpinionsInputError(
                f"Không có phường mã {ward!r} trong dữ liệu / no ward with code {ward!r}"
            )
        out = out[out["ward_code"] == ward]
    if level != "all":
        out = out[out["level"] == level]
    return out.reset_index(drop=True)


def prepare(ds, ward: str | None = None, level: str = "all") -> pd.DataFrame:
    """A loaded year's opinions in scope, with topics and ward names, ready for analysis.

    Topics come from topics.classify_opinions (a staff-coded column wins where present).
    The year is classified once per process (see :func:`_classified_year`); each scope is
    a selection of it.
    """
    check_level(level)
    return select(_classified_year(ds), ward, level, known_wards=ds.wards["ward_code"])


#: Classified years of this process: (data hash, year) -> (opinions, wards, classified).
#: Every report a reused kernel runs, and every scope within one, shares the classification.
_CLASSIFIED: dict[tuple[str, int], tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = {}
_CLASSIFIED_YEARS = 4


def _classified_year(ds) -> pd.DataFrame:
    """All of a year's opinions with topics and ward names, classified once per process.

    Kept by the dataset's content hash, and reused only while `ds.opinions` and `ds.wards`
    still equal what was classified (a changed frame is classified again, never answered
    from the cache). Frames are copy-on-write (pandas 3): changing a returned frame never
    changes the kept one.
    """
    from hbt_analysis.topics import classify_opinions

    key = (str(getattr(ds, "content_hash", "")), int(ds.year))
    kept = _CLASSIFIED.pop(key, None)
    if kept is not None and kept[0].equals(ds.opinions) and kept[1].equals(ds.wards):
        _CLASSIFIED[key] = kept  # most recently used last
        return kept[2].copy(deep=False)
    classified = classify_opinions(ds.opinions)
    if "ward_name" not in classified.columns and len(ds.wards):
        names = ds.wards[["ward_code", "ward_name"]]
        classified = classified.merge(names, on="ward_code", how="left")
    _CLASSIFIED[key] = (ds.opinions.copy(deep=False), ds.wards.copy(deep=False), classified)
    while len(_CLASSIFIED) > _CLASSIFIED_YEARS:
        _CLASSIFIED.pop(next(iter(_CLASSIFIED)))
    return classified.copy(deep=False)


def scope_wards(ds, ward: str | None = None) -> pd.DataFrame:
    """The wards a scope covers: every ward of the area, or the one ward."""
    if ward is None:
        return ds.wards
    return ds.wards[ds.wards["ward_code"] == ward].reset_index(drop=True)
