"""Consolidation (tổng hợp ý kiến): places, what is asked, items and why, on hand-made opinions
whose right answer a ward officer would give; then on the bundled year."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import hbt_analysis as hbt
from hbt_analysis import opinions as op
from hbt_analysis.opinions import consolidate as cons
from hbt_analysis.opinions import item_names, worklist
from hbt_analysis.opinions import similarity as sim
from hbt_analysis.opinions.evaluate import pair_scores
from hbt_analysis.opinions.yearly import YearRequests
from hbt_analysis.text import normalize
from tests.conftest import needs_bundled_data


def _places(text: str):
    return [(p.kind, p.name, p.number) for p in sim.find_places(normalize(text))]


# --- where --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Rác ở ngõ 46 Lò Đúc bốc mùi", [("alley", "lo duc", "46")]),
    ("Rác ở ngõ số 46 phố Lò Đúc bốc mùi", [("alley", "lo duc", "46")]),
    ("rac o ngo 46 Lo Duc boc mui", [("alley", "lo duc", "46")]),
    ("đèn hỏng ở ngách 46/12 Lò Đúc", [("alley", "lo duc", "46/12")]),
    ("hàng quán lấn chiếm phố Phố Huế", [("street", "hue", "")]),
    ("ùn tắc ở nút giao Minh Khai – Kim Ngưu", [("junction", "kim nguu | minh khai", "")]),
    ("chợ cóc ở khu tập thể Mai Động, nhà A9", [("block", "mai dong", "A9")]),
    ("rác của chợ Đồng Tâm chảy ra đường", [("landmark", "cho dong tam", "")]),
    ("Đề nghị để UBND phường biết, đèn Thanh Nhàn", []),  # "để" is not "đê" (a dyke)
])
def test_places_are_found_as_minutes_write_them(text, expected):
    assert _places(text) == expected


def test_place_relations():
    alley = sim.Place("alley", "lo duc", "46")
    assert alley.relation(sim.Place("alley", "lo duc", "46/12")) == "same"
    assert alley.relation(sim.Place("alley", "lo duc", "48")) == "other"
    assert alley.relation(sim.Place("street", "lo duc")) == "related"
    assert sim.place_relation([alley], []) == ("unknown", None)
    assert sim.place_relation([alley], [sim.Place("alley", "lo duc", "48")])[0] == "different"


def test_what_is_asked_leaves_out_places_speakers_and_formulas():
    a = sim.request_text("Cử tri phản ánh đèn chiếu sáng ngõ 46 Lò Đúc hỏng, đề nghị UBND "
                         "phường sớm sửa chữa.")
    b = sim.request_text("de nghi sua den duong ngo 12 Van Don bi hong")
    assert "lo duc" not in a and "cu tri" not in a and "phuong" not in a
    for word in ("den_chieu_sang", "hu_hong", "sua_chua"):
        assert word in a.split() and word in b.split()


def test_objects_and_actions_are_read_with_their_accents():
    lamp = sim.request_concepts("Đèn trong ngõ 55 phố Vọng không sáng, đề nghị lắp thêm bóng.")
    assert lamp.objects == {"den_chieu_sang"} and lamp.actions == {"lap_moi"}
    # "đến" and "lập" fold like "đèn" and "lắp": with accents they are not read as them
    other = sim.request_concepts("Đến nay phường vẫn chưa thành lập tổ dân phố mới cho chung cư.")
    assert "den_chieu_sang" not in other.objects and "lap_moi" not in other.actions
    plain = sim.request_concepts("de nghi thay bong den duong ngo 12 bi hong")
    assert plain.objects == {"den_chieu_sang"} and plain.actions == {"sua_chua"}
    assert sim.concept_conflict(lamp, plain) == (False, True)


def test_each_kind_of_phrase_is_read_on_its_own():
    # an action's phrase ("thay nắp", "làm gờ") does not hide the object it overlaps
    assert sim.request_concepts("Đề nghị thay nắp hố ga bị vỡ.").objects == {"nap_ho_ga"}
    bump = sim.request_concepts("Đề nghị làm gờ giảm tốc đầu ngõ 12.")
    assert bump.objects == {"go_giam_toc"} and bump.actions == {"lap_moi"}
    # a place's kind word stays part of what is asked, its name is the place
    market = sim.request_text("Rác thải của chợ Đồng Tâm tràn ra đường.")
    assert "cho" in market.split() and "dong" not in market.split()


def test_repairing_and_upgrading_are_one_action_installing_another():
    repair = sim.request_concepts("Đề nghị sửa chữa mặt ngõ 190 Trương Định bị bong tróc.")
    upgrade = sim.request_concepts("Đề nghị cải tạo, nâng cấp mặt ngõ 86 Vĩnh Tuy.")
    new = sim.request_concepts("Đề nghị lắp đặt thêm đèn chiếu sáng mới ở cuối ngõ.")
    lamp = sim.request_concepts("Đèn chiếu sáng ngõ 281 hỏng, đề nghị sửa chữa.")
    assert sim.concept_conflict(repair, upgrade) == (False, False)
    assert sim.concept_conflict(lamp, new) == (False, True)
    # an alley to upgrade, with no other object, is itself the object (its surface)
    assert sim.request_concepts("Đề nghị cải tạo lại ngõ 95 Thanh Nhàn.").objects == {"mat_ngo"}
    assert sim.request_concepts("Đề nghị cải tạo lại nhà văn hóa tổ 5.").objects == {
        "nha_van_hoa"}


def test_the_same_topic_is_a_weak_sign_when_one_names_no_object():
    texts = ["Cứ mưa là cả xóm khổ, mấy tiếng mới đi lại được.",
             "Mỗi khi mưa to ngõ 52 ngập sâu, đề nghị có giải pháp chống ngập."]
    feats = sim.RequestVectorizer().fit_transform(texts)
    concepts = [sim.request_concepts(t) for t in texts]
    assert not concepts[0].objects and concepts[1].objects
    same = sim.pair_similarity(feats, [(), ()], ["ha_tang", "ha_tang"], concepts=concepts)
    other = sim.pair_similarity(feats, [(), ()], ["ha_tang", "moi_truong"], concepts=concepts)
    none = sim.pair_similarity(feats, [(), ()], None, concepts=concepts)
    assert same[0, 1] == pytest.approx(none[0, 1] + sim.TOPIC_BONUS_NO_OBJECT)
    assert other[0, 1] < none[0, 1] < same[0, 1]


def test_words_that_are_other_words_without_accents_are_trusted_only_with_them():
    # "o to" is "ô tô" or "ở tổ"; "doi" is "dời", "đội", "đổi"; "thue" is "thuế" or "thuê"
    assert "o_to_do" not in sim.request_concepts("quy hoach treo o to 13 da nhieu nam").objects
    assert sim.request_concepts("Ô tô đỗ kín ngõ, đề nghị cấm đỗ.").objects == {"o_to_do"}
    assert "di_doi" not in sim.request_concepts("de nghi doi CSGT phan luong").actions
    assert "di_doi" in sim.request_concepts("Đề nghị dời điểm tập kết rác.").actions
    assert "thue" not in sim.request_concepts("kiem tra nha cho thue tro").objects
    # "on" is "ồn" (noise) or "ổn" (settled): bare in the YAML, it must stay a word, not True
    assert "tieng_on" not in sim.request_concepts(
        "de nghi cap so do cho cac ho dang o on dinh tren dat ngo 281").objects
    assert "tieng_on" in sim.request_concepts("Quán karaoke ồn đến khuya.").objects


def test_phrases_written_bare_in_yaml_stay_words():
    from hbt_analysis.opinions.request_words import load_phrases_yaml

    assert load_phrases_yaml("a: [on, off, yes, no, true, False, 2]") == {
        "a": ["on", "off", "yes", "no", True, False, 2]}


def test_changing_an_arrangement_is_not_repairing():
    change = sim.request_concepts("Đề nghị thay đổi lịch thu gom rác cho phù hợp với người đi làm.")
    assert change.objects == {"thu_gom_rac"} and "sua_chua" not in change.actions
    plain = sim.request_concepts("de nghi thay doi gio lam viec bo phan mot cua")
    assert "sua_chua" not in plain.actions
    # "thay" alone still repairs, and changing where a thing is, is moving it
    assert sim.request_concepts("Đề nghị thay bóng đèn ngõ 12 bị hỏng.").actions == {"sua_chua"}
    move = sim.request_concepts("Đề nghị thay đổi vị trí điểm tập kết rác đầu ngõ 8.")
    other = sim.request_concepts("Đề nghị di dời điểm tập kết rác ra khỏi cổng trường.")
    assert sim.concept_conflict(move, other) == (False, False)


def test_a_stolen_e_bike_is_theft_its_charging_fire_safety():
    for text in ("Nhà tôi bị trộm xe đạp điện.",
                 "Kẻ gian bẻ khóa lấy xe máy điện để trong nhà xe khu tập thể."):
        assert sim.request_concepts(text).objects == {"trom_cap"}, text
    charging = sim.request_concepts("Nhiều hộ sạc xe đạp điện qua đêm trong nhà, dễ cháy nổ.")
    assert "sac_xe_dien" in charging.objects


def test_the_wards_loudspeaker_is_not_noise():
    for text in ("Loa phát thanh ở đầu ngõ bị rè, nghe không rõ, đề nghị thay loa mới.",
                 "Đề nghị phát loa thông báo lịch tiêm phòng cho trẻ."):
        assert "tieng_on" not in sim.request_concepts(text).objects, text
    assert "loa_truyen_thanh" in sim.request_concepts("loa phuong bi re, de nghi sua loa").objects
    karaoke = sim.request_concepts("Quán bia mở loa kéo hát karaoke đến 12h đêm.")
    assert "tieng_on" in karaoke.objects


def test_stairs_and_boarding_houses_are_not_old_blocks_or_fire_by_themselves():
    stairs = sim.request_concepts("Lan can cầu thang nhà B4 bị gãy, đề nghị sửa chữa.")
    assert not stairs.objects & {"nha_tap_the", "pccc_chung_cu"}
    residence = sim.request_concepts("Đề nghị công an kiểm tra tạm trú các nhà trọ trong ngõ 4.")
    assert residence.objects == {"cu_tru"}
    fire = sim.request_concepts("Đề nghị kiểm tra PCCC các nhà trọ cho sinh viên thuê.")
    assert fire.objects == {"pccc_chung_cu"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Nước lên yếu vào giờ cao điểm.", "ap_luc_nuoc"),
    ("Nước máy lên yếu vào buổi sáng.", "ap_luc_nuoc"),
    ("Đề nghị tăng tiền bồi dưởng cho tổ trưởng tổ dân phố.", "phu_cap"),
    ("Mầm non công của phường đã hết chỉ tiêu, con em không có chỗ gửi.", "truong_hoc"),
])
def test_words_that_name_the_object(text, expected):
    assert expected in sim.request_concepts(text).objects


def test_an_alley_is_the_object_only_where_nothing_else_is_named():
    assert sim.request_concepts("Đề nghị sửa chữa bảng tin ngõ 12 Lò Đúc.").objects == frozenset()
    assert sim.request_concepts("Bảng tin ngõ 12 xuống cấp.").objects == frozenset()
    for text in ("Đề nghị cải tạo lại ngõ 95 Thanh Nhàn.",
                 "Đề nghị phường sớm cải tạo, nâng cấp tuyến ngõ 102 Lò Đúc.",
                 "Ngõ 158 Thanh Nhàn nhiều năm nay xuống cấp.",
                 "de nghi cai tao ngo 95 thanh nhan",
                 "Đề nghị sửa chữa mặt ngõ 128 phố Bạch Mai, đi lại khó khăn."):
        assert sim.request_concepts(text).objects == {"mat_ngo"}, text


def test_an_opinion_that_asks_nothing_is_an_item_of_its_own():
    assert not cons.is_request("Cảm ơn UBND phường đã sửa đèn chiếu sáng ngõ 46 kịp thời.")
    assert not cons.is_request("Bà con phấn khởi trước kết quả của phường trong năm qua.")
    assert not cons.is_request("nhat tri voi bao cao, khong co y kien them")
    assert cons.is_request("Nhất trí với báo cáo, nhưng đèn ngõ 46 vẫn chưa được sửa.")
    assert cons.is_request("Hoan nghênh công an phường, đề nghị tiếp tục tuần tra ban đêm.")
    assert cons.is_request("Đèn ngõ 47 Vĩnh Tuy hỏng, tối lắm.")


def test_another_action_or_object_in_the_same_alley_is_another_item():
    rows = [
        ("00271", 1, "ha_tang", "Đèn chiếu sáng ngõ 281 Trần Khát Chân hỏng, đề nghị sửa chữa."),
        ("00271", 2, "ha_tang", "Mấy bóng đèn đường ở ngõ 281 Trần Khát Chân không sáng, "
                                "đề nghị thay bóng."),
        ("00271", 3, "ha_tang", "Đoạn cuối ngõ 281 Trần Khát Chân chưa có đèn, đề nghị lắp đặt "
                                "thêm đèn chiếu sáng mới."),
        ("00271", 4, "ha_tang", "Đề nghị lắp mới cột đèn chiếu sáng ở cuối ngõ 281 "
                                "Trần Khát Chân."),
        ("00271", 5, "ha_tang", "Nắp hố ga giữa ngõ 281 Trần Khát Chân bị vỡ, đề nghị thay thế."),
    ]
    others = [r for r in ROWS if r[0] != "00271" or "ngõ 281" not in r[3]]  # a year has more
    _, members = _consolidate(_frame(rows + others))
    item = dict(zip(members["opinion_id"], members["item"], strict=True))
    assert item["o00"] == item["o01"] and item["o02"] == item["o03"]
    assert len({item["o00"], item["o02"], item["o04"]}) == 3


def test_two_opinions_of_one_group_are_pushed_apart():
    """A group's conference usually lists a request once: two alike opinions of one group are
    two items, the same words from two groups one; a third group asking the same can still
    bring both into its item (minutes that record speaker by speaker repeat a request)."""
    a = "Đèn chiếu sáng ngõ 281 Trần Khát Chân hỏng, đề nghị sửa chữa."
    b = "Đèn chiếu sáng ngõ 281 Trần Khát Chân hỏng, đề nghị sửa chữa sớm."
    others = ROWS[3:]  # no lamp among them
    one_group = _frame([("00271", 1, "ha_tang", a), ("00271", 1, "ha_tang", b), *others])
    two_groups = _frame([("00271", 1, "ha_tang", a), ("00271", 2, "ha_tang", b), *others])
    for scope in ("ward", "area"):
        item = _consolidate(one_group, scope=scope)[1].set_index("opinion_id")["item"]
        assert item["o00"] != item["o01"], scope
        item = _consolidate(two_groups, scope=scope)[1].set_index("opinion_id")["item"]
        assert item["o00"] == item["o01"], scope
    with_third = _frame([("00271", 1, "ha_tang", a), ("00271", 1, "ha_tang", b),
                         ("00271", 3, "ha_tang", a), ("00271", 4, "ha_tang", b), *others])
    item = _consolidate(with_third)[1].set_index("opinion_id")["item"]
    assert item["o00"] == item["o01"] == item["o02"] == item["o03"]
    # no group code (ward level, a file without groups): not constrained
    pairs = cons.same_group_pairs(["g1", "g1", None, "", None])
    assert pairs[0, 1] and pairs[1, 0] and not pairs[0, 0]
    assert pairs.sum() == 2  # the ones without a code are not one group
    assert cons.same_group_pairs([None, None, ""]) is None


# --- items --------------------------------------------------------------------------------

def _frame(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(ward, group number, topic, text) -> an opinions frame as prepare() gives it."""
    return pd.DataFrame({
        "opinion_id": [f"o{i:02d}" for i in range(len(rows))],
        "year": 2023, "level": "to_dan_pho",
        "ward_code": [r[0] for r in rows],
        "group_code": [f"{r[0]}-TDP{int(r[1]):02d}" for r in rows],
        "topic_primary": [r[2] for r in rows],
        "text": [r[3] for r in rows],
    })


ROWS = [
    ("00271", 3, "ha_tang", "Đèn chiếu sáng ngõ 281 Trần Khát Chân hỏng đã lâu, đề nghị sửa."),
    ("00271", 5, "ha_tang", "Bà con phản ánh đèn đường trong ngõ 95 Thanh Nhàn không sáng, "
                            "buổi tối rất tối. Đề nghị thay bóng đèn."),
    ("00271", 9, "ha_tang", "de nghi sua den chieu sang ngo 12 Thanh Nhan bi hong"),
    ("00271", 4, "moi_truong", "Điểm tập kết rác đầu ngõ 42 Thanh Nhàn bốc mùi hôi, đề nghị "
                               "di dời điểm tập kết."),
    ("00271", 7, "moi_truong", "Đề nghị chuyển điểm tập kết rác ở ngõ 18 Lò Đúc đi nơi khác, "
                               "mùi hôi thối."),
    ("00271", 8, "an_ninh_trat_tu", "Gần đây có nhiều vụ trộm xe máy trong ngõ, đề nghị công "
                                    "an tăng cường tuần tra ban đêm."),
    ("00271", 2, "khac", "Nhất trí với báo cáo, không có ý kiến gì thêm."),
    ("00271", 6, "khac", "Cử tri nhất trí với nội dung báo cáo của tổ."),
]


def _consolidate(frame: pd.DataFrame, threshold: float = cons.DEFAULT_THRESHOLD,
                 scope: str = "ward"):
    yr = YearRequests(frame, 2023)
    return yr.items(scope, threshold)


def test_the_same_request_in_other_words_is_one_item_and_requests_come_first():
    items, members = _consolidate(_frame(ROWS))
    by_opinion = dict(zip(members["opinion_id"], members["item"], strict=True))
    lights, rubbish = {by_opinion[f"o0{i}"] for i in (0, 1, 2)}, {by_opinion[f"o0{i}"]
                                                                   for i in (3, 4)}
    assert len(lights) == 1 and len(rubbish) == 1 and lights != rubbish
    assert by_opinion["o05"] not in lights | rubbish
    first = items.iloc[0]
    assert first["n_groups"] == 3 and set(first["groups"]) == {
        "00271-TDP03", "00271-TDP05", "00271-TDP09"}
    agree = items[~items["request"]]
    assert set(agree["opinion_id"]) <= {"o06", "o07"} and len(agree) >= 1
    assert items["request"].tolist() == sorted(items["request"], reverse=True)
    reason = cons.item_reason(first)
    assert "đèn" in reason.lower() and "Hạ tầng" in reason and "0," in reason
    assert "ngõ 281 Trần Khát Chân" in first["place"]  # the places are listed in the item


def test_consolidation_is_deterministic_and_does_not_depend_on_row_order():
    frame = _frame(ROWS)
    a = _consolidate(frame)[1].set_index("opinion_id")["item"]
    again = _consolidate(frame)[1].set_index("opinion_id")["item"]
    shuffled = frame.sample(frac=1, random_state=3).reset_index(drop=True)
    b = _consolidate(shuffled)[1].set_index("opinion_id")["item"].reindex(a.index)
    pd.testing.assert_series_equal(a, again)
    assert pair_scores(a.to_numpy(), b.to_numpy())["f1"] == 1.0


def test_one_threshold_tunes_it():
    frame = _frame(ROWS)
    strict, _ = _consolidate(frame, threshold=0.99)
    loose, _ = _consolidate(frame, threshold=0.01)
    default, _ = _consolidate(frame)
    assert len(strict) == len(frame)
    assert len(loose) <= len(default) < len(strict)


def test_the_same_request_in_two_wards_is_one_item_of_the_area():
    lamp = ("00286", 4, "ha_tang", "Đèn chiếu sáng ngõ 107 Bạch Mai hỏng, đề nghị thay bóng.")
    rows = [*ROWS[:3], lamp]
    items, _ = _consolidate(_frame(rows), scope="area")
    assert len(items) == 1 and items.iloc[0]["n_wards"] == 2
    ward_items, _ = _consolidate(_frame(rows), scope="ward")
    assert len(ward_items) == 2


def test_an_object_named_only_as_context_adds_part_of_the_bonus():
    """The bonus for a shared object is the share of objects in common, out of the larger
    set: "ô tô đỗ chắn lối, xe gom rác không vào được" names the collection only as context
    and is less like "giờ thu gom rác" than another opinion about the collection is."""
    collection = sim.request_concepts("Đề nghị điều chỉnh giờ thu gom rác cho phù hợp.")
    cars = sim.request_concepts("Ô tô đỗ chắn lối ngõ 46, xe thu gom rác không vào được.")
    assert collection.objects < cars.objects and len(cars.objects) == 2
    same, half, none = sim._concept_penalties([collection], [collection, cars, sim.Concepts(
        frozenset({"den_chieu_sang"}))])[0]
    assert same == pytest.approx(-sim.OBJECT_BONUS)
    assert half == pytest.approx(-sim.OBJECT_BONUS / 2)
    assert none == pytest.approx(sim.OBJECT_PENALTY)


def test_the_area_is_clustered_opinion_by_opinion_below_the_limit(monkeypatch):
    """Up to AREA_AT_ONCE requests the area's items are `cluster` of all its requests at
    once (every pair counts, whatever the wards); above it, the wards' items are merged.
    Both give every opinion one item, agreements on their own."""
    lamp = ("00286", 4, "ha_tang", "Đèn chiếu sáng ngõ 107 Bạch Mai hỏng, đề nghị thay bóng.")
    rubbish = ("00286", 6, "moi_truong", "Điểm tập kết rác ở ngõ 5 Bạch Mai bốc mùi, đề nghị "
                                         "di dời.")
    frame = _frame([*ROWS, lamp, rubbish])
    yr = YearRequests(frame, 2023)
    requests = frame["text"].map(cons.is_request).to_numpy()
    idx = requests.nonzero()[0]
    concepts = [sim.request_concepts(t) for t in frame["text"]]
    labels, _ = cons.cluster(yr.features[idx], [yr.places[i] for i in idx],
                             cons.DEFAULT_THRESHOLD, list(frame["topic_primary"].iloc[idx]),
                             [concepts[i] for i in idx])
    items, members = yr.items("area")
    got = members.set_index("opinion_id")["item"]
    ids = frame["opinion_id"].to_numpy()
    assert pd.crosstab(got[ids[idx]].to_numpy(), labels).astype(bool).sum(axis=1).eq(1).all()
    assert pd.crosstab(labels, got[ids[idx]].to_numpy()).astype(bool).sum(axis=1).eq(1).all()
    assert (~items["request"]).sum() == (~requests).sum()
    monkeypatch.setattr(cons, "AREA_AT_ONCE", 0)
    _, by_wards_members = cons.consolidate(yr.opinions, yr.features, yr.places,
                                           scope="area")
    assert sorted(by_wards_members["opinion_id"]) == sorted(ids)
    lamps = {got[i] for i in ("o00", "o01", "o02", "o08")}
    assert len(lamps) == 1  # the lamp raised in two wards: one item either way
    assert by_wards_members.set_index("opinion_id")["item"][["o00", "o08"]].nunique() == 1


def test_sentences_and_the_members_one_click_away_are_escaped():
    bad = ("00271", 11, "ha_tang",
           "<script>alert(1)</script> Đèn chiếu sáng ngõ 20 Thanh Nhàn hỏng, đề nghị sửa.")
    frame = _frame([*ROWS, bad])
    items, members = _consolidate(frame)
    items = items.assign(group_list=[item_names.group_list(g, {}) for g in items["groups"]],
                         ward_name="Thanh Nhàn",
                         reason=[cons.item_reason(r) for _, r in items.iterrows()])
    first = worklist.request_sentences(items, n=1, redact=False)[0]
    assert first.startswith("4 tổ dân phố (TDP 3, 5, 9, 11) đề nghị: ")
    members = members.assign(group_label=[cons.group_label(g) for g in members["group_code"]],
                             text=members["opinion_id"].map(frame.set_index("opinion_id")["text"]))
    html = worklist.items_html(items, members, n=2)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<details") == 2 and "TDP 11" in html


def test_group_labels():
    assert cons.group_label("00241-TDP03") == "3"
    assert cons.group_label("x", "Tổ dân phố số 12") == "12"
    assert cons.group_label("00241-TDP07A") == "7A"
    assert cons.group_label("Khu A") == "Khu A"


def test_pair_scores_by_hand():
    # true {a,b,c},{d}; predicted {a,b},{c,d}: true pairs ab ac bc; predicted ab cd
    s = pair_scores(["x", "x", "x", "y"], [1, 1, 2, 2])
    assert (s["precision"], s["recall"]) == (0.5, 1 / 3)
    # within blocks: only pairs of one block count
    s = pair_scores(["x", "x", "x", "x"], [1, 1, 1, 1], block=["w1", "w1", "w2", "w2"])
    assert s["pairs_true"] == 2 and s["f1"] == 1.0


# --- the bundled year -----------------------------------------------------------------------

@needs_bundled_data
def test_bundled_2023_gives_a_list_a_ward_officer_recognises():
    ds = hbt.load(2023)
    items = op.consolidated(ds, "00271")
    assert len(items) > 10
    top = items.iloc[0]
    assert top["request"] and top["n_groups"] >= 3 and top["key_terms"]
    members = items["members"].explode()
    group_ops = ds.opinions[(ds.opinions["ward_code"] == "00271")
                            & (ds.opinions["level"] == "to_dan_pho")]
    assert sorted(members) == sorted(group_ops["opinion_id"])  # every opinion, once
    area = op.consolidated(ds)
    assert area["n_opinions"].sum() == (ds.opinions["level"] == "to_dan_pho").sum()
    assert area["n_wards"].max() > 5
    sentences = op.request_sentences(area, 3)
    assert all("tổ dân phố" in s and "đề nghị" in s for s in sentences)


@needs_bundled_data
def test_the_year_is_consolidated_once_for_every_scope(monkeypatch):
    from hbt_analysis.opinions import yearly

    monkeypatch.setenv("HBT_NO_DISK_CACHE", "1")  # in this process: not read back from disk
    yearly._YEARS.clear()
    calls = []
    fit = sim.RequestVectorizer._fit  # fit and fit_transform both fit through it
    monkeypatch.setattr(sim.RequestVectorizer, "_fit",
                        lambda self, texts: calls.append(1) or fit(self, texts))
    made = []
    real = cons.consolidate
    monkeypatch.setattr(yearly, "consolidate", lambda *a, **k: made.append(a[-1]) or real(*a,
                                                                                        **k))
    ds = hbt.load(2023)
    for ward in ("00241", "00271", "00286"):
        op.consolidated(ds, ward)
    op.consolidated(hbt.load(2023), "00244")  # the same year loaded again
    op.consolidated(ds)
    assert len(calls) == 1
    assert made == ["ward", "area"]
    yearly._YEARS.clear()


def test_scorer_on_a_small_labelled_folder(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    rows = [{"id": f"O{i}", "ward_code": r[0], "group": f"TDP {r[1]}", "text": r[3],
             "cluster": "K1" if i < 3 else "K2" if i < 5 else f"K{i}", "topic": r[2],
             "answerer": "phuong"} for i, r in enumerate(ROWS)]
    (tmp_path / "clusters.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    (tmp_path / "ward_links.jsonl").write_text(json.dumps(
        {"id": "W1", "ward_code": "00271", "level": "phuong", "sources": ["O0", "O1", "O2"],
         "text": "Các tổ 3, 5, 9 đề nghị sửa đèn chiếu sáng trong ngõ bị hỏng."},
        ensure_ascii=False), encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, str(root / "benchmarks" / "bench_consolidation.py"),
                           str(tmp_path), "--no-write"], capture_output=True, text=True,
                          cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "consolidation, area: P 1.000 R 1.000" in proc.stdout
    assert "ward links: P 1.000 R 1.000" in proc.stdout
    missing = subprocess.run([sys.executable, str(root / "benchmarks" /
                                                  "bench_consolidation.py"),
                              str(tmp_path / "nowhere")], capture_output=True, text=True)
    assert missing.returncode == 2 and "clusters.jsonl" in missing.stderr


def test_repeat_pairs_scored_as_raised_again_scores_them(tmp_path):
    """The repeat pairs' similarities (what the scorer and benchmarks/repeat_threshold.py
    use): last year's same request above the threshold, a different request below it."""
    import subprocess
    import sys
    from pathlib import Path

    from hbt_analysis.opinions.evaluate import (
        labelled_year,
        read_jsonl,
        repeat_pair_similarities,
    )
    from hbt_analysis.opinions.repeats import DEFAULT_REPEAT_THRESHOLD

    rows = [{"id": f"O{i}", "ward_code": r[0], "group": f"TDP {r[1]}", "text": r[3],
             "cluster": "K1" if i < 3 else "K2" if i < 5 else f"K{i}", "topic": r[2],
             "answerer": "phuong"} for i, r in enumerate(ROWS)]
    (tmp_path / "clusters.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    pairs = [
        {"id": "P1", "ward_code": "00271", "group": "TDP 3", "prev_id": "L1",
         "prev_text": "Đề nghị sửa đèn chiếu sáng ngõ 281 Trần Khát Chân bị hỏng.",
         "status": "resolved", "this_id": "O0", "this_text": ROWS[0][3], "same_request": True},
        {"id": "P2", "ward_code": "00271", "group": "TDP 3", "prev_id": "L2",
         "prev_text": "Đề nghị hỗ trợ hộ nghèo tiền điện, tiền nước.",
         "status": "resolved", "this_id": "O0", "this_text": ROWS[0][3],
         "same_request": False},
    ]
    (tmp_path / "repeat_pairs.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in pairs), encoding="utf-8")
    _, _, _, yr = labelled_year(tmp_path)
    sims = repeat_pair_similarities(read_jsonl(tmp_path / "repeat_pairs.jsonl"), yr)
    assert sims[0] >= DEFAULT_REPEAT_THRESHOLD > sims[1]
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, str(root / "benchmarks" / "repeat_threshold.py"),
                           str(tmp_path)], capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    grid = [float(v) for v in lines[0].split()[1:]]
    mean = lines[-1].split()
    assert mean[0] == "mean"
    expected = [(int(sims[0] >= t) + int(sims[1] < t)) / 2 for t in grid]
    assert [float(v) for v in mean[1:]] == pytest.approx(expected, abs=0.001)


def test_agreement_of_two_annotators_on_a_small_folder(tmp_path):
    """bench_agreement.py compares a second annotator with the author (and the machine with
    both); an annotator who merges two of the author's clusters has precision 4 of 10 pairs."""
    import subprocess
    import sys
    from pathlib import Path

    rows = [{"id": f"O{i}", "ward_code": r[0], "group": f"TDP {r[1]}", "text": r[3],
             "cluster": "K1" if i < 3 else "K2" if i < 5 else f"K{i}", "topic": r[2],
             "answerer": "phuong"} for i, r in enumerate(ROWS)]
    (tmp_path / "clusters.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    relabel = tmp_path / "relabel.jsonl"
    relabel.write_text("\n".join(json.dumps({"id": r["id"], "cluster": "A" if i < 5 else r["id"]})
                                 for i, r in enumerate(rows)), encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    script = str(root / "benchmarks" / "bench_agreement.py")
    proc = subprocess.run([sys.executable, script, str(tmp_path), str(relabel)],
                          capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "annotator vs author    area: P 0.400 R 1.000" in proc.stdout
    relabel.write_text(json.dumps({"id": "O0", "cluster": "A"}), encoding="utf-8")
    short = subprocess.run([sys.executable, script, str(tmp_path), str(relabel)],
                           capture_output=True, text=True, cwd=root)
    assert short.returncode == 1 and "missing" in short.stderr


def test_the_request_vocabulary_file_is_consistent():
    """resources/request_synonyms.yaml, checked like topics.yaml: each phrase in one group,
    group names written as tokens, and every phrase read back as its own group."""
    from importlib import resources

    import yaml

    raw = resources.files("hbt_analysis").joinpath("resources", "request_synonyms.yaml")
    data = yaml.safe_load(raw.read_text("utf-8"))
    owner: dict[str, str] = {}
    named = [(n, p) for sec in ("objects", "actions") for n, p in data[sec].items()]
    named += [(str(g[0]), g) for g in data["groups"]]
    for name, phrases in named:
        assert phrases, name
        for p in phrases:
            key = normalize(str(p)).lower()
            assert owner.setdefault(key, name) == name, (p, name, owner[key])
    kinds = sim._synonyms().kind
    for name in data["objects"]:
        assert kinds[name] == "object" and " " not in name
        first = data["objects"][name][0]
        assert name in sim.request_concepts(f"Đề nghị xử lý {first} ở tổ 3.").objects
    for name in data["actions"]:
        assert kinds[name] == "action"


@needs_bundled_data
def test_a_large_area_is_merged_within_each_topic(monkeypatch):
    """Above SPLIT_ABOVE items (a city), the area's items are merged within each topic:
    never across topics, and within a topic exactly as the whole clustering would."""
    from hbt_analysis.opinions import yearly

    ds = hbt.load(2023)
    year = yearly.year_requests(ds)
    features, places = year.features, year.places
    topics = list(year.opinions["topic_primary"])
    dense, _ = cons.cluster(features, places, cons.DEFAULT_THRESHOLD, topics)
    assert (cons.cluster_large(features, places, cons.DEFAULT_THRESHOLD, topics)
            == dense).all()  # below the size: the same call
    monkeypatch.setattr(cons, "SPLIT_ABOVE", 50)
    split = cons.cluster_large(features, places, cons.DEFAULT_THRESHOLD, topics)
    codes = pd.Series(topics)
    assert (pd.Series(split).groupby(split).apply(lambda g: codes[g.index].nunique()) == 1).all()
    one = codes[codes == "moi_truong"].index.to_numpy()
    alone, _ = cons.cluster(features[one], [places[i] for i in one], cons.DEFAULT_THRESHOLD,
                            [topics[i] for i in one])
    got = split[one]
    # the same partition of that topic's rows (labels renumbered)
    assert pd.crosstab(got, alone).astype(bool).sum(axis=1).eq(1).all()
    assert pd.crosstab(alone, got).astype(bool).sum(axis=1).eq(1).all()
    yearly._YEARS.clear()
    monkeypatch.setattr(cons, "SPLIT_ABOVE", 10)
    area = op.consolidated(ds)
    yearly._YEARS.clear()
    assert area["n_opinions"].sum() == (ds.opinions["level"] == "to_dan_pho").sum()


@needs_bundled_data
def test_fit_transform_counts_once_and_equals_fit_then_transform():
    texts = hbt.load(2023).opinions["text"].fillna("").astype(str).tolist()
    once = sim.RequestVectorizer().fit_transform(texts)
    twice = sim.RequestVectorizer().fit(texts).transform(texts)
    assert once.shape == twice.shape
    assert abs(once - twice).max() < 1e-12
    assert sim.RequestVectorizer().fit_transform([]).shape[0] == 0


@needs_bundled_data
def test_large_merged_items_are_scored_without_the_place_check(monkeypatch):
    """Items merged across wards above LARGE_ITEM members skip the pair-by-pair place check
    (a city's items): the same items, every opinion still in exactly one of them."""
    from hbt_analysis.opinions import yearly

    ds = hbt.load(2023)
    yearly._YEARS.clear()
    before = op.consolidated(ds)
    yearly._YEARS.clear()
    monkeypatch.setattr(cons, "LARGE_ITEM", 1)
    after = op.consolidated(ds)
    yearly._YEARS.clear()
    assert after["n_opinions"].sum() == (ds.opinions["level"] == "to_dan_pho").sum()
    assert sorted(after["members"].explode()) == sorted(before["members"].explode())
    assert (after["n_opinions"].sort_values().to_numpy()
            == before["n_opinions"].sort_values().to_numpy()).all()  # same grouping


@needs_bundled_data
def test_members_carry_their_similarity_to_the_representative():
    """consolidated_members computes every member's similarity at once: each equals the dot
    product of its TF-IDF row with its item's representative's (1 for the representative)."""
    from hbt_analysis.opinions import yearly

    ds = hbt.load(2023)
    items = op.consolidated(ds, "00271")
    members = op.consolidated_members(ds, items, redact=True, verbatim=True)
    assert len(members) == items["n_opinions"].sum()
    yr = yearly.year_requests(ds)
    pos = {oid: i for i, oid in enumerate(yr.opinions["opinion_id"])}
    reps = dict(zip(items["item"], items["opinion_id"], strict=True))
    for r in members.sample(40, random_state=1).itertuples():
        i, j = pos[r.opinion_id], pos[reps[r.item]]
        expected = float((yr.features[i] @ yr.features[j].T).toarray()[0, 0])
        assert abs(r.similarity - expected) < 1e-12
    assert (members.loc[members["representative"], "similarity"] > 0.999).all()
    assert list(members.columns) == ["item", "opinion_id", "ward_code", "group_code",
                                     "group_label", "similarity", "representative", "text",
                                     "ward_name"]


@needs_bundled_data
def test_a_page_lists_at_most_per_item_members_and_says_how_many_more():
    """A city's top items gather hundreds of opinions: the page lists the representative and
    the first others, redacts only those, and says how many more there are."""
    ds = hbt.load(2023)
    items = op.consolidated(ds).head(3)  # the district's largest items
    assert (items["n_opinions"] > 3).all()
    members = op.consolidated_members(ds, items, redact=True, verbatim=True, per_item=3)
    assert (members.groupby("item").size() == 3).all()
    assert members.groupby("item")["representative"].first().all()  # representative first
    page = str(op.items_html(items, members, n=3))
    for n in items["n_opinions"]:
        assert f"… và {n - 3:,} ý kiến khác của kiến nghị này".replace(",", ".") in page
    full = str(op.items_html(items, op.consolidated_members(ds, items), n=3))
    assert "ý kiến khác của kiến nghị này" not in full


def test_where_a_routine_request_is_raised_does_not_set_it_apart():
    # across wards places always differ: the labelled sets put one request raised in
    # different alleys in one cluster, so different places cost nothing; the same place helps
    texts = ["Nắp hố ga ngõ 46 Lò Đúc bị vỡ, đề nghị thay mới.",
             "Nắp hố ga ngõ 107 Bạch Mai bị vỡ, đề nghị thay mới.",
             "Nắp hố ga ngõ 46 Lò Đúc bị vỡ, đề nghị thay nắp mới."]
    vec = sim.RequestVectorizer()
    features = vec.fit_transform(texts)
    places = [sim.find_places(t) for t in texts]
    with_places = sim.pair_similarity(features, places)
    without = sim.pair_similarity(features, [()] * len(texts))
    assert sim.place_relation(places[0], places[1])[0] == "different"
    assert with_places[0, 1] == pytest.approx(without[0, 1])
    assert with_places[0, 2] > without[0, 2]


def test_gambling_is_an_object_and_its_unaccented_lookalikes_are_not():
    assert sim.request_concepts("Lô đề, cờ bạc tái diễn ở khu chợ cóc.").objects >= {"co_bac"}
    assert "co_bac" not in sim.request_concepts("co bac trong to de nghi sua den").objects
    assert "den_tin_hieu" not in sim.request_concepts("di den do thi thay ngo toi").objects
    assert sim.request_concepts("Nút giao đèn đỏ quá lâu.").objects == {"den_tin_hieu"}


def test_the_representative_is_the_most_central_member():
    """The most typical member (tests/test_represent.py: which member speaks for an item
    raised at several sites)."""
    import numpy as np

    from hbt_analysis.opinions.represent import representative

    texts = ["Ngõ 46 Lò Đúc ngập sâu, đề nghị nạo vét cống.",
             "Mưa lớn là ngập, đề nghị nạo vét cống trước mùa mưa.",
             "Phố Huế ngập, đề nghị nạo vét."]
    sim = np.array([[1.0, 0.80, 0.80], [0.80, 1.0, 0.70], [0.80, 0.70, 1.0]])
    assert representative(sim, np.arange(3), texts) == 0
    plain = ["ngo 46 lo duc ngap sau, de nghi nao vet cong", *texts[1:]]
    # written without accents: quoted only if clearly more central; a tie goes to the shorter
    assert representative(sim, np.arange(3), plain) == 2
