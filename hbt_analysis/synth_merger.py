"""Synthetic 2025 (the old wards, before the merger) and 2026 (the new wards), from the
same households as the bundled 2022–2024 (`hbt_analysis.synth.groups`).

Nothing was published for these years: every figure here is drawn, only plausible, and the
files are marked synthetic like the others. What the generator had to assume, and says so
in each year's dataset.json:

- 2025: Cầu Dền, Đống Mác and Quỳnh Lôi were merged on 01/01/2025 into wards the registry
  does not record, so their groups keep their old ward codes (the loader warns); they hold
  no ward conference of their own.
- 2026: the groups of a split old ward are shared between the new wards it fed in blocks of
  consecutive groups (the resolution does not say which group went where); those three
  wards' groups are placed by the assumption below; about one group in twelve is merged
  with a neighbour of the same old ward. `group_crosswalk.csv` records each old → new group.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd

from hbt_analysis import schema, synth
from hbt_analysis import synth_text as st

YEARS = (2025, 2026)
#: The generator's assumption (not a fact): where the three wards merged on 01/01/2025 went.
ASSUMED_2026_WARD = {"00265": "00256", "00274": "00256", "00292": "00277"}
ASSUMPTIONS = {
    "vi": ("Năm 2025: Cầu Dền, Đống Mác, Quỳnh Lôi giữ mã cũ (văn bản sáp nhập 01/01/2025 "
           "không có). Năm 2026: tổ của phường cũ bị chia được chia theo khối tổ liền nhau; tổ "
           "của ba phường trên được gán giả định (Đống Mác, Cầu Dền → Hai Bà Trưng; Quỳnh Lôi → "
           "Bạch Mai); một số tổ nhỏ được ghép. Đây là giả định của bộ tạo dữ liệu, không phải "
           "sự thật."),
    "en": ("2025: Cầu Dền, Đống Mác, Quỳnh Lôi keep their old codes (the act of 01/01/2025 is "
           "not available). 2026: the groups of a split old ward are shared out in blocks of "
           "consecutive groups; the three wards' groups are placed by assumption (Đống Mác, "
           "Cầu Dền → Hai Bà Trưng; Quỳnh Lôi → Bạch Mai); some small groups are merged. These "
           "are the generator's assumptions, not facts."),
}
TET = {2025: (dt.date(2025, 1, 25), dt.date(2025, 2, 2)),
       2026: (dt.date(2026, 2, 14), dt.date(2026, 2, 22))}
MERGE_SHARE = 1 / 12
NOTE_VI = ("Dữ liệu tổng hợp (giả lập) do hbt_analysis.synth_merger tạo từ một seed cố định, "
           "từ cùng các hộ của dữ liệu 2022–2024; năm này chưa có số liệu công bố: mọi số liệu "
           "và nội dung ý kiến là giả định, không phải số liệu thật.")
NOTE_EN = ("Synthetic data made by hbt_analysis.synth_merger from a fixed seed, from the same "
           "households as 2022–2024; nothing was published for this year: every figure and "
           "opinion text is made up, not a real record.")


def _old_units() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bundled registry's wards of 2025 and the crosswalk with new codes."""
    from hbt_analysis.dataset import load_reference
    from hbt_analysis.registry import registry

    reg = registry(path=synth_data_units())
    return reg.wards(2025), load_reference(units=reg)["crosswalk"]


def synth_data_units() -> Path:
    from hbt_analysis.dataset import REFERENCE_DIR, bundled_data_dir
    from hbt_analysis.registry import UNITS_FILE

    return bundled_data_dir() / REFERENCE_DIR / UNITS_FILE


def groups_2025(seed: int = synth.DEFAULT_SEED) -> pd.DataFrame:
    """The groups of 2025: those of 2024, same codes and wards (see the module's note)."""
    g = synth.groups(seed)
    return g[g["first_year"] <= 2024].reset_index(drop=True)


def reorganise(seed: int = synth.DEFAULT_SEED) -> pd.DataFrame:
    """Each 2025 group's new ward and new group code in 2026 (several old groups may share
    one new group: a merger). Columns: old_group_code, old_ward_code, new_ward_code,
    new_ward_name, new_group_code, merged."""
    rng = np.random.default_rng([seed, 2026, 7])
    g = groups_2025(seed)
    _, cw = _old_units()
    names = dict(zip(cw["new_ward_code"], cw["new_ward_name"], strict=False))
    rows = []
    for old, sub in g.groupby("ward_code", sort=True):
        dest = cw[cw["old_ward_code"] == old]
        if dest.empty:
            targets = [ASSUMED_2026_WARD[old]]
        else:  # whole → one; split: the parts first (in clause order), the remainder last
            dest = dest.assign(o=(dest["part"] == "remainder").astype(int)).sort_values(
                ["o", "clause"])
            targets = dest["new_ward_code"].tolist()
        blocks = np.array_split(sub.sort_values("group_no")["group_code"].to_numpy(),
                                len(targets))
        for target, block in zip(targets, blocks, strict=True):
            for code in block:
                rows.append((code, old, target))
    out = pd.DataFrame(rows, columns=["old_group_code", "old_ward_code", "new_ward_code"])
    out["new_ward_name"] = out["new_ward_code"].map(names)
    sizes = g.set_index("group_code")["households"]
    parts = []
    for ward, sub in out.groupby("new_ward_code", sort=False):
        sub = sub.reset_index(drop=True)
        slot = list(range(len(sub)))
        small = sub.index[sub["old_group_code"].map(sizes) < sizes.quantile(0.35)].tolist()
        n_merge = round(len(sub) * MERGE_SHARE)
        for i in rng.permutation(small)[: n_merge * 2]:
            j = i + 1
            if j < len(sub) and sub.loc[j, "old_ward_code"] == sub.loc[i, "old_ward_code"] \
                    and slot[j] == j and slot[i] == i and n_merge > 0:
                slot[j] = i
                n_merge -= 1
        numbers = {s: k + 1 for k, s in enumerate(dict.fromkeys(slot))}
        sub["new_group_code"] = [f"{ward}-TDP{numbers[s]:02d}" for s in slot]
        parts.append(sub)
    out = pd.concat(parts, ignore_index=True)
    out["merged"] = out.duplicated("new_group_code", keep=False)
    return out


def _targets(year: int, seed: int, n_groups: int) -> dict[str, float]:
    rng = np.random.default_rng([seed, year, 0])
    return {"invited": round(51477 * rng.uniform(0.90, 0.95) * (1 if year == 2025 else 0.98)),
            "rate": float(rng.uniform(0.585, 0.63)),
            "opinions": int(rng.integers(850, 1101)), "ward_opinions": int(rng.integers(40, 61)),
            "n_groups": n_groups}


def _days(year: int, start: tuple[int, int], end: tuple[int, int]) -> list[dt.date]:
    tet = TET[year]
    d, last = dt.date(year, *start), dt.date(year, *end)
    out = []
    while d <= last:
        if not tet[0] <= d <= tet[1]:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def _conferences(year: int, seed: int, frame: pd.DataFrame) -> pd.DataFrame:
    """Invited, attended, opinions and dates for the groups in `frame` (columns ward_code,
    ward_name, group_code, group_name, households, effect)."""
    rng = np.random.default_rng([seed, year, 1])
    t = _targets(year, seed, len(frame))
    expected = frame["households"].to_numpy() * rng.uniform(0.55, 0.68, len(frame))
    invited = synth.allocate(expected, int(t["invited"]))
    effect = frame["effect"].to_numpy() + rng.normal(0, 0.15, len(frame))
    mu = synth._solve_mu(invited, effect, t["rate"] * invited.sum())
    rate = np.clip(synth._expit(mu + effect), 0.35, 0.92)
    att = rng.binomial(invited, rate)
    target = round(t["rate"] * invited.sum())
    att = synth.adjust_to_total(att, target, np.ceil(invited * 0.3).astype(np.int64),
                                np.floor(invited * 0.95).astype(np.int64), invited.astype(float))
    p = att * rng.gamma(4.0, 1.0, len(frame))
    days = _days(year, (1, 3), (2, 27))
    dates = []
    for code in frame["ward_code"]:
        del code
        dates.append(days[int(rng.integers(len(days)))])
    return pd.DataFrame({
        "year": np.full(len(frame), year, dtype=np.int64),
        "ward_code": frame["ward_code"].to_numpy(), "ward_name": frame["ward_name"].to_numpy(),
        "group_code": frame["group_code"].to_numpy(), "group_name": frame["group_name"].to_numpy(),
        "conference_date": pd.to_datetime(dates),
        "households_invited": invited.astype(np.int64), "households_attended": att.astype(np.int64),
        "opinions_count": rng.multinomial(int(t["opinions"]), p / p.sum()).astype(np.int64),
        "notes": pd.Series([pd.NA] * len(frame), dtype="str"),
    })


def _ward_conferences(year: int, seed: int, gc: pd.DataFrame, wards: pd.DataFrame
                      ) -> pd.DataFrame:
    rng = np.random.default_rng([seed, year, 3])
    n = gc.groupby("ward_code").size().reindex(wards["ward_code"]).fillna(0).to_numpy()
    invited = np.round((20 + 5.5 * n) * rng.lognormal(0, 0.1, len(wards))).astype(np.int64)
    att = np.minimum(np.round(invited * rng.uniform(0.92, 0.99, len(wards))), invited)
    last = gc.groupby("ward_code")["conference_date"].max()
    days = _days(year, (3, 1), (3, 20))
    dates = [next(d for d in days if pd.Timestamp(d) > last.get(c, pd.Timestamp(year, 1, 1)))
             + dt.timedelta(days=int(rng.integers(0, 6))) for c in wards["ward_code"]]
    t = _targets(year, seed, len(gc))
    p = np.sqrt(np.maximum(n, 1)) * rng.gamma(3.0, 1.0, len(wards))
    return pd.DataFrame({
        "year": np.full(len(wards), year, dtype=np.int64),
        "ward_code": wards["ward_code"].to_numpy(), "ward_name": wards["ward_name"].to_numpy(),
        "conference_date": pd.to_datetime(dates),
        "households_invited": invited, "households_attended": att.astype(np.int64),
        "opinions_count": rng.multinomial(int(t["ward_opinions"]), p / p.sum()).astype(np.int64),
    })


def _opinions(year: int, seed: int, gc: pd.DataFrame, wc: pd.DataFrame,
              origin: dict[str, str]) -> pd.DataFrame:
    """Opinions composed like the other years'; a group's places are those of its old ward."""
    rng = np.random.default_rng([seed, year, 4])
    pii_rng = np.random.default_rng([seed, year, 5])
    rows, planted = [], []
    units = [("to_dan_pho", r.ward_code, r.group_code, int(r.opinions_count), origin[r.group_code],
              f"{year}-{r.group_code}-") for r in gc.itertuples(index=False)]
    first_group = gc.groupby("ward_code")["group_code"].first()
    units += [("phuong", r.ward_code, None, int(r.opinions_count),
               origin[first_group[r.ward_code]], f"{year}-{r.ward_code}-P")
              for r in wc.itertuples(index=False)]
    for level, ward_code, group_code, n, place, prefix in units:
        old_style = bool(rng.random() < st.OLD_STYLE_SHARE)
        for k in range(1, n + 1):
            op = st.generate_opinion(rng, year, place, level, old_style, pii_rng)
            rows.append((f"{prefix}{k:02d}", year, level, ward_code, group_code, op.text,
                         None, None, None))
            planted.append((f"{prefix}{k:02d}", json.dumps(op.planted, ensure_ascii=False)))
    names = [c for c in schema.OPINIONS.names if c not in schema.STAFF_CODED]
    df = pd.DataFrame(rows, columns=names)
    for col in ("group_code", "addressed_to", "status", "response"):
        df[col] = df[col].astype("str")
    # the personal data planted in each opinion, for the tests (as synth's opinions_truth)
    df.attrs["planted"] = pd.DataFrame(planted, columns=["opinion_id", "planted"])
    return df


def generate(year: int, seed: int = synth.DEFAULT_SEED,
             with_truth: bool = False) -> dict[str, pd.DataFrame]:
    """The tables of 2025 or 2026 (2026 adds "group_crosswalk"); with_truth=True adds
    "opinions_truth" (opinion_id, planted: the personal data planted, as JSON) for tests."""
    out = _generate(year, seed)
    if with_truth:
        out["opinions_truth"] = out["opinions"].attrs["planted"]
    out["opinions"].attrs.pop("planted", None)
    return out


def _generate(year: int, seed: int) -> dict[str, pd.DataFrame]:
    g = groups_2025(seed)
    g = g.assign(effect=g["ward_effect"] + g["group_effect"])
    if year == 2025:
        wards, _ = _old_units()
        in_force = wards[~wards["ward_code"].isin(ASSUMED_2026_WARD)]
        gc = _conferences(year, seed, g)
        wc = _ward_conferences(year, seed, gc, in_force)
        origin = dict(zip(g["group_code"], g["ward_code"], strict=True))
        # ward conferences of the 15 wards; the three merged wards' groups spoke there too
        ops = _opinions(year, seed, gc, wc, origin)
        return {"group_conferences": gc[schema.GROUP_CONFERENCES.names],
                "ward_conferences": wc[schema.WARD_CONFERENCES.names], "opinions": ops}
    if year != 2026:
        raise ValueError(f"synth_merger makes {YEARS}, not {year}")
    plan = reorganise(seed).merge(g, left_on="old_group_code", right_on="group_code")
    new = plan.groupby("new_group_code", sort=False).agg(
        ward_code=("new_ward_code", "first"), ward_name=("new_ward_name", "first"),
        households=("households", "sum"),
        effect=("effect", "mean"), origin=("old_ward_code", "first")).reset_index()
    new = new.rename(columns={"new_group_code": "group_code"})
    new["group_name"] = "Tổ dân phố số " + new["group_code"].str[-2:].str.lstrip("0")
    order = _new_wards_order()
    new["o"] = new["ward_code"].map(order)
    new = new.sort_values(["o", "group_code"]).drop(columns="o").reset_index(drop=True)
    gc = _conferences(year, seed, new)
    wards = new[["ward_code", "ward_name"]].drop_duplicates().reset_index(drop=True)
    wc = _ward_conferences(year, seed, gc, wards)
    ops = _opinions(year, seed, gc, wc, dict(zip(new["group_code"], new["origin"], strict=True)))
    cw = pd.DataFrame({"old_group_code": plan["old_group_code"],
                       "new_group_code": plan["new_group_code"],
                       "note": np.where(plan["merged"], "sáp nhập / merged", "")})
    return {"group_conferences": gc[schema.GROUP_CONFERENCES.names],
            "ward_conferences": wc[schema.WARD_CONFERENCES.names], "opinions": ops,
            "group_crosswalk": cw}


def _new_wards_order() -> dict[str, int]:
    from hbt_analysis.registry import registry

    codes = registry(path=synth_data_units()).wards(2026)["ward_code"].tolist()
    return {c: i for i, c in enumerate(codes)}


def write(data_dir: Path | str, years: tuple[int, ...] | list[int] = YEARS,
          seed: int = synth.DEFAULT_SEED) -> list[Path]:
    """Write 2025 and 2026 as CSV (with dataset.json marking them synthetic)."""
    from hbt_analysis.dataset import write_metadata

    written: list[Path] = []
    for year in years:
        folder = Path(data_dir) / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        files = [synth._write_csv(frame, folder / f"{name}.csv")
                 for name, frame in generate(year, seed).items()]
        meta = write_metadata(folder, files, year=year, synthetic=True,
                              generator="hbt_analysis.synth_merger", seed=seed,
                              note_vi=NOTE_VI, note_en=NOTE_EN,
                              assumptions_vi=ASSUMPTIONS["vi"], assumptions_en=ASSUMPTIONS["en"])
        written += [*files, meta]
    return written
