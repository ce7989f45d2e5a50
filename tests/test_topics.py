"""Tests of the topic taxonomy, the phrase classifier, staff columns and the supervised model.

The labelled set (tests/data/labelled_opinions.csv) is also the development set the phrase
lists were written against: the floors below guard against regressions, they are not an
estimate of accuracy on unseen opinions (see benchmarks/results/classifier.md).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from hbt_analysis.text import fold, has_diacritics, normalize
from hbt_analysis.topics import (
    TOPIC_CODES,
    SupervisedTopicModel,
    TaxonomyError,
    TopicClassifier,
    agreement,
    classify_opinions,
    evaluate,
    load_taxonomy,
    matching_text,
    topic_name,
)

LABELLED = Path(__file__).parent / "data" / "labelled_opinions.csv"
EXPECTED_CODES = (
    "moi_truong", "giao_thong", "an_ninh_trat_tu", "pccc", "trat_tu_do_thi", "ha_tang",
    "dat_dai_quy_hoach", "an_sinh_xa_hoi", "van_hoa_van_minh", "chinh_quyen", "khac",
)
# Floors set below what was measured when they were written, on 616 opinions (precision
# >= 0.92 and recall >= 0.94 for every topic; accuracy 0.977, macro-F1 0.977; accents
# stripped: accuracy 0.951, macro-F1 0.953).
PRECISION_FLOOR = 0.85
RECALL_FLOOR = 0.85
ACCURACY_FLOOR = 0.92
MACRO_F1_FLOOR = 0.92
FOLDED_ACCURACY_FLOOR = 0.90


@pytest.fixture(scope="module")
def labelled() -> pd.DataFrame:
    return pd.read_csv(LABELLED, keep_default_na=False, dtype=str)


@pytest.fixture(scope="module")
def clf() -> TopicClassifier:
    return TopicClassifier()


def test_labelled_set_is_big_and_covers_every_code(labelled):
    assert len(labelled) >= 250
    assert set(labelled["topic"]) == set(EXPECTED_CODES)
    assert labelled["topic"].value_counts().min() >= 12
    assert set(labelled["topic_2"]) - {""} <= set(EXPECTED_CODES)
    assert labelled["text"].is_unique


def test_taxonomy_codes_and_names():
    assert TOPIC_CODES == EXPECTED_CODES
    assert topic_name("moi_truong") == "Vệ sinh môi trường"
    assert topic_name("pccc", lang="en") == "Fire prevention and fighting"
    assert topic_name("khac") == "Khác"
    with pytest.raises(KeyError, match="unknown topic code"):
        topic_name("nope")


def test_analyst_taxonomy_file(tmp_path):
    path = tmp_path / "my_topics.yaml"
    path.write_text(
        "topics:\n"
        "  - code: nuoc\n    name_vi: Nước\n    name_en: Water\n"
        "    phrases: [nước sạch, mất nước]\n"
        "  - code: khac\n    name_vi: Khác\n    phrases: []\n",
        encoding="utf-8",
    )
    tax = load_taxonomy(path)
    assert tax.codes == ("nuoc", "khac")
    clf = TopicClassifier(taxonomy=path)
    assert clf.predict(["Khu tập thể mất nước cả tuần", "Không có ý kiến"]) == ["nuoc", "khac"]


def test_bad_taxonomy_file_gives_a_clear_bilingual_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("topics:\n  - code: a\n    phrases: [123, '']\n", encoding="utf-8")
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    msg = str(info.value)
    assert "khac" in msg and "empty or invalid phrase" in msg and "cụm từ" in msg
    with pytest.raises(FileNotFoundError, match="taxonomy file not found"):
        load_taxonomy(tmp_path / "missing.yaml")


def test_per_topic_precision_and_recall_floors(labelled, clf):
    result = evaluate(clf, labelled["text"].tolist(), labelled["topic"].tolist())
    table = result["per_topic"]
    assert set(table.index) == set(EXPECTED_CODES)
    low_p = table[table["precision"] < PRECISION_FLOOR]
    low_r = table[table["recall"] < RECALL_FLOOR]
    assert low_p.empty, low_p
    assert low_r.empty, low_r
    assert result["accuracy"] >= ACCURACY_FLOOR
    assert result["macro_f1"] >= MACRO_F1_FLOOR


DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("name", "accuracy", "macro_f1"),
    [
        # studied (phrase fixes followed their first scores of 84,4% and 85,8%): the
        # issue's targets, so that later edits do not undo what they taught
        ("independent_opinions.csv", 0.85, 0.80),
        ("independent_opinions_2.csv", 0.85, 0.80),
        # held out, never studied: first and only score 83,1% / 0,820. A floor a little
        # below it, so the test guards against regressions without being tuned against
        ("independent_opinions_3.csv", 0.80, 0.78),
    ],
)
def test_independent_sets(clf, name, accuracy, macro_f1):
    """Sets other authors wrote from published petitions (tests/data/README.md)."""
    ind = pd.read_csv(DATA / name, keep_default_na=False, dtype=str)
    assert len(ind) >= 250 and set(ind["topic"]) == set(EXPECTED_CODES)
    result = evaluate(clf, ind["text"].tolist(), ind["topic"].tolist())
    assert result["accuracy"] >= accuracy
    assert result["macro_f1"] >= macro_f1


def test_accents_stripped_still_classified(labelled, clf):
    folded = [fold(t) for t in labelled["text"]]
    result = evaluate(clf, folded, labelled["topic"].tolist())
    assert result["accuracy"] >= FOLDED_ACCURACY_FLOOR
    # typed without accents but with typographic punctuation (not ASCII)
    assert clf.predict(["Rac thai – “boc mui” o dau ngo"]) == ["moi_truong"]


def test_spelling_variants_get_the_same_topics(labelled, clf):
    texts = labelled["text"].tolist()[:120]
    variants = [
        t.replace("hòa", "hoà").replace("khỏe", "khoẻ").replace("thủy", "thuỷ")
        .replace(" ", "  ").replace("ủy ban nhân dân", "UBND")
        for t in texts
    ]
    a, b = clf.predict_topics(texts), clf.predict_topics(variants)
    pd.testing.assert_frame_equal(a[["topic_primary", "topic_secondary"]],
                                  b[["topic_primary", "topic_secondary"]])


def test_wrong_tone_marks_fall_back_to_unaccented_phrases(clf):
    # nothing matches with these (wrong) accents; the unaccented reading finds the phrase
    assert clf.predict(["Giờ cao điêm ùn tăc kéo dài."]) == ["giao_thong"]
    # but a single folded syllable is not trusted ("ơn" is not "ồn")
    assert clf.predict(["Tôi xin cảm ơn."]) == ["khac"]


def test_abbreviations_count_as_their_expansion(clf):
    assert clf.predict(["Đảm bảo ATGT ở cổng trường"]) == ["giao_thong"]
    assert clf.predict(["Kiểm tra PCCC các nhà trọ"]) == ["pccc"]
    assert clf.predict(["vsmt kém"]) == ["moi_truong"]


def test_explanations_occur_in_the_text(labelled, clf):
    out = clf.predict_topics(labelled["text"])
    assert out.index.equals(labelled.index)
    exact = total = 0
    for text, primary, matched in zip(labelled["text"], out["topic_primary"], out["matched"],
                                      strict=True):
        m_text = matching_text(text)
        phrases = [p for p in matched.split("; ") if p]
        if primary == "khac":
            assert phrases == []
            continue
        assert phrases, text
        for phrase in phrases:
            total += 1
            if has_diacritics(normalize(text)) and phrase.lower() in m_text:
                exact += 1
            # unaccented texts, and the wrong-tone-mark fallback, match without accents
            assert fold(phrase) in fold(m_text), (phrase, m_text)
            # and in the normalised original, abbreviations aside
            if not phrase.isupper():
                assert fold(phrase) in fold(normalize(text)), (phrase, text)
    assert exact / total > 0.9  # nearly always the phrase exactly as written


def test_at_most_two_topics_and_khac_only_when_nothing_fits(labelled, clf):
    out = clf.predict_topics(labelled["text"])
    both = out.dropna(subset=["topic_secondary"])
    assert (both["topic_primary"] != both["topic_secondary"]).all()
    assert not (out["topic_secondary"] == "khac").any()
    assert ((out["topic_primary"] == "khac") == (out["matched"] == "")).all()
    empty = clf.predict_topics(["", "Không có ý kiến.", "Nhất trí với báo cáo."])
    assert empty["topic_primary"].tolist() == ["khac"] * 3
    assert empty["topic_secondary"].isna().all()


def test_an_opinion_that_asks_nothing_has_no_topic(clf):
    out = clf.predict_topics([
        "Cảm ơn UBND phường đã sửa đèn chiếu sáng ngõ 46 kịp thời.",
        "Cử tri phấn khởi, đánh giá cao việc phường giải quyết dứt điểm điểm rác đầu ngõ.",
        "Cảm ơn phường đã sửa đèn, nhưng đèn ngõ 12 vẫn chưa sáng.",
    ])
    assert out["topic_primary"].tolist() == ["khac", "khac", "ha_tang"]
    assert out["matched"].tolist()[:2] == ["", ""]


def test_what_no_topic_covers_is_khac_even_next_to_other_words(clf):
    texts = ["Sóng điện thoại trong khu tập thể rất yếu, đề nghị nhà mạng khắc phục.",
             "Cụm loa truyền thanh trong ngõ hỏng từ lâu, đề nghị sửa chữa.",
             "Đề nghị tổ chức tiêm phòng dại cho chó mèo tại tổ."]
    out = clf.predict_topics(texts)
    assert out["topic_primary"].tolist() == ["khac"] * 3
    assert out["topic_secondary"].isna().all()
    # khac is never a second topic: the lamp is hạ tầng, with no second topic
    both = clf.predict_topics(["Đèn chiếu sáng ngõ 46 hỏng, đề nghị thay bóng; loa truyền "
                               "thanh của tổ cũng bị rè."])
    assert both.loc[0, "topic_primary"] == "ha_tang"
    assert pd.isna(both.loc[0, "topic_secondary"])


def test_two_things_in_one_opinion(clf):
    out = clf.predict_topics(
        ["Đề nghị sửa đèn chiếu sáng trong ngõ 46 và xử lý tình trạng đổ trộm phế thải "
         "xây dựng ở cuối ngõ."]
    )
    assert {out.loc[0, "topic_primary"], out.loc[0, "topic_secondary"]} == {
        "ha_tang", "moi_truong"}


def test_predict_rejects_a_bare_string(clf):
    with pytest.raises(TypeError, match="list of texts"):
        clf.predict("rác thải")


def test_classify_opinions_staff_column_wins(clf):
    opinions = pd.DataFrame(
        {
            "opinion_id": [1, 2, 3, 4],
            "text": ["Rác thải bốc mùi ở đầu ngõ", "Rác thải bốc mùi ở đầu ngõ",
                     "Đèn chiếu sáng hỏng", "Đèn chiếu sáng hỏng"],
            "topic": ["chinh_quyen", None, "An toàn giao thông;ha_tang", ""],
        },
        index=[7, 8, 9, 10],
    )
    out = classify_opinions(opinions, clf)
    assert out.index.tolist() == [7, 8, 9, 10]
    assert out["topic_source"].tolist() == ["staff", "classifier", "staff", "classifier"]
    assert out["topic_primary"].tolist() == ["chinh_quyen", "moi_truong", "giao_thong", "ha_tang"]
    assert out.loc[9, "topic_secondary"] == "ha_tang"
    assert out.loc[7, "matched"] == ""
    assert out.loc[8, "matched"] != ""
    assert out["topic_predicted"].tolist() == ["moi_truong", "moi_truong", "ha_tang", "ha_tang"]
    assert list(opinions.columns) == ["opinion_id", "text", "topic"]  # input untouched


def test_classify_opinions_without_staff_column_and_bad_labels(clf):
    out = classify_opinions(pd.DataFrame({"text": ["Cháy nổ ở chung cư mini"]}), clf)
    assert out.loc[0, "topic_source"] == "classifier"
    assert out.loc[0, "topic_primary"] == "pccc"
    with pytest.raises(ValueError, match="not in the taxonomy"):
        classify_opinions(pd.DataFrame({"text": ["x"], "topic": ["không rõ"]}), clf)
    with pytest.raises(KeyError, match="no 'text' column"):
        classify_opinions(pd.DataFrame({"noi_dung": ["x"]}), clf)


def test_agreement_by_hand():
    staff = pd.Series(["moi_truong", "moi_truong;ha_tang", "pccc", None, "ha_tang"])
    predicted = pd.Series(["moi_truong", "ha_tang", "pccc", "khac", "giao_thong"])
    result = agreement(staff, predicted)
    assert result["n"] == 4
    assert result["share"] == pytest.approx(2 / 4)
    assert result["share_any"] == pytest.approx(3 / 4)
    assert result["per_topic"] == {"moi_truong": 0.5, "pccc": 1.0, "ha_tang": 0.0}
    assert -1.0 <= result["kappa"] <= 1.0


def test_supervised_model_cross_validation_runs(labelled):
    model = SupervisedTopicModel()
    cv = model.cross_validate(labelled["text"], labelled["topic"], folds=5)
    assert cv["folds"] == 5 and cv["n"] == len(labelled)
    assert len(cv["accuracy_per_fold"]) == 5
    # measured 0.74 / 0.75; far better than always guessing the biggest topic (13%)
    assert cv["accuracy"] > 0.6 and cv["macro_f1"] > 0.6
    model.fit(labelled["text"], labelled["topic"])
    train = evaluate(model, labelled["text"].tolist(), labelled["topic"].tolist())
    assert train["accuracy"] > 0.9
    with pytest.raises(RuntimeError, match="fit"):
        SupervisedTopicModel().predict(["x"])


def test_classifying_normalised_text_skips_no_decision():
    """Skipping the second pass over normalised text changes no decision."""
    import hbt_analysis as hbt
    from hbt_analysis.text import normalize_series

    raw = pd.concat([pd.read_csv(LABELLED)["text"],
                     *(hbt.load(y).opinions["text"] for y in hbt.available_years())],
                    ignore_index=True)
    clf = TopicClassifier()
    normalised = normalize_series(raw)
    pd.testing.assert_frame_equal(clf.predict_topics(normalised, normalized=True),
                                  clf.predict_topics(normalised))


# --- close calls ------------------------------------------------------------------------

def test_close_calls_are_decided_by_the_packaged_model_and_only_they():
    from hbt_analysis import topic_closecall as cc
    from hbt_analysis.topics import TopicClassifier

    model = cc.close_call_model()
    assert model is not None and set(model.classes_) == set(TopicClassifier().classes_)
    with_model, rules_only = TopicClassifier(), TopicClassifier()
    rules_only._matcher.close_calls = None
    texts = pd.read_csv(DATA / "independent_opinions_3.csv", dtype=str)["text"].tolist()
    a, b = with_model.predict(texts), rules_only.predict(texts)
    changed = [i for i in range(len(texts)) if a[i] != b[i]]
    assert 0 < len(changed) < len(texts) // 4
    for i in changed:  # only where the rules' two best were within the margin
        scores = with_model.explain(texts[i])["scores"]
        best = sorted(scores.values(), reverse=True)
        close = best[0] < 0.7 or (best[0] <= cc.LONE_TOPIC_MAX if len(best) == 1
                                  else best[0] - best[1] <= cc.CLOSE_CALL_MARGIN)
        assert close and with_model.explain(texts[i])["close_call"]
        assert a[i] in scores or a[i] == "khac"
    assert with_model.predict(texts) == a  # deterministic


def test_close_call_model_prefers_what_its_weights_say_and_round_trips(tmp_path):
    from hbt_analysis.topic_closecall import CloseCallModel

    texts = ["đèn chiếu sáng hỏng", "đèn đường không sáng", "rác bốc mùi", "rác ùn ứ"] * 3
    labels = ["ha_tang", "ha_tang", "moi_truong", "moi_truong"] * 3
    model = CloseCallModel(min_df=1).fit(texts, labels)
    assert model.prefer("đèn ngõ hỏng", "moi_truong", "ha_tang") == "ha_tang"
    assert model.prefer("rác đầu ngõ", "ha_tang", "moi_truong") == "moi_truong"
    assert model.prefer("rác", "ha_tang", "not_a_topic") == "ha_tang"  # unknown: the rules'
    path = tmp_path / "m.json"
    model.to_json(path, sources=["x.csv"])
    again = CloseCallModel.from_json(path.read_text("utf-8"))
    for text in ("den hong", "rác đầu ngõ", "đèn rác"):
        assert again.prefer(text, "ha_tang", "moi_truong") == model.prefer(
            text, "ha_tang", "moi_truong")
        s = model.scores(text, ["ha_tang", "moi_truong"])
        assert model.prefer(text, "ha_tang", "moi_truong") == max(s, key=s.get)


def test_a_custom_taxonomy_is_not_second_guessed(tmp_path):
    import yaml

    from hbt_analysis.topics import TopicClassifier

    data = yaml.safe_load((Path(__file__).resolve().parents[1] / "hbt_analysis" / "resources"
                           / "topics.yaml").read_text("utf-8"))
    data["topics"] = [t for t in data["topics"] if t["code"] != "pccc"]
    path = tmp_path / "topics.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert TopicClassifier(path)._matcher.close_calls is None


# --- families many authors share (session 22) -------------------------------------------
# Each family below was an error of the rules on several of the seventeen study sets'
# authors (benchmarks/topics_harness.py --confusion); the sentences are written here in
# the words of published voters' meetings, not copied from any set. All were misread by
# the rules and close-call model of main before session 22.

@pytest.mark.parametrize(("text", "topic"), [
    # building or repairing the community house is the house (hạ tầng), read before
    # "xây nhà" (illegal building) and "văn hóa"
    ("Đề nghị quận bố trí kinh phí xây nhà văn hóa cho tổ dân phố số 9, lâu nay họp phải "
     "mượn sân trường.", "ha_tang"),
    # rubble dumped at night is dumping, whatever cart carries it
    ("Đêm nào cũng có xe ba gác chở xà bần, gạch vỡ đổ ra bãi đất trống cuối ngõ 15, đề "
     "nghị phường xử lý.", "moi_truong"),
    # a bill that jumped: checking the meter is checking the bill
    ("Hóa đơn tháng 7 nhà tôi tăng bất thường dù dùng như mọi tháng, đề nghị Điện lực "
     "kiểm tra lại công tơ.", "an_sinh_xa_hoi"),
    # splitting a residential group
    ("Tổ 5 hiện có hơn 500 hộ, đề nghị phường cho chia tách thành hai tổ để dễ quản lý.",
     "chinh_quyen"),
    # petitions asked again and never answered
    ("Ý kiến của tổ đã gửi từ năm ngoái nhưng đến nay chưa thấy trả lời.", "chinh_quyen"),
    ("Kiến nghị các kiến nghị cũ phải được theo dõi, báo cáo kết quả giải quyết tại hội "
     "nghị năm sau.", "chinh_quyen"),
    # racing is traffic, even where the police are asked to patrol
    ("Tối cuối tuần thanh niên tụ tập đua xe trên đường Minh Khai, đề nghị công an tăng "
     "cường tuần tra.", "giao_thong"),
    # a shared burner for votive paper is a custom, not a smoke source
    ("Đề nghị tổ bố trí lò đốt vàng mã chung, không đốt trước cửa nhà.", "van_hoa_van_minh"),
    # typed without accents, "lam thu tuc" is "làm thủ tục", not "lạm thu"
    ("lam thu tuc o phuong cho nguoi gia con mat nhieu thoi gian", "chinh_quyen"),
    # lamps, floods, cables, trees and sorted refuse in many authors' words
    ("Den ngo hong ca tuan nay, toi di lam ve rat so, de nghi sua som.", "ha_tang"),
    ("Ngo 18 cu mua la ngap den dau goi, de nghi phuong co phuong an chong ngap.",
     "ha_tang"),
    ("Đề nghị các nhà mạng thu hồi cáp chết, bó gọn dây trên cột đầu ngõ 20.", "ha_tang"),
    ("Các hố cây trên vỉa hè phố Lò Đúc bỏ trống lâu nay, đề nghị trồng bổ sung.",
     "moi_truong"),
    ("De nghi bo tri xe thu rieng rac da phan loai, khong de do chung.", "moi_truong"),
    # temporary residence checked by the police is security, not the fire risk of rooms
    ("Kiến nghị công an phường kiểm tra tạm trú ở các nhà trọ cho thuê theo ngày.",
     "an_ninh_trat_tu"),
])
def test_errors_shared_by_many_authors_are_read_right(clf, text, topic):
    assert clf.predict([text]) == [topic]


@pytest.mark.parametrize(("text", "topic"), [
    # a fee or price that doubled or jumped is about what it is the price of
    ("Phí gửi xe ở chung cư tăng gấp đôi, đề nghị phường kiểm tra.", "giao_thong"),
    ("Giá trông giữ xe tại chợ Mơ tăng gấp đôi, đề nghị kiểm tra việc niêm yết giá.",
     "giao_thong"),
    ("Tiền nước tháng này tăng bất thường, nghi đường ống cấp nước bị vỡ ngầm, đề nghị "
     "kiểm tra.", "ha_tang"),
    ("Phí gửi xe tháng này tăng đột biến, đề nghị ban quản lý công khai cách tính.",
     "giao_thong"),
    # the electricity bill that jumped, however it is named, is still the bill
    ("Nhiều hộ thấy hóa đơn tăng đột biến, đề nghị điện lực giải thích.", "an_sinh_xa_hoi"),
    ("Đề nghị ngành điện giải thích rõ cách tính hóa đơn tháng 6, nhiều hộ thắc mắc.",
     "an_sinh_xa_hoi"),
    ("Tiền điện tháng 6 tăng gấp đôi dù dùng như mọi tháng, đề nghị điện lực kiểm tra.",
     "an_sinh_xa_hoi"),
])
@pytest.mark.parametrize("close_calls", [True, None], ids=["with_model", "rules_alone"])
def test_a_rise_is_a_bill_only_with_the_bill(text, topic, close_calls):
    """"Tăng gấp đôi / bất thường / đột biến" and "cách tính" alone are any price that
    rose: they count for an sinh (the electricity bill) only beside the bill."""
    assert TopicClassifier(close_calls=close_calls).predict([text]) == [topic]


def test_the_close_call_model_rebuilds_from_the_labelled_files(tmp_path):
    """The packaged weights are what the public rebuild command makes from the repository's
    labelled files (TRAINING_SETS): the same sources, classes and terms exactly; the
    weights to within what another scikit-learn, numpy or BLAS may move (the file keeps
    four decimals); and the same decisions on the labelled opinions."""
    import subprocess
    import sys

    import numpy as np

    from hbt_analysis import topic_closecall as cc

    out = tmp_path / "topic_closecall.json"
    run = subprocess.run([sys.executable, "-m", "hbt_analysis.topic_closecall",
                          "--out", str(out)], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    packaged = Path(cc.__file__).parent / "resources" / "topic_closecall.json"
    new, old = (json.loads(p.read_text("utf-8")) for p in (out, packaged))
    for key in ("about", "trained_on", "n_trained", "C", "min_df", "classes"):
        assert new[key] == old[key], key
    assert new["trained_on"] == [Path(p).name for p in cc.TRAINING_SETS]
    assert "independent_opinions_3.csv" not in new["trained_on"]  # the held-out set
    assert list(new["terms"]) == list(old["terms"])
    np.testing.assert_allclose(new["intercept"], old["intercept"], rtol=0, atol=2e-3)
    np.testing.assert_allclose(np.array(list(new["terms"].values())),
                               np.array(list(old["terms"].values())), rtol=0, atol=2e-3)
    root = Path(__file__).resolve().parents[1]
    texts = (cc.training_data([root / p for p in cc.TRAINING_SETS])["text"].tolist()
             + pd.read_csv(DATA / "independent_opinions_3.csv", dtype=str)["text"].tolist())
    rebuilt = TopicClassifier(close_calls=cc.CloseCallModel.from_json(out.read_text("utf-8")))
    differ = sum(a != b for a, b in zip(rebuilt.predict(texts), TopicClassifier().predict(texts),
                                        strict=True))
    # a weight moved in its fourth decimal may flip a close call that was a tie; no more
    # (measured here: 0 of 6.444)
    assert differ <= len(texts) // 1000


def test_rebuilding_without_the_training_files_says_so_without_a_traceback(tmp_path):
    """An installed package has no tests/data: the rebuild command says which files it
    looked for and what to do, in Vietnamese and English, exits 2 and writes nothing."""
    import shutil
    import subprocess
    import sys

    import hbt_analysis

    site = tmp_path / "site"  # the package alone, as pip installs it
    shutil.copytree(Path(hbt_analysis.__file__).parent, site / "hbt_analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "model.json"
    env = {**os.environ, "PYTHONPATH": str(site)}

    def rebuild(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "hbt_analysis.topic_closecall", *args,
                               "--out", str(out)], capture_output=True, text=True,
                              cwd=tmp_path, env=env, timeout=300)

    run = rebuild()
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "Không tìm thấy tệp huấn luyện" in run.stderr and "training file not found" in run.stderr
    assert str(site / "tests" / "data" / "study_set_topics.csv") in run.stderr  # the copy ran
    assert "pip install -e ." in run.stderr and "A.csv B.csv" in run.stderr
    assert not out.exists()
    # a CSV without the labels: named, with the column to add
    bad = tmp_path / "nhan.csv"
    bad.write_text("text\nĐèn ngõ 5 hỏng\n", encoding="utf-8")
    run = rebuild(str(bad))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert str(bad) in run.stderr and "thiếu cột topic" in run.stderr
    assert "missing column(s) topic" in run.stderr
    assert not out.exists()


def test_a_model_trained_on_other_authors_lifts_an_author_it_never_saw():
    """Leave one author out: trained without study set h15 (session 21's weakest fresh
    author), the close calls lift that author's accuracy over the rules alone."""
    from hbt_analysis.topic_closecall import TRAINING_SETS, CloseCallModel, training_data

    root = Path(__file__).resolve().parents[1]
    data = training_data([root / p for p in TRAINING_SETS])
    held, train = data[data["set"] == "h15"], data[data["set"] != "h15"]
    assert len(held) > 300
    model = CloseCallModel().fit(train["text"].tolist(), train["topic"].tolist())
    rules = evaluate(TopicClassifier(close_calls=None), held["text"].tolist(),
                     held["topic"].tolist())
    both = evaluate(TopicClassifier(close_calls=model), held["text"].tolist(),
                    held["topic"].tolist())
    # measured: rules 88,7% → 90,4% / 0,888 (main's rules and model: 84,2% / 0,829)
    assert both["accuracy"] >= rules["accuracy"] + 0.01
    assert both["accuracy"] >= 0.88 and both["macro_f1"] >= 0.86
