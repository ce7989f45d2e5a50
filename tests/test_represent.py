"""The wording a leader reads for a consolidated item (opinions/represent.py): a request
raised by several groups at different places never reads as a request about one group's
street. Hand-made items a ward officer would word, run through the real consolidation
(features, places, clustering), then the bundled year's items and the sentences shown."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import hbt_analysis as hbt
from hbt_analysis import opinions as op
from hbt_analysis.opinions import represent
from hbt_analysis.opinions.display import request_wording, shorten
from hbt_analysis.opinions.similarity import find_places
from hbt_analysis.opinions.yearly import YearRequests, places_of
from hbt_analysis.text import normalize
from tests.conftest import needs_bundled_data
from tests.test_consolidation import _frame


def _items(rows, scope="area"):
    frame = _frame(rows)
    items, _ = YearRequests(frame, 2023).items(scope)
    texts = dict(zip(frame["opinion_id"], frame["text"], strict=True))
    return items, texts


def _item_of(items: pd.DataFrame, opinion_id: str) -> pd.Series:
    return items[items["members"].map(lambda m: opinion_id in m)].iloc[0]


# cars parked across alleys, raised in four groups of three wards, each about its own alley;
# the fourth says it without a place
PARKING = [
    ("00286", 3, "giao_thong", "Ô tô đỗ chắn lối đi ở ngõ 91 Bạch Mai, đề nghị kẻ vạch cấm "
                               "dừng đỗ."),
    ("00271", 5, "giao_thong", "Ô tô đỗ chắn lối đi trong ngõ 95 Thanh Nhàn, đề nghị phường "
                               "kẻ vạch cấm dừng đỗ."),
    ("00283", 2, "giao_thong", "Ô tô đỗ chắn lối đi ngõ 12 Vĩnh Tuy, đề nghị kẻ vạch cấm đỗ xe."),
    ("00283", 7, "giao_thong", "Ô tô đỗ chắn lối đi trong ngõ, đề nghị phường kẻ vạch cấm "
                               "dừng đỗ."),
]


def test_an_item_raised_at_several_sites_is_worded_by_a_member_naming_none():
    items, _ = _items(PARKING)
    item = _item_of(items, "o00")
    assert item["n_groups"] == 4 and item["n_wards"] == 3
    assert item["opinion_id"] == "o03"  # "trong ngõ": no site
    assert not item["example"]
    assert not find_places(normalize(item["text"]))


def test_when_every_member_names_its_own_site_one_is_quoted_as_an_example():
    items, texts = _items(PARKING[:3])
    item = _item_of(items, "o00")
    assert item["n_groups"] == 3
    assert bool(item["example"])
    assert item["text"] in texts.values()  # a member's own words, never composed


def test_one_group_or_one_site_keeps_its_site():
    one_group = [("00286", 3, "giao_thong", PARKING[0][3]),
                 ("00286", 3, "giao_thong", "Ô tô đỗ chắn lối đi ở ngõ 91 Bạch Mai cả ngày, "
                                            "đề nghị kẻ vạch cấm dừng đỗ.")]
    items, _ = _items(one_group, scope="ward")
    assert not items["example"].any()
    assert all(find_places(normalize(t)) for t in items["text"])
    market = [  # three groups, one market: the market is the request
        ("00286", 3, "moi_truong", "Rác của chợ Mơ chảy ra đường, đề nghị ban quản lý chợ "
                                   "thu gom."),
        ("00286", 4, "moi_truong", "Chợ Mơ để rác tràn ra lòng đường, đề nghị thu gom rác "
                                   "chợ."),
        ("00289", 1, "moi_truong", "Rác chợ Mơ bốc mùi, đề nghị ban quản lý chợ thu gom."),
        ("00289", 2, "moi_truong", "Rác bốc mùi, đề nghị ban quản lý chợ thu gom."),
    ]
    items, _ = _items(market)
    item = _item_of(items, "o00")
    assert item["n_groups"] >= 3 and not item["example"]
    assert "chợ Mơ" in item["text"] or "Chợ Mơ" in item["text"]


def test_a_site_the_patterns_miss_but_the_year_names_still_counts_as_a_site():
    """'nút Trương Định – Tam Trinh' is no junction to the patterns ('nút giao' is), but
    other opinions of the year name phố Trương Định: that member is not taken for one that
    names no site."""
    lights = [
        ("00298", 1, "giao_thong", "Nút giao Kim Ngưu – Vĩnh Tuy chưa có đèn tín hiệu, đề "
                                   "nghị lắp đèn tín hiệu."),
        ("00298", 4, "giao_thong", "Thiếu đèn tín hiệu ở nút Trương Định – Tam Trinh, đề nghị "
                                   "lắp đèn tín hiệu giao thông."),
        ("00286", 2, "giao_thong", "Phố Trương Định đông xe, ngã tư Trương Định – Đại La chưa "
                                   "có đèn tín hiệu, đề nghị lắp đèn."),
    ]
    frame = _frame(lights)
    places = [places_of(t) for t in frame["text"]]
    names = represent.site_names(places)
    assert "truong dinh" in names
    assert not places[1] and represent.names_a_site(lights[1][3], places[1], names)
    items, _ = _items(lights)
    item = _item_of(items, "o00")
    assert item["n_groups"] == 3 and bool(item["example"])


def test_a_placeless_member_on_the_items_edge_does_not_speak_for_it():
    sim = np.array([[1.0, 0.8, 0.8, 0.2], [0.8, 1.0, 0.7, 0.2], [0.8, 0.7, 1.0, 0.2],
                    [0.2, 0.2, 0.2, 1.0]])
    texts = ["Ngõ 46 Lò Đúc ngập sâu, đề nghị nạo vét cống.",
             "Phố Huế ngập, đề nghị nạo vét cống.",
             "Ngõ 12 Vân Đồn ngập, đề nghị nạo vét.",
             "Đề nghị quan tâm."]
    places = [find_places(normalize(t)) for t in texts]
    groups = ["a-1", "b-2", "c-3", "d-4"]
    choice = represent.choose(sim, texts, places, groups)
    assert choice == represent.Choice(0, example=True)
    near = sim.copy()
    near[3, :3] = near[:3, 3] = 0.6  # now typical enough
    assert represent.choose(near, texts, places, groups) == represent.Choice(3)
    assert represent.choose(sim, texts[:1], places[:1], groups[:1]) == represent.Choice(0)


def test_an_example_reads_as_one_groups_words():
    assert request_wording("Đèn ngõ 46 hỏng.") == "Đèn ngõ 46 hỏng."
    cell = request_wording("Đèn ngõ 46 hỏng.", "TDP 3 (Bạch Mai)")
    assert cell == "Ví dụ, TDP 3 (Bạch Mai): “Đèn ngõ 46 hỏng.”"
    line = request_wording("Đèn ngõ 46 hỏng.", "TDP 3", sentence=True)
    assert line.startswith("đề nghị cùng một việc, mỗi tổ ở địa bàn của mình. Ví dụ, TDP 3")
    cut = shorten("12 tổ dân phố " + line + " " + "rất lâu " * 30, 80)
    assert cut.count("“") == cut.count("”")  # a cut quote is closed


@needs_bundled_data
def test_the_bundled_years_items_never_quote_one_groups_site_as_the_request():
    """2023 across the district: every request raised by several groups at different sites
    is worded by a member naming no site, or shown as an example; the items that quoted
    'ngõ số 91 Bạch Mai' and 'đường Trần Đại Nghĩa' for dozens of groups no longer do."""
    ds = hbt.load(2023)
    items = op.consolidated(ds)
    yr = op.yearly.year_requests(ds)
    places = dict(zip(yr.opinions["opinion_id"], yr.places, strict=True))
    names = represent.site_names(yr.places)
    several = items[items["request"] & (items["n_groups"] > 1)]
    checked = examples = 0
    for _, item in several.iterrows():
        member_places = [places[m] for m in item["members"]]
        if represent.one_site(member_places):
            continue
        checked += 1
        named = represent.names_a_site(item["text"], places[item["opinion_id"]], names)
        assert not named or item["example"], item["text"]
        examples += bool(item["example"])
        assert bool(item["example"]) == bool(item["example_of"])
    assert checked >= 20 and 0 < examples < checked
    for site in ("ngõ số 91 Bạch Mai", "đường Trần Đại Nghĩa"):
        quoting = items[items["text"].str.contains(site, regex=False)
                        & (items["n_groups"] > 5)]
        assert quoting["example"].all(), site
    sentences = op.request_sentences(items, len(items))
    shown = items[items["request"]]
    for sentence, (_, item) in zip(sentences, shown.iterrows(), strict=True):
        assert ("Ví dụ, TDP " in sentence) == bool(item["example"])
    table = op.requests_table(items, None)
    assert table.iloc[:, 1].str.startswith("Ví dụ, TDP ").sum() == int(
        items["example"].sum())
    top = items.head(10)
    page = str(op.items_html(top, op.consolidated_members(ds, top), n=10))
    summaries = re.findall(r"<summary>(.*?)</summary>", page)
    assert len(summaries) == 10
    for summary, (_, item) in zip(summaries, top.iterrows(), strict=True):
        assert ("mỗi tổ ở địa bàn của mình. Ví dụ, TDP " in summary) == bool(item["example"])
        assert f"ở {item['n_wards']} phường (" in summary  # the wards once, with their groups
        assert item["ward_name"] not in summary  # not every ward's name again


def test_the_most_typical_wording_without_a_typo_is_preferred():
    sim = np.array([[1.0, 0.75, 0.65], [0.75, 1.0, 0.6], [0.65, 0.6, 1.0]])
    texts = ["Đề nghị kẻ vcạh qua đường trước cổng trường.",
             "Đề nghị kẻ vạch qua đường trước cổng trường.",
             "Đề nghị kẻ vạch cho học sinh qua đường."]
    assert represent.misspelt(texts[0]) and not represent.misspelt(texts[1])
    assert represent.representative(sim, np.arange(3), texts) == 1
    clear = np.array([[1.0, 0.9, 0.9], [0.9, 1.0, 0.5], [0.9, 0.5, 1.0]])
    assert represent.representative(clear, np.arange(3), texts) == 0  # clearly more typical


def test_the_wording_asks_about_what_most_members_name():
    """An item whose members mostly ask about drains is not worded by its most typical
    member when that one speaks of something else: the list line and its "why together"
    line (what at least half the members name) must speak of the same thing."""
    from hbt_analysis.opinions.request_words import request_concepts

    texts = ["Đề nghị sớm trả lời kiến nghị năm trước của tổ.",
             "Đề nghị nạo vét cống thoát nước trong ngõ trước mùa mưa.",
             "Cống rãnh ngõ 12 tắc, mưa là ngập, đề nghị thông cống.",
             "Đề nghị nạo vét rãnh thoát nước, cống bốc mùi."]
    objects = [frozenset(request_concepts(t).objects) for t in texts]
    assert represent.on_the_main_object(objects) == [1, 2, 3]
    sim = np.array([[1.0, 0.6, 0.6, 0.6], [0.6, 1.0, 0.5, 0.5],
                    [0.6, 0.5, 1.0, 0.4], [0.6, 0.5, 0.4, 1.0]])
    places = [find_places(t) for t in texts]
    groups = ["g1", "g1", "g1", "g1"]
    assert represent.choose(sim, texts, places, groups).index == 0  # most typical alone
    assert represent.choose(sim, texts, places, groups, objects=objects).index == 1
    # no object named by half the members: every member may word the item
    assert represent.on_the_main_object([frozenset({"a"}), frozenset({"b"}),
                                         frozenset()]) == [0, 1, 2]


@needs_bundled_data
@pytest.mark.parametrize("ward", ["00286", "00283"])
def test_a_wards_items_follow_the_same_rule(ward):
    ds = hbt.load(2023)
    items = op.consolidated(ds, ward)
    assert (items["ward_code"] == ward).all()
    single = items[items["n_groups"] <= 1]
    assert not single["example"].any()  # one group keeps its site
    shown = items[items["example"].astype(bool)]
    assert all(e.startswith("TDP ") and "(" not in e for e in shown["example_of"])


@needs_bundled_data
def test_a_bullet_shortens_the_quote_and_keeps_the_groups_whole():
    """The brief's top request: the groups and wards stay whole and an example keeps the
    beginning of what its group asks (cutting the whole sentence at 170 characters left
    "“Hội Người cao tuổi phản ánh đèn chiếu sáng ở đầu …”")."""
    ds = hbt.load(2023)
    items = op.consolidated(ds)
    full = op.request_sentences(items, len(items))
    short = op.request_sentences(items, len(items), text_limit=110)
    shown = items[items["request"]].reset_index(drop=True)
    for k, (long, cut) in enumerate(zip(full, short, strict=True)):
        head = long.split(": ", 1)[0] if not shown.loc[k, "example"] else long.split("“")[0]
        assert cut.startswith(head)  # the groups, the wards, the framing: whole
        quote = cut[len(head):]
        assert len(quote) <= 110 + 6
        assert quote.count("“") == quote.count("”")
    assert any(shown["example"]) and any(len(a) > len(b) for a, b in zip(full, short,
                                                                          strict=True))
