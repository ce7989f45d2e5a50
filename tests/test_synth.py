"""The synthetic generator: deterministic, calibrated to the published totals, realistic enough."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hbt_analysis import schema, synth
from hbt_analysis import synth_text as stext

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"

# The published figures, copied by hand from the sources in reference/published_totals.csv
# (kinhtedothi.vn for 2023, mttqhanoi.org.vn for 2024), not from the generator.
PUBLISHED_2023 = {"groups": 263, "invited": 51477, "attended": 35323, "opinions": 1435,
                  "wards": 18, "ward_invited": 2203, "ward_attended": 2142, "ward_opinions": 59}
PUBLISHED_2024 = {"groups": 264, "opinions": 1056}

PHONE_RE = re.compile(r"(?<![\d.])(?:\+84|\(\+84\)|0)[ .]?\d{2,3}[ .]?\d{3}[ .]?\d{3,4}(?![\d])")
CCCD_RE = re.compile(r"(?<!\d)\d{12}(?!\d)")
NAME_RE = re.compile(r"\b(?:[Ôô]ng|[Bb]à|[Aa]nh|[Cc]hị|[Cc]ô|[Cc]hú|[Bb]ác) "
                     r"(?:[A-ZĐÂĂÊÔƠƯ][a-zà-ỹđ]+ ){2}[A-ZĐÂĂÊÔƠƯ][a-zà-ỹđ]+")
OLD_TONES_RE = re.compile(r"(?:o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?![a-zà-ỹ])")


@pytest.fixture(scope="module")
def years() -> dict[int, dict[str, pd.DataFrame]]:
    return {y: synth.generate(y, with_truth=True) for y in synth.YEARS}


def _rate(frame: pd.DataFrame) -> pd.Series:
    return frame["households_attended"] / frame["households_invited"]


# --- determinism ------------------------------------------------------------------------

def test_same_seed_gives_identical_frames(years):
    again = synth.generate(2023, with_truth=True)
    for name, frame in years[2023].items():
        pd.testing.assert_frame_equal(frame, again[name])


def test_other_seed_differs_but_keeps_the_published_totals(years):
    other = synth.generate(2023, seed=7)
    g, g0 = other["group_conferences"], years[2023]["group_conferences"]
    assert not g["households_invited"].equals(g0["households_invited"])
    assert not other["opinions"]["text"].equals(years[2023]["opinions"]["text"])
    assert g["households_invited"].sum() == PUBLISHED_2023["invited"]
    assert g["households_attended"].sum() == PUBLISHED_2023["attended"]


def test_bundled_data_is_what_the_generator_makes(years):
    path = ROOT / "data" / "2023" / "group_conferences.csv"
    if not path.exists():
        pytest.skip("data/2023 not generated yet")
    on_disk = pd.read_csv(path, dtype={"ward_code": str, "notes": str}, keep_default_na=False)
    made = years[2023]["group_conferences"]
    assert list(on_disk.columns) == schema.GROUP_CONFERENCES.names
    assert on_disk["group_code"].tolist() == made["group_code"].tolist()
    assert on_disk["households_attended"].tolist() == made["households_attended"].tolist()
    assert on_disk["conference_date"].tolist() == made["conference_date"].dt.strftime(
        "%Y-%m-%d").tolist()


# --- calibration ------------------------------------------------------------------------

def test_2023_reproduces_every_published_total(years):
    g = years[2023]["group_conferences"]
    w = years[2023]["ward_conferences"]
    o = years[2023]["opinions"]
    assert len(g) == g["group_code"].nunique() == PUBLISHED_2023["groups"]
    assert g["households_invited"].sum() == PUBLISHED_2023["invited"]
    assert g["households_attended"].sum() == PUBLISHED_2023["attended"]
    assert round(100 * g["households_attended"].sum() / g["households_invited"].sum(), 1) == 68.6
    assert g["opinions_count"].sum() == PUBLISHED_2023["opinions"]
    assert (o["level"] == "to_dan_pho").sum() == PUBLISHED_2023["opinions"]
    assert len(w) == PUBLISHED_2023["wards"]
    assert w["households_invited"].sum() == PUBLISHED_2023["ward_invited"]
    assert w["households_attended"].sum() == PUBLISHED_2023["ward_attended"]
    assert w["opinions_count"].sum() == PUBLISHED_2023["ward_opinions"]
    assert (o["level"] == "phuong").sum() == PUBLISHED_2023["ward_opinions"]


def test_calibration_agrees_with_the_reference_file(years):
    path = REFERENCE / "published_totals.csv"
    if not path.exists():
        pytest.skip("data/reference not in place")
    pub = pd.read_csv(path)
    for row in pub.itertuples(index=False):
        level_table = "group_conferences" if row.level == "to_dan_pho" else "ward_conferences"
        frame = years[row.year][level_table]
        assert len(frame) == row.units_held
        if not pd.isna(row.households_invited):
            assert frame["households_invited"].sum() == row.households_invited
        attended = frame["households_attended"].sum()
        if row.attended_qualifier == "exact":
            assert attended == row.households_attended
        else:  # "gần 30.000": nearly, below
            assert 0.98 * row.households_attended <= attended < row.households_attended
        assert frame["opinions_count"].sum() == row.opinions
        ops = years[row.year]["opinions"]
        assert (ops["level"] == row.level).sum() == row.opinions


def test_ward_list_is_the_official_one():
    path = REFERENCE / "wards_2023.csv"
    if not path.exists():
        pytest.skip("data/reference not in place")
    ref = pd.read_csv(path, dtype={"ward_code": str})
    mine = synth.wards_frame()
    assert mine["ward_code"].tolist() == ref["ward_code"].tolist()
    assert mine["ward_name"].tolist() == ref["ward_name"].tolist()
    assert mine["households_2019"].tolist() == ref["households_2019"].tolist()
    assert mine["population_2019"].tolist() == ref["population_2019"].tolist()


def test_2024_has_one_new_group_and_nearly_30000_attended(years):
    g23 = years[2023]["group_conferences"]
    g24 = years[2024]["group_conferences"]
    o24 = years[2024]["opinions"]
    assert len(g24) == PUBLISHED_2024["groups"]
    new = set(g24["group_code"]) - set(g23["group_code"])
    assert len(new) == 1 and set(g23["group_code"]) <= set(g24["group_code"])
    assert 29500 <= g24["households_attended"].sum() <= 29999
    assert g24["opinions_count"].sum() == (o24["level"] == "to_dan_pho").sum() == 1056
    w = years[2024]["ward_conferences"]
    assert len(w) == 18
    assert 0.94 <= w["households_attended"].sum() / w["households_invited"].sum() <= 0.99
    assert 50 <= w["opinions_count"].sum() <= 70
    # answers for 2024 are still being written
    assert o24[["addressed_to", "status", "response"]].isna().all().all()


def test_2022_is_plausible(years):
    g = years[2022]["group_conferences"]
    assert len(g) in (262, 263)
    assert 45_000 <= g["households_invited"].sum() <= 55_000
    assert 0.66 <= g["households_attended"].sum() / g["households_invited"].sum() <= 0.70
    assert 1300 <= g["opinions_count"].sum() <= 1600


def test_groups_are_stable_across_years(years):
    g = {y: d["group_conferences"].set_index("group_code") for y, d in years.items()}
    common = g[2022].index.intersection(g[2023].index)
    assert len(common) >= 262
    ratio = g[2022].loc[common, "households_invited"] / g[2023].loc[common, "households_invited"]
    assert ratio.between(0.8, 1.2).all()  # "similar size"


# --- invariants -------------------------------------------------------------------------

@pytest.mark.parametrize("year", synth.YEARS)
def test_invariants(years, year):
    d = years[year]
    g, w, o = d["group_conferences"], d["ward_conferences"], d["opinions"]
    assert list(g.columns) == schema.GROUP_CONFERENCES.names
    assert list(w.columns) == schema.WARD_CONFERENCES.names
    assert list(o.columns) == [c for c in schema.OPINIONS.names if c not in schema.STAFF_CODED]
    for frame in (g, w):
        assert (frame["households_attended"] <= frame["households_invited"]).all()
        assert (frame["households_attended"] >= 0).all()
        for col in ("households_invited", "households_attended", "opinions_count"):
            assert frame[col].dtype == np.int64
    t = synth.targets(year)
    assert g["conference_date"].dt.date.between(*t.group_window).all()
    assert w["conference_date"].dt.date.between(*t.ward_window).all()
    last_group = g.groupby("ward_code")["conference_date"].max()
    assert (w.set_index("ward_code")["conference_date"] > last_group).all()
    tet = synth.TET[year]
    assert not g["conference_date"].dt.date.between(*tet).any()
    # opinions_count equals the rows, per group and per ward
    rows = o[o["level"] == "to_dan_pho"].groupby("group_code").size()
    assert g.set_index("group_code")["opinions_count"].sub(rows, fill_value=0).eq(0).all()
    ward_rows = o[o["level"] == "phuong"].groupby("ward_code").size()
    assert w.set_index("ward_code")["opinions_count"].sub(ward_rows, fill_value=0).eq(0).all()
    assert o["opinion_id"].is_unique and g["group_code"].is_unique
    assert o.loc[o["level"] == "phuong", "group_code"].isna().all()
    assert o.loc[o["level"] == "to_dan_pho", "group_code"].notna().all()
    assert g["group_code"].str.fullmatch(r"\d{5}-TDP\d{2}").all()
    assert (g["group_code"].str[:5] == g["ward_code"]).all()
    numbers = g["group_code"].str[-2:].astype(int).astype(str)
    assert (g["group_name"] == "Tổ dân phố số " + numbers).all()
    assert set(g["ward_code"]) == set(w["ward_code"]) == set(synth.wards_frame()["ward_code"])
    # invited households are a subset of the ward's households
    census = synth.wards_frame().set_index("ward_code")["households_2019"]
    assert (g.groupby("ward_code")["households_invited"].sum() < census).all()
    assert (o["text"] == o["text"].map(lambda s: unicodedata.normalize("NFC", s))).all()


# --- realism ----------------------------------------------------------------------------

def test_group_sizes_follow_the_census(years):
    g = years[2023]["group_conferences"]
    census = synth.wards_frame().set_index("ward_code")["households_2019"]
    by_ward = g.groupby("ward_code").agg(n=("group_code", "size"),
                                         invited=("households_invited", "sum"))
    assert by_ward["n"].rank().corr(census.rank()) > 0.9  # Spearman, without scipy's import
    assert by_ward["invited"].corr(census) > 0.9
    assert by_ward["n"].idxmax() == "00283"  # Vĩnh Tuy, the largest ward


@pytest.mark.parametrize("year", synth.YEARS)
def test_rates_vary_with_a_few_poor_groups(years, year):
    g = years[year]["group_conferences"]
    rate = _rate(g)
    poor = rate[rate < 0.45]
    assert 3 <= len(poor) <= 6
    assert (poor >= 0.30).all()
    assert (rate > 0.88).sum() >= 2
    ward_rate = g.groupby("ward_code")[["households_attended", "households_invited"]].sum()
    assert _rate(ward_rate).std() > 0.02  # wards differ
    assert rate.std() > 0.06  # groups differ within the district


@pytest.mark.parametrize("year", synth.YEARS)
def test_opinions_follow_attendance_with_variation(years, year):
    g = years[year]["group_conferences"]
    corr = g["opinions_count"].corr(g["households_attended"])
    assert 0.3 < corr < 0.9  # measured about 0.5
    assert (g["opinions_count"] == 0).sum() < 0.15 * len(g)


def test_chronic_poor_groups_stay_poor(years):
    poor = {y: set(d["group_truth"].query("kind == 'poor'")["group_code"])
            for y, d in years.items()}
    assert len(poor[2022] & poor[2023] & poor[2024]) >= 3


# --- opinion texts ----------------------------------------------------------------------

@pytest.mark.parametrize("year", synth.YEARS)
def test_texts_are_varied(years, year):
    texts = years[year]["opinions"]["text"]
    assert texts.nunique() / len(texts) >= 0.95  # measured 0.98–0.99 with the default seed
    assert texts.str.len().between(15, 700).all()


def test_topic_mix(years):
    shares = {y: d["opinions_truth"]["topic"].value_counts(normalize=True)
              for y, d in years.items()}
    common = ["moi_truong", "giao_thong", "an_ninh_trat_tu", "trat_tu_do_thi", "ha_tang"]
    for s in shares.values():
        assert set(s.index) == set(stext.TOPICS)
        assert s[common].sum() > 0.55
        assert s[common].min() > s[["dat_dai_quy_hoach", "khac"]].max()
    assert shares[2024]["pccc"] > 1.5 * shares[2023]["pccc"]
    two = years[2023]["opinions_truth"]["topics"].str.contains(";").mean()
    assert 0.08 < two < 0.25
    conduct = years[2024]["opinions"]["text"].str.contains("quy tắc ứng xử", case=False)
    assert conduct.sum() > 5
    assert not years[2023]["opinions"]["text"].str.contains("Bộ quy tắc ứng xử").any()


def test_noise_is_present(years):
    texts = pd.concat([d["opinions"]["text"] for d in years.values()], ignore_index=True)
    for abbr in ("UBND", "TDP", "ANTT", "PCCC"):
        assert texts.str.contains(abbr).sum() > 10, abbr
    assert 0.02 < texts.str.contains(OLD_TONES_RE).mean() < 0.35  # measured ~0.045
    no_marks = texts.map(lambda s: stext.strip_diacritics(s) == s)
    assert 0.003 < no_marks.mean() < 0.04


def test_personal_data_at_the_intended_rates(years):
    ops = pd.concat([d["opinions"] for d in years.values()], ignore_index=True)
    truth = pd.concat([d["opinions_truth"] for d in years.values()], ignore_index=True)
    phone = ops["text"].str.contains(PHONE_RE)
    cccd = ops["text"].str.contains(CCCD_RE)
    name = ops["text"].str.contains(NAME_RE)
    assert 0.015 < phone.mean() < 0.05
    assert 0.004 < cccd.mean() < 0.02
    assert 0.015 < name.mean() < 0.05
    # what the generator says it inserted is what is in the text
    assert (phone == truth["has_phone"]).all()
    assert (cccd == truth["has_cccd"]).all()
    assert name[truth["has_name"]].all()
    formats = ops.loc[phone, "text"].str.extract(f"({PHONE_RE.pattern})")[0]
    assert formats.str.startswith("+84").any() and formats.str.contains(r"\.").any()
    assert formats.str.contains(" ").any() and formats.str.fullmatch(r"0\d{9}").any()


def test_planted_personal_data_is_recorded_verbatim_and_of_every_kind(years):
    kinds = set()
    for data in years.values():
        texts = data["opinions"].set_index("opinion_id")["text"]
        for oid, planted in zip(data["opinions_truth"]["opinion_id"],
                                data["opinions_truth"]["planted"], strict=True):
            for kind, item in json.loads(planted):
                assert item in texts[oid], (kind, item, texts[oid])
                kinds.add(kind)
    assert kinds == {"name", "phone", "id_number", "house", "plate", "dob", "bank_account",
                     "social", "passport", "tax_id"}


def test_follow_up_columns(years):
    allowed_to = {"Tổ dân phố", "UBND phường", "UBND quận", "Thành phố"}
    for year in (2022, 2023):
        o = years[year]["opinions"]
        ward = o[o["level"] == "phuong"]
        assert ward["status"].notna().all() and ward["response"].notna().all()
        answered = o["status"].notna()
        assert 0.3 < answered[o["level"] == "to_dan_pho"].mean() < 0.9
        assert set(o.loc[answered, "status"]) == set(schema.STATUSES)
        assert set(o.loc[answered, "addressed_to"]) <= allowed_to
        assert (o["status"].notna() == o["addressed_to"].notna()).all()
        assert (o["status"].notna() == o["response"].notna()).all()
    o22, o23 = years[2022]["opinions"], years[2023]["opinions"]
    assert (o22["status"] == "resolved").mean() > (o23["status"] == "resolved").mean()


# --- helpers ----------------------------------------------------------------------------

def test_tone_mark_placement():
    old = stext.old_tone_marks("hòa thuận, thủy sản, khỏe, tùy")
    assert old == "hoà thuận, thuỷ sản, khoẻ, tuỳ"
    assert stext.old_tone_marks("hoàng, Thủy, quý") == "hoàng, Thuỷ, quý"
    assert stext.new_tone_marks("hoà, Thuỷ") == "hòa, Thủy"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=30), st.integers(0, 5000))
def test_allocate_sums_exactly(weights, total):
    if sum(weights) == 0:
        weights = [*weights[:-1], 1]
    out = synth.allocate(np.array(weights), total)
    assert out.sum() == total and (out >= 0).all()
    assert (out[np.array(weights) == 0] == 0).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), min_size=1, max_size=30),
       st.floats(0, 1))
def test_adjust_to_total_stays_within_bounds(pairs, where):
    upper = np.array([max(a, b) for a, b in pairs])
    values = np.array([min(a, b) for a, b in pairs])
    total = round(where * int(upper.sum()))
    out = synth.adjust_to_total(values, total, np.zeros_like(upper), upper,
                                np.ones(len(upper)))
    assert out.sum() == total
    assert (out >= 0).all() and (out <= upper).all()


def test_unknown_year_is_refused():
    with pytest.raises(ValueError, match="2019"):
        synth.generate(2019)


# --- writing ----------------------------------------------------------------------------

def test_write_csv_year_and_load_it(tmp_path, years):
    import shutil

    if REFERENCE.is_dir():
        shutil.copytree(REFERENCE, tmp_path / "reference")
    written = synth.write(tmp_path, years=(2023,))
    names = sorted(p.name for p in written)
    assert names == ["dataset.json", "group_conferences.csv", "opinions.csv",
                     "ward_conferences.csv"]
    meta = json.loads((tmp_path / "2023" / "dataset.json").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True and meta["year"] == 2023
    assert meta["generator"] == "hbt_analysis.synth" and meta["seed"] == synth.DEFAULT_SEED
    assert meta["note_vi"].startswith("Dữ liệu tổng hợp")
    assert meta["note_en"].startswith("Synthetic")
    header = (tmp_path / "2023" / "opinions.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == [c for c in schema.OPINIONS.names if c not in schema.STAFF_CODED]
    raw = pd.read_csv(tmp_path / "2023" / "opinions.csv", dtype=str, keep_default_na=False)
    assert raw["text"].tolist() == years[2023]["opinions"]["text"].tolist()

    from hbt_analysis import load

    ds = load(2023, tmp_path)
    assert ds.synthetic
    assert ds.group_conferences["households_attended"].sum() == PUBLISHED_2023["attended"]
    assert len(ds.opinions) == PUBLISHED_2023["opinions"] + PUBLISHED_2023["ward_opinions"]


def test_write_excel_year(tmp_path):
    (tmp_path / "2022").mkdir()
    (tmp_path / "2022" / "opinions.csv").write_text("stale", encoding="utf-8")
    written = synth.write(tmp_path, years=(2022,))
    assert sorted(p.name for p in written) == ["dataset.json", "hbt_2022.xlsx"]
    assert not (tmp_path / "2022" / "opinions.csv").exists()  # one place per table
