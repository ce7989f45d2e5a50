"""The leadership brief (notebook 00): one screen of what matters for a scope and a year.

It composes the attendance, comparison and opinion analyses into the few tables and
sentences a reader who will not scroll far needs: attendance at both levels against last
year, the groups that need attention, and the top topics with an example each.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from hbt_analysis.attendance import funnel_outliers, level_summary, ward_name
from hbt_analysis.fmt import Lang, fmt_int, fmt_pct, fmt_pp, fmt_signed

_METRICS = {
    "vi": {
        ("to_dan_pho", "units"): "Số tổ dân phố tổ chức hội nghị",
        ("to_dan_pho", "attended"): "Số hộ dự (cấp tổ dân phố)",
        ("to_dan_pho", "rate"): "Tỷ lệ hộ dự (cấp tổ dân phố)",
        ("to_dan_pho", "opinions"): "Số ý kiến (cấp tổ dân phố)",
        ("phuong", "attended"): "Số đại biểu dự (cấp phường)",
        ("phuong", "rate"): "Tỷ lệ dự (cấp phường)",
        ("phuong", "opinions"): "Số ý kiến (cấp phường)",
    },
    "en": {
        ("to_dan_pho", "units"): "Residential groups that met",
        ("to_dan_pho", "attended"): "Households attending (group level)",
        ("to_dan_pho", "rate"): "Attendance rate (group level)",
        ("to_dan_pho", "opinions"): "Opinions (group level)",
        ("phuong", "attended"): "Representatives attending (ward level)",
        ("phuong", "rate"): "Attendance rate (ward level)",
        ("phuong", "opinions"): "Opinions (ward level)",
    },
}
_HEAD = {
    "vi": ("Chỉ tiêu", "Thay đổi"),
    "en": ("Indicator", "Change"),
}


def _level_figures(ds: Any, ward: str | None) -> dict[tuple[str, str], float | None]:
    """attendance.level_summary as {(level, metric): value}; a level without data is absent."""
    out: dict[tuple[str, str], float | None] = {}
    for row in level_summary(ds, ward).itertuples():
        if not row.units:
            continue
        for metric in ("units", "attended", "rate", "opinions"):
            value = getattr(row, metric)
            out[(row.level, metric)] = None if pd.isna(value) else float(value)
    return out


def _fmt(metric: str, value: float | None, lang: Lang) -> str:
    return fmt_pct(value, lang=lang) if metric == "rate" else fmt_int(value, lang)


def _change(metric: str, new: float | None, old: float | None, lang: Lang) -> str:
    if new is None or old is None:
        return "—"
    return fmt_pp(new - old, lang=lang) if metric == "rate" else fmt_signed(new - old, lang=lang)


def comparable_previous(ds: Any, previous: Any | None, ward: str | None) -> Any | None:
    """`previous`, unless `ward`'s code named another ward then (a merger reuses codes): a
    ward is never compared with another ward that had its code."""
    reg = getattr(ds, "registry", None)
    if previous is None or ward is None or reg is None:
        return previous
    return previous if reg.same_unit(str(ward), previous.year, ds.year) else None


def kpi_table(ds: Any, previous: Any | None, ward: str | None = None,
              lang: Lang = "vi") -> pd.DataFrame:
    """Attendance and opinions at both levels, this year beside last year, as display text."""
    previous = comparable_previous(ds, previous, ward)
    now = _level_figures(ds, ward)
    before = _level_figures(previous, ward) if previous is not None else {}
    name, change = _HEAD[lang]
    rows = []
    for key, label in _METRICS[lang].items():
        if key not in now:
            continue
        metric = key[1]
        row = {name: label}
        if previous is not None:
            row[str(previous.year)] = _fmt(metric, before.get(key), lang)
        row[str(ds.year)] = _fmt(metric, now.get(key), lang)
        if previous is not None:
            row[change] = _change(metric, now.get(key), before.get(key), lang)
        rows.append(row)
    return pd.DataFrame(rows)


def headline(ds: Any, previous: Any | None, ward: str | None = None, lang: Lang = "vi") -> str:
    """One sentence: who met, how many came, against last year when it is known."""
    previous = comparable_previous(ds, previous, ward)
    now = _level_figures(ds, ward)
    where = ward_name(ds, ward, lang)
    if ("to_dan_pho", "rate") not in now:
        if lang == "vi":
            return f"Năm {ds.year} không có số liệu hội nghị tổ dân phố của {where}."
        return f"There are no residential-group conference data for {where} in {ds.year}."
    rate = now[("to_dan_pho", "rate")]
    before = _level_figures(previous, ward) if previous is not None else {}
    old = before.get(("to_dan_pho", "rate"))
    where = where[:1].upper() + where[1:]
    if lang == "vi":
        text = (f"{where} năm {ds.year}: {fmt_int(now[('to_dan_pho', 'units')])} tổ dân phố họp, "
                f"{fmt_int(now[('to_dan_pho', 'attended')])} hộ dự, đạt {fmt_pct(rate)}")
        if old is not None and rate is not None:
            text += f" ({fmt_pp(rate - old)} so với năm {previous.year})"
        return text + "."
    text = (f"{where}, {ds.year}: {fmt_int(now[('to_dan_pho', 'units')], 'en')} residential "
            f"groups met, {fmt_int(now[('to_dan_pho', 'attended')], 'en')} households attended, "
            f"{fmt_pct(rate, lang='en')}")
    if old is not None and rate is not None:
        text += f" ({fmt_pp(rate - old, lang='en')} against {previous.year})"
    return text + "."


def attention_groups(ds: Any, ward: str | None = None, lang: Lang = "vi",
                     n: int = 5) -> pd.DataFrame:
    """The groups whose attendance is below the funnel's limits: the ones to call first.

    Below the 99.8% limit is more than chance for a group of that size; below 95% is a
    watch. Returned as display text, lowest first.
    """
    outliers = funnel_outliers(ds.group_conferences, "ward" if ward else "district", ward=ward)
    below = outliers[outliers["position"].isin(["below_998", "below_95"])]
    low = below.sort_values("rate", kind="stable").head(n)
    strong = {"vi": "dưới giới hạn 99,8%", "en": "below the 99.8% limit"}[lang]
    watch = {"vi": "dưới giới hạn 95%", "en": "below the 95% limit"}[lang]
    cols = {
        "vi": ("Tổ dân phố", "Phường", "Hộ dự / mời", "Tỷ lệ", "Mức"),
        "en": ("Group", "Ward", "Attended / invited", "Rate", "Signal"),
    }[lang]
    rows = [
        {
            cols[0]: f"{r.group_name} ({r.group_code})",
            cols[1]: r.ward_name,
            cols[2]: f"{fmt_int(r.attended, lang)} / {fmt_int(r.invited, lang)}",
            cols[3]: fmt_pct(r.rate, lang=lang),
            cols[4]: strong if r.position == "below_998" else watch,
        }
        for r in low.itertuples()
    ]
    table = pd.DataFrame(rows, columns=list(cols))
    table.attrs["below_998"] = int((below["position"] == "below_998").sum())
    table.attrs["below_95"] = len(below)
    return table


def attention_sentence(table: pd.DataFrame, lang: Lang = "vi") -> str:
    """How many groups are below the limits, and that the table shows the lowest ones."""
    if table.empty:
        return ("Không có tổ dân phố nào có tỷ lệ dự thấp bất thường so với quy mô."
                if lang == "vi" else "No group's attendance is unusually low for its size.")
    strong = table.attrs.get("below_998", len(table))
    watch = table.attrs.get("below_95", len(table))
    if lang == "vi":
        return (f"{fmt_int(strong)} tổ dân phố có tỷ lệ dự dưới giới hạn 99,8% của biểu đồ phễu "
                f"(thấp hơn mức ngẫu nhiên giải thích được), {fmt_int(watch)} tổ dưới giới hạn "
                f"95%. {fmt_int(len(table))} tổ thấp nhất — nên tìm hiểu nguyên nhân:")
    return (f"{fmt_int(strong, 'en')} groups attend below the funnel plot's 99.8% limit (less "
            f"than chance explains), {fmt_int(watch, 'en')} below the 95% limit. The "
            f"{fmt_int(len(table), 'en')} lowest — worth asking why:")


def top_topics(opinions: pd.DataFrame, lang: Lang = "vi", n: int = 3,
               redact: bool = True, verbatim: bool = True) -> pd.DataFrame:
    """The most raised topics (all levels) with their share and one typical opinion each
    (redacted unless `redact=False`; no example with `verbatim=False`).

    `opinions` is already classified and scoped (opinions.prepare).
    """
    from hbt_analysis.opinions import count_by_topic, representative_opinions

    cols = {"vi": ("Lĩnh vực", "Số ý kiến", "Tỷ lệ", "Ví dụ"),
            "en": ("Topic", "Opinions", "Share", "Example")}[lang]
    if opinions.empty:
        return pd.DataFrame(columns=list(cols))
    counts = count_by_topic(opinions, lang=lang, all_topics=False)
    totals = counts.groupby(["topic", "topic_name"], as_index=False)["count"].sum()
    totals = totals.sort_values(["count", "topic"], ascending=[False, True]).head(n)
    examples = representative_opinions(
        opinions[opinions["topic_primary"].isin(totals["topic"])], n=1, redact=redact, lang=lang)
    example = dict(zip(examples["topic"], examples["text"], strict=False))
    total = len(opinions)
    table = pd.DataFrame(
        [
            {cols[0]: r.topic_name, cols[1]: fmt_int(r.count, lang),
             cols[2]: fmt_pct(r.count / total, lang=lang), cols[3]: example.get(r.topic, "")}
            for r in totals.itertuples()
        ],
        columns=list(cols),
    )
    return table if verbatim else table.drop(columns=cols[3])


_HEADINGS = {
    "title": ("Tóm tắt hội nghị đại biểu Nhân dân", "Brief: people's representative conferences"),
    "attendance": ("Tỷ lệ dự hội nghị", "Attendance"),
    "attention": ("Tổ dân phố cần quan tâm", "Groups that need attention"),
    "topics": ("Nhân dân nêu ý kiến về gì", "What people raised"),
    "wards": ("Tỷ lệ dự theo phường", "Attendance by ward"),
}


def heading(key: str, ds: Any | None = None, ward: str | None = None, lang: Lang = "vi",
            level: int = 2) -> str:
    """A Markdown heading in the report's language (the title names the scope and year)."""
    vi, en = _HEADINGS[key]
    text = vi if lang == "vi" else en
    if key == "title" and ds is not None:
        text += f" — {ward_name(ds, ward, lang)} — {ds.year}"
    return "#" * level + " " + text


def load_with_previous(year: int, data_dir: str | None = None) -> tuple[Any, Any | None]:
    """The year's dataset and the latest earlier one in the data folder (None if none)."""
    from hbt_analysis.compare import base_year_for
    from hbt_analysis.dataset import available_years, load

    ds = load(year, data_dir)
    base = base_year_for(year, None, available_years(data_dir))
    return ds, (load(base, data_dir) if base is not None else None)
