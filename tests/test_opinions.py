"""Opinion analysis on small hand-made frames whose answers can be checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from hbt_analysis import charts
from hbt_analysis import opinions as op
from hbt_analysis.fmt import fmt_int, fmt_pct

NA = pd.NA


def _frame() -> pd.DataFrame:
    """12 opinions: 9 at group level (ward 00241: 5, 00244: 4), 3 at ward level."""
    return pd.DataFrame({
        "opinion_id": [f"o{i:02d}" for i in range(12)],
        "year": 2023,
        "level": ["to_dan_pho"] * 9 + ["phuong"] * 3,
        "ward_code": ["00241"] * 5 + ["00244"] * 4 + ["00241", "00244", "00244"],
        "ward_name": ["Nguyễn Du"] * 5 + ["Bạch Đằng"] * 4 + ["Nguyễn Du", "Bạch Đằng",
                                                                "Bạch Đằng"],
        "group_code": ["00241-TDP01"] * 3 + ["00241-TDP02"] * 2 + ["00244-TDP01"] * 4
        + [NA] * 3,
        "text": [
            "Rác thải để bừa bãi ở ngõ 45 phố Bạch Mai, đề nghị thu gom rác thải đúng giờ",
            "Đề nghị xử lý lấn chiếm vỉa hè phố Lê Đại Hành",
            "Ông Nguyễn Văn An 0912 345 678 phản ánh rác thải và nước thải",
            "Đề nghị lắp đèn chiếu sáng ngõ 12",
            "Xe máy đỗ trên vỉa hè gây ùn tắc giao thông",
            "Rác  thải ùn ứ tại điểm tập kết",
            "Đề nghị tăng cường tuần tra, trộm cắp xe máy",
            "Ùn tắc giao thông giờ cao điểm ở phố Minh Khai",
            "Cần sửa chữa đường ngõ bị hỏng, ngập úng khi mưa",
            "Đề nghị thu gom RÁC THẢI đúng giờ",
            "Đề nghị giải quyết thủ tục hành chính nhanh hơn",
            "Lấn chiếm vỉa hè, lòng đường ở chợ tạm",
        ],
        "topic_primary": [
            "moi_truong", "trat_tu_do_thi", "moi_truong", "ha_tang", "giao_thong",
            "moi_truong", "an_ninh_trat_tu", "giao_thong", "ha_tang", "moi_truong",
            "chinh_quyen", "trat_tu_do_thi",
        ],
        "topic_secondary": [NA, NA, NA, NA, "trat_tu_do_thi", NA, NA, NA, NA, NA, NA,
                            "giao_thong"],
    })


WARDS = pd.DataFrame({
    "ward_code": ["00241", "00244", "00286"],
    "ward_name": ["Nguyễn Du", "Bạch Đằng", "Bạch Mai"],
})


# --- counts -----------------------------------------------------------------------------

def test_primary_counts_by_topic_and_level():
    counts = op.count_by_topic(_frame(), all_topics=False)
    tdp = counts[counts["level"] == "to_dan_pho"].set_index("topic")
    assert tdp.loc["moi_truong", "count"] == 3
    assert tdp.loc["giao_thong", "count"] == 2
    assert tdp.loc["trat_tu_do_thi", "count"] == 1
    assert (tdp["n"] == 9).all()
    assert tdp["share"].sum() == pytest.approx(1.0)
    ward = counts[counts["level"] == "phuong"].set_index("topic")
    assert ward["count"].sum() == 3 and ward.loc["moi_truong", "count"] == 1
    # the group level comes first, the most raised topic first within it
    assert counts["level"].iloc[0] == "to_dan_pho" and counts["topic"].iloc[0] == "moi_truong"


def test_multi_label_counts_an_opinion_under_both_topics():
    counts = op.count_by_topic(_frame(), multi=True, all_topics=False)
    tdp = counts[counts["level"] == "to_dan_pho"].set_index("topic")
    assert tdp.loc["trat_tu_do_thi", "count"] == 2  # o01 primary + o04 secondary
    ward = counts[counts["level"] == "phuong"].set_index("topic")
    assert ward.loc["giao_thong", "count"] == 1  # o11's second topic
    assert tdp["share"].sum() == pytest.approx(10 / 9)


def test_topics_nobody_raised_appear_with_zero():
    counts = op.count_by_topic(_frame())
    from hbt_analysis.topics import TOPIC_CODES

    tdp = counts[counts["level"] == "to_dan_pho"]
    assert set(tdp["topic"]) == set(TOPIC_CODES)
    assert tdp.set_index("topic").loc["pccc", "count"] == 0


def test_wilson_interval_matches_published_values():
    # Wilson 95% intervals from Newcombe (1998), Table I: 0/10 and 5/10 (rounded to 4 places)
    low, high = op.wilson_interval(np.array([0, 5]), np.array([10, 10]))
    assert low == pytest.approx([0.0, 0.2366], abs=1e-4)
    assert high == pytest.approx([0.2775, 0.7634], abs=1e-4)
    low, high = op.wilson_interval(1, 0)
    assert np.isnan(low) and np.isnan(high)


def test_topic_shares_carry_intervals_around_the_share():
    shares = op.topic_shares(_frame())
    ok = shares["n"] > 0
    assert (shares.loc[ok, "ci_low"] <= shares.loc[ok, "share"]).all()
    assert (shares.loc[ok, "share"] <= shares.loc[ok, "ci_high"]).all()


def test_counts_by_ward_include_wards_without_opinions():
    counts = op.count_by_ward(_frame(), WARDS)
    tdp = counts[counts["level"] == "to_dan_pho"].set_index("ward_code")
    assert tdp.loc["00241", "count"] == 5 and tdp.loc["00244", "count"] == 4
    assert tdp.loc["00286", "count"] == 0 and tdp.loc["00286", "ward_name"] == "Bạch Mai"
    ward = counts[counts["level"] == "phuong"].set_index("ward_code")
    assert ward.loc["00244", "count"] == 2
    assert ward["share"].sum() == pytest.approx(1.0)


def test_counts_by_group_include_silent_groups():
    groups = pd.DataFrame({
        "ward_code": ["00241", "00241", "00244", "00244"],
        "group_code": ["00241-TDP01", "00241-TDP02", "00244-TDP01", "00244-TDP02"],
        "group_name": ["Tổ 1", "Tổ 2", "Tổ 1", "Tổ 2"],
    })
    counts = op.count_by_group(_frame(), groups).set_index("group_code")
    assert counts.loc["00241-TDP01", "count"] == 3
    assert counts.loc["00244-TDP01", "count"] == 4
    assert counts.loc["00244-TDP02", "count"] == 0
    assert counts["count"].sum() == 9  # ward-level opinions are not counted for a group


def test_topic_ward_table_counts_and_row_shares():
    counts = op.topic_ward_table(_frame(), WARDS).set_index("ward_code")
    env = op.topic_label("moi_truong")
    assert counts.loc["00241", env] == 3  # o00, o02 and ward-level o09
    assert counts.loc["00244", env] == 1
    assert counts.loc["00286", "total"] == 0
    assert counts.loc["00241", "total"] == 6
    shares = op.topic_ward_table(_frame(), WARDS, values="share").set_index("ward_code")
    topic_cols = [c for c in shares.columns if c not in ("ward_name", "total")]
    assert shares.loc["00241", topic_cols].sum() == pytest.approx(1.0)
    assert shares.loc["00241", env] == pytest.approx(3 / 6)
    assert shares.loc["00286", topic_cols].isna().all()  # no opinions: no shares, no error
    with pytest.raises(op.OpinionsInputError):
        op.topic_ward_table(_frame(), values="percent")


def test_opinions_per_100_attending_households():
    groups = pd.DataFrame({
        "ward_code": ["00241", "00241", "00244"],
        "group_code": ["00241-TDP01", "00241-TDP02", "00244-TDP01"],
        "households_attended": [50, 30, 40],
    })
    wards = pd.DataFrame({
        "ward_code": ["00241", "00244"], "ward_name": ["Nguyễn Du", "Bạch Đằng"],
        "households_attended": [100, 0],
    })
    per = op.opinions_per_100(_frame(), groups, wards).set_index(["level", "ward_code"])
    assert per.loc[("to_dan_pho", "00241"), "opinions_per_100"] == pytest.approx(100 * 5 / 80)
    assert per.loc[("to_dan_pho", "00244"), "opinions_per_100"] == pytest.approx(100 * 4 / 40)
    assert per.loc[("phuong", "00241"), "opinions_per_100"] == pytest.approx(1.0)
    assert np.isnan(per.loc[("phuong", "00244"), "opinions_per_100"])  # nobody attended
    by_group = op.opinions_per_100(_frame(), groups, wards, by="group").set_index("group_code")
    assert by_group.loc["00241-TDP02", "opinions_per_100"] == pytest.approx(100 * 2 / 30)
    only = op.opinions_per_100(_frame(), groups, wards, level="phuong")
    assert set(only["level"]) == {"phuong"}


# --- words, themes, examples ---------------------------------------------------------------

def test_top_terms_find_each_topics_own_words_and_phrases():
    terms = op.top_terms(_frame(), n=5, min_count=2)
    env = terms[terms["topic_primary"] == "moi_truong"]
    assert "rác thải" in set(env["term"])
    assert set(env["kind"]) <= {"word", "phrase"}
    order = terms[terms["topic_primary"] == "trat_tu_do_thi"]
    assert "lấn chiếm vỉa hè" in set(order.loc[order["kind"] == "phrase", "term"])
    # stopwords never come out as terms
    assert "đề nghị" not in set(terms["term"])
    # every term was used at least min_count times in its group
    assert (terms["count"] >= 2).all()


def test_top_terms_by_ward_and_the_wide_table():
    by_ward = op.top_terms(_frame(), by="ward_code", n=3, min_count=1)
    assert set(by_ward["ward_code"]) == {"00241", "00244"}
    assert set(by_ward["name"]) == {"Nguyễn Du", "Bạch Đằng"}
    wide = op.top_terms_table(_frame(), n=3, min_count=1)
    assert list(wide.columns) == ["topic_name", "words", "phrases"]
    assert len(wide) == _frame()["topic_primary"].nunique()
    assert op.top_terms(_frame().iloc[0:0]).empty


def test_themes_are_deterministic_and_redacted():
    frame = pd.concat([_frame()] * 3, ignore_index=True)
    a = op.themes(frame, k=3, random_state=0)
    b = op.themes(frame, k=3, random_state=0)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 3
    assert a["opinions"].sum() <= len(frame)
    assert not a["examples"].str.contains("0912").any()
    assert op.themes(_frame().iloc[:3], k=3).empty  # too few opinions: no themes, no error


def test_representative_opinions_are_redacted_by_default():
    reps = op.representative_opinions(_frame(), n=2)
    env = reps[reps["topic"] == "moi_truong"]
    assert len(env) == 2 and list(env["rank"]) == [1, 2]
    assert set(env["opinion_id"]) <= {"o00", "o02", "o05", "o09"}
    joined = " ".join(reps["text"])
    assert "0912" not in joined and "Nguyễn Văn An" not in joined
    raw = op.representative_opinions(_frame(), n=4, redact=False)
    assert raw["text"].str.contains("0912 345 678").any()
    # the most raised topic comes first
    assert reps["topic"].iloc[0] == "moi_truong"


# --- year on year ------------------------------------------------------------------------

def _year(n: int, env: int, traffic: int) -> pd.DataFrame:
    topics = ["moi_truong"] * env + ["giao_thong"] * traffic
    topics += ["ha_tang"] * (n - len(topics))
    return pd.DataFrame({
        "opinion_id": [f"x{i}" for i in range(n)], "level": "to_dan_pho",
        "ward_code": "00241", "text": "x", "topic_primary": topics, "topic_secondary": NA,
    })


def test_topic_shifts_flag_a_real_change_and_not_noise():
    before, after = _year(200, 20, 30), _year(200, 60, 31)
    shifts = op.topic_shifts(before, after).set_index("topic")
    env = shifts.loc["moi_truong"]
    assert env["share_before"] == pytest.approx(0.10)
    assert env["share_after"] == pytest.approx(0.30)
    assert env["change"] == pytest.approx(0.20)
    # the same p-value as a chi-square test on the 2x2 table without continuity correction
    chi = chi2_contingency([[20, 180], [60, 140]], correction=False)
    assert env["p_value"] == pytest.approx(chi.pvalue, rel=1e-9)
    assert bool(env["significant"])
    assert not bool(shifts.loc["giao_thong", "significant"])
    assert (shifts["p_adjusted"] >= shifts["p_value"] - 1e-12).all()
    sentence = op.shift_sentence(shifts.reset_index().assign(year_before=2023), 2024)
    assert "2023" in sentence and fmt_pct(0.10) in sentence and fmt_pct(0.30) in sentence


def test_two_proportion_z_by_hand():
    z, p = op.two_proportion_z([10], [100], [20], [100])
    pooled = 30 / 200
    expected = 0.1 / np.sqrt(pooled * (1 - pooled) * (2 / 100))
    assert z[0] == pytest.approx(expected)
    z, p = op.two_proportion_z([0], [10], [0], [10])
    assert np.isnan(z[0]) and np.isnan(p[0])


def test_shift_sentence_without_a_previous_year():
    empty = op.topic_shifts(_frame().iloc[0:0], _frame().iloc[0:0])
    assert empty.empty
    assert "2022" in op.shift_sentence(empty, 2022)
    assert op.shift_sentence(empty, 2022, lang="en").startswith("The data has no year")


# --- status --------------------------------------------------------------------------------

def test_status_shares_when_the_data_has_them():
    frame = _frame().assign(status=["Đã giải quyết", "resolved", "đang giải quyết",
                                    "chuyển cấp trên", NA, "resolved", NA, NA, NA, NA, NA, NA])
    shares = op.status_shares(frame).set_index("status")
    assert shares.loc["resolved", "count"] == 3
    assert shares.loc["in_progress", "count"] == 1
    assert shares.loc["forwarded", "count"] == 1
    assert shares.loc["resolved", "share"] == pytest.approx(3 / 5)
    sentence = op.status_sentence(frame)
    assert fmt_pct(3 / 5) in sentence and "5" in sentence


def test_status_when_the_data_has_none():
    assert op.status_shares(_frame()).empty
    assert "không có" in op.status_sentence(_frame())
    assert "no information" in op.status_sentence(_frame(), lang="en")


# --- search --------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["rac thai", "rác thải", "rác  thải", "RÁC THẢI", "Rac Thai"])
def test_search_ignores_diacritics_case_and_spaces(query):
    found = op.search(_frame(), query)
    assert list(found["opinion_id"]) == ["o00", "o02", "o05", "o09"]


def test_search_ignores_tone_placement_and_matches_whole_syllables():
    frame = pd.DataFrame({"text": ["Tổ dân phố Hoà Bình", "khu Hòa Bình", "trắc trở", "rác"]})
    assert len(op.search(frame, "hòa bình")) == 2
    assert len(op.search(frame, "hoà binh")) == 2
    assert list(op.search(frame, "rac")["text"]) == ["rác"]  # not "trắc"
    assert op.search(frame, "").empty
    assert op.search(frame, "   ").empty


# --- sentences, scope and display ---------------------------------------------------------

def _big() -> pd.DataFrame:
    """1.435 group-level and 59 ward-level opinions, 400 of them about the environment."""
    n_group, n_ward = 1435, 59
    topics = ["moi_truong"] * 400 + ["giao_thong"] * 300
    topics += ["ha_tang"] * (n_group + n_ward - len(topics))
    return pd.DataFrame({
        "opinion_id": range(n_group + n_ward),
        "level": ["to_dan_pho"] * n_group + ["phuong"] * n_ward,
        "ward_code": "00241", "text": "x", "topic_primary": topics, "topic_secondary": NA,
    })


def test_summary_sentence_counts_and_top_topic():
    big = _big()
    sentence = op.summary_sentence(big, 2023)
    assert sentence.startswith("Năm 2023 có ")
    assert (f"{fmt_int(1435)} ý kiến ở hội nghị tổ dân phố và {fmt_int(59)} ý kiến ở "
            "hội nghị phường") in sentence
    assert f"{op.topic_label('ha_tang')} ({fmt_pct(794 / 1494)})" in sentence
    en = op.summary_sentence(big, 2023, lang="en")
    assert "1,435 opinions" in en and "59 opinions" in en
    one_level = op.summary_sentence(big[big["level"] == "phuong"], 2023, level="phuong")
    assert "59 ý kiến ở hội nghị phường" in one_level and "tổ dân phố" not in one_level


def test_a_ward_without_opinions_gets_a_sentence_not_an_error():
    empty = op.select(_frame(), ward="00286", known_wards=WARDS["ward_code"])
    assert empty.empty
    sentence = op.summary_sentence(empty, 2023, ward_name="Bạch Mai")
    assert sentence == (
        "Năm 2023, phường Bạch Mai không có ý kiến nào được ghi nhận ở hội nghị tổ dân phố "
        "và hội nghị phường."
    )
    assert "no opinion" in op.summary_sentence(empty, 2023, "Bạch Mai", lang="en")
    assert "Không có ý kiến" in op.ward_sentence(empty)
    assert op.count_by_topic(empty)["count"].sum() == 0
    assert op.top_terms(empty).empty and op.themes(empty).empty
    assert op.representative_opinions(empty).empty


def test_ward_sentence_names_the_wards_with_most_opinions():
    sentence = op.ward_sentence(_frame(), WARDS)
    assert "Nguyễn Du (6)" in sentence and "Bạch Đằng (6)" in sentence


def test_select_checks_level_and_ward():
    frame = _frame()
    assert len(op.select(frame, level="phuong")) == 3
    assert len(op.select(frame, ward="00244", level="to_dan_pho")) == 4
    with pytest.raises(op.OpinionsInputError, match=r"Cấp hội nghị không hợp lệ.*invalid level"):
        op.select(frame, level="quan")
    with pytest.raises(op.OpinionsInputError, match=r"Không có phường.*no ward"):
        op.select(frame, ward="99999", known_wards=WARDS["ward_code"])


def test_display_table_labels_and_formats():
    shown = op.display_table(op.topic_shares(_frame(), levels=["to_dan_pho"]))
    assert list(shown.columns[:3]) == ["Cấp hội nghị", "Lĩnh vực", "Số ý kiến"]
    assert "Mã lĩnh vực" in op.display_table(op.count_by_topic(_frame()), hide=()).columns
    first = shown.iloc[0]
    assert first["Cấp hội nghị"] == "Tổ dân phố"
    assert first["Tỷ lệ"] == "3/9"  # a share of fewer than 10 is written as a count
    big = op.topic_shares(pd.concat([_frame()] * 4, ignore_index=True), levels=["to_dan_pho"])
    assert op.display_table(big).iloc[0]["Tỷ lệ"] == fmt_pct(12 / 36)  # "33,3%"
    en = op.display_table(big, lang="en")
    assert "Share" in en.columns and en.iloc[0]["Share"] == "33.3%"


def test_topic_names_follow_the_language():
    counts = op.count_by_topic(_frame(), lang="en", all_topics=False)
    from hbt_analysis.topics import topic_name

    assert counts.loc[counts["topic"] == "moi_truong", "topic_name"].iloc[0] == topic_name(
        "moi_truong", "en"
    )


# --- a loaded year (a stand-in Dataset with the same attributes) ---------------------------

def _fake_dataset():
    from types import SimpleNamespace

    raw = _frame().drop(columns=["topic_primary", "topic_secondary", "ward_name"])
    groups = pd.DataFrame({
        "ward_code": ["00241", "00241", "00244", "00286"],
        "group_code": ["00241-TDP01", "00241-TDP02", "00244-TDP01", "00286-TDP01"],
        "group_name": ["Tổ 1", "Tổ 2", "Tổ 1", "Tổ 1"],
        "households_attended": [50, 30, 40, 20],
    })
    names = dict(zip(WARDS["ward_code"], WARDS["ward_name"], strict=True))
    return SimpleNamespace(
        year=2023, opinions=raw, wards=WARDS, group_conferences=groups,
        ward_conferences=WARDS.assign(households_attended=[100, 80, 60]),
        ward_name=lambda code: "Toàn quận" if code is None else names.get(code, code),
    )


def test_prepare_classifies_and_names_the_wards():
    ds = _fake_dataset()
    scope = op.prepare(ds)
    assert len(scope) == 12
    assert scope["topic_primary"].notna().all()
    assert set(scope["ward_name"]) == {"Nguyễn Du", "Bạch Đằng"}
    assert len(op.prepare(ds, ward="00244", level="phuong")) == 2
    assert op.prepare(ds, ward="00286").empty  # a known ward where nobody spoke
    with pytest.raises(op.OpinionsInputError):
        op.prepare(ds, ward="12345")


def test_headline_where_table_and_scope_wards():
    ds = _fake_dataset()
    scope = op.prepare(ds, ward="00286")
    assert op.headline(ds, scope, "00286").startswith("Năm 2023, phường Bạch Mai không có")
    assert op.headline(ds, op.prepare(ds)).startswith("Năm 2023 có 9 ý kiến")
    by_group = op.where_table(ds, op.prepare(ds, ward="00241"), "00241")
    assert list(by_group["group_code"]) == ["00241-TDP01", "00241-TDP02"]
    assert list(by_group["count"]) == [3, 2]
    assert len(op.where_table(ds, op.prepare(ds))) == 2 * len(WARDS)  # both levels x 3 wards
    assert list(op.scope_wards(ds, "00244")["ward_code"]) == ["00244"]
    assert len(op.scope_wards(ds)) == 3


def test_search_results_are_redacted_and_labelled():
    found = op.search_results(_frame(), "rac thai")
    assert list(found["opinion_id"]) == ["o00", "o02", "o05", "o09"]
    assert "[số điện thoại]" in found["text"].iloc[1]
    assert "0912" in op.search_results(_frame(), "rac thai", redact=False)["text"].iloc[1]
    assert found["topic_name"].iloc[0] == op.topic_label("moi_truong")
    assert len(op.search_results(_frame(), "rac thai", limit=2)) == 2


def test_compare_with_previous_when_the_data_has_no_earlier_year(scratch_data):
    shifts = op.compare_with_previous(2023, data_dir=scratch_data)
    assert shifts.empty and {"year_before", "significant", "change"} <= set(shifts.columns)
    assert op.previous_year(2023, scratch_data) is None
    assert op.shift_sentence(shifts, 2023) == "Dữ liệu không có năm trước năm 2023 để so sánh."


# --- figures -------------------------------------------------------------------------------

def test_topic_chart_stacks_counts_per_level_most_raised_on_top():
    shares = op.topic_shares(_frame())
    fig = charts.topic_chart(shares)
    assert [t.name for t in fig.data] == ["Tổ dân phố", "Phường"]
    assert fig.layout.barmode == "stack"
    tdp = fig.data[0]
    i = list(tdp.y).index(op.topic_label("moi_truong"))
    assert tdp.x[i] == 3  # counts, which a reader can check against the table
    assert tdp.customdata[i][0] == pytest.approx(3 / 9)  # the share on hover
    totals = [sum(t.x[k] for t in fig.data) for k in range(len(tdp.y))]
    assert totals == sorted(totals)  # plotly draws the last category at the top
    assert fig.layout.separators == ",."  # the house template: 68,6%
    empty = charts.topic_chart(op.topic_shares(_frame().iloc[0:0]))
    assert empty.layout.annotations[0].text == "Không có dữ liệu"


def test_topic_ward_heatmap_shows_row_shares():
    table = op.topic_ward_table(_frame(), WARDS, values="share")
    fig = charts.topic_ward_heatmap(table)
    heat = fig.data[0]
    assert list(heat.y) == ["Nguyễn Du", "Bạch Đằng", "Bạch Mai"]
    col = list(heat.x).index(op.topic_label("moi_truong"))
    assert heat.z[0][col] == pytest.approx(0.5)
    assert charts.topic_ward_heatmap(table.iloc[0:0]).layout.annotations[0].text == (
        "Không có dữ liệu"
    )


def test_a_ward_code_given_as_a_number_means_the_five_digit_code():
    """papermill's command line turns -p ward 00241 into 241; it still means 00241."""
    frame = _frame()
    code = frame["ward_code"].iloc[0]
    by_text = op.select(frame, code, "all", known_wards=frame["ward_code"])
    by_number = op.select(frame, int(code), "all", known_wards=frame["ward_code"])
    pd.testing.assert_frame_equal(by_text, by_number)


def test_terms_memo_full_mid_call_still_returns_every_text(monkeypatch):
    """Found on the national run (3 M texts): when the per-process memo filled up, the texts
    of the same call already known were dropped with it and the call raised KeyError."""
    from hbt_analysis.opinions import words

    monkeypatch.setattr(words, "_TERMS", {})
    monkeypatch.setattr(words, "_TERMS_MAX", 3)
    known = ["Đề nghị sửa chữa đèn chiếu sáng ngõ 12.", "Rác thải ùn ứ ở đầu ngõ."]
    first = words.opinion_terms(known)
    more = [*known, "Xe máy đỗ trên vỉa hè phố Huế.", "Nước máy yếu vào giờ cao điểm."]
    again = words.opinion_terms(more)
    assert again[:2] == first
    assert all(again[2:]) and len(again) == 4
