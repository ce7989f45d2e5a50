"""The list that gets acted on, after consolidation: who must answer (routing.yaml), group
level → ward level, raised again; checked on hand-made opinions, then on the bundled years
against what the generator knows (its truth records each ward-level opinion's sources and the
earlier opinion each one repeats)."""

from __future__ import annotations

import functools

import pandas as pd
import pytest

import hbt_analysis as hbt
from hbt_analysis import opinions as op
from hbt_analysis import synth
from hbt_analysis.opinions.routing import (
    Router,
    RoutingError,
    route_counts,
    route_opinions,
    routing_agreement,
    routing_sentence,
)
from hbt_analysis.text import normalize
from tests.conftest import needs_bundled_data

# --- who must answer ----------------------------------------------------------------------


def _route(text: str, router: Router | None = None) -> tuple[str, str]:
    row = route_opinions(pd.DataFrame({"text": [text]}), router).iloc[0]
    return row["route"], row["route_level"]


@pytest.mark.parametrize("text, route, level", [
    ("Cống thoát nước ngõ 12 Lò Đúc bị tắc, mưa là ngập.", "thoat_nuoc", "nganh"),
    ("cong thoat nuoc ngo 12 Lo Duc bi tac, mua la ngap", "thoat_nuoc", "nganh"),
    # "công" (public) is not "cống" (a drain) when the text has its accents
    ("Đề nghị công khai quy hoạch khu đất công cạnh đình.", "quan_tp", "quan_tp"),
    ("Mất điện nhiều giờ không báo trước, đề nghị Điện lực thông báo lịch cắt điện.",
     "dien_luc", "nganh"),
    ("Hàng rong, chợ cóc lấn chiếm vỉa hè phố Vọng.", "phuong", "phuong"),
    ("Đèn đường trong ngõ 55 không sáng, đề nghị thay bóng.", "cay_xanh", "nganh"),
    ("Nhà văn hóa tổ chật, đề nghị quận đầu tư cải tạo, nâng cấp theo dự án.", "quan_tp",
     "quan_tp"),
    # the object asked about says who answers, whoever the text addresses (objects: in
    # routing.yaml)
    ("Đề nghị UBND phường sớm có phương án xử lý tình trạng nước chảy yếu ở tầng 4, 5.",
     "cap_nuoc", "nganh"),
    ("Đề nghị phường đôn đốc thay nắp hố ga bị vỡ đầu ngõ 218 Lạc Trung.", "thoat_nuoc",
     "nganh"),
    ("Kiến nghị phường sớm chia tách phường vì dân số quá đông.", "quan_tp", "quan_tp"),
])
def test_each_opinion_goes_to_who_must_answer(text, route, level):
    assert _route(text) == (route, level)


def test_staff_wins_and_agreement_is_reported():
    frame = pd.DataFrame({
        "ward_code": ["00271"] * 4,
        "text": ["Mất điện nhiều giờ, đề nghị điện lực kiểm tra trạm biến áp.",
                 "Hàng rong lấn chiếm vỉa hè phố Thanh Nhàn.",
                 "Hàng rong lấn chiếm vỉa hè ngõ 42 Thanh Nhàn.",
                 "Đề nghị đẩy nhanh giải phóng mặt bằng dự án ngõ 460."],
        "addressed_to": [None, "UBND phường Thanh Nhàn", "UBND quận", "  "],
    })
    routed = route_opinions(frame)
    assert routed["route_source"].tolist() == ["rules", "staff", "staff", "rules"]
    assert routed["route"].tolist() == ["dien_luc", "phuong", "quan_tp", "quan_tp"]
    assert routed["route_rules_level"].tolist()[2] == "phuong"  # the rules' answer is kept
    agree = routing_agreement(routed)
    assert agree.iloc[-1][["n", "agree"]].tolist() == [2, 1]
    assert agree.set_index("level").loc["quan_tp", "share"] == 0.0
    sentence = routing_sentence(routed)
    assert "2 ý kiến đã có cấp giải quyết do cán bộ ghi" in sentence and "50,0%" in sentence


def test_counts_by_level_per_ward_list_every_ward():
    frame = pd.DataFrame({"ward_code": ["00271", "00271", "00241"],
                          "text": ["Mất điện cả ngày.", "Chợ cóc trên phố Vọng.", "Chợ cóc."]})
    wards = pd.DataFrame({"ward_code": ["00241", "00271", "00286"],
                          "ward_name": ["Nguyễn Du", "Thanh Nhàn", "Bạch Mai"]})
    table = route_counts(route_opinions(frame), wards).set_index("ward_code")
    assert table.loc["00271", "Phường"] == 1 and table.loc["00271", "Ngành, đơn vị chuyên môn"] == 1
    assert table.loc["00286", "total"] == 0 and table["total"].sum() == 3


def test_the_table_is_editable_and_checked(tmp_path):
    from importlib import resources

    import yaml

    data = yaml.safe_load(resources.files("hbt_analysis").joinpath(
        "resources", "routing.yaml").read_text("utf-8"))
    data["levels"][0]["phrases"].append("chợ cóc trong ngõ")  # the group settles it
    path = tmp_path / "routing.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert _route("Chợ cóc trong ngõ 5 họp từ sáng sớm.", Router(path))[1] == "to_dan_pho"
    data["objects"]["nap_ho_ga"] = "to_dan_pho"  # an object's answerer is edited the same way
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert _route("Nắp hố ga đầu ngõ bị mất.", Router(path))[0] == "to_dan_pho"
    data["objects"]["nap_ho_ga"] = "cong_ty_ma"
    data["levels"][1]["code"] = "xa"
    data["topic_levels"]["khac"] = "huyen"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RoutingError) as err:
        Router(path)
    message = str(err.value)
    assert str(path) in message and "'xa'" in message and "huyen" in message  # all at once
    assert "objects.nap_ho_ga" in message and "cong_ty_ma" in message


# --- the bundled years against the generator's truth -------------------------------------

@functools.cache
def _truth(year: int) -> pd.DataFrame:
    """The generator's truth for a bundled year, after checking the bundled texts are the
    ones it makes (so its truth applies to them)."""
    made = synth.generate(year, with_truth=True)
    ds = hbt.load(year)
    texts = made["opinions"].set_index("opinion_id")["text"].map(normalize)
    bundled = ds.opinions.set_index("opinion_id")["text"].map(normalize)
    assert texts.reindex(bundled.index).equals(bundled), "data/ is not what hbt synth makes"
    return made["opinions_truth"].set_index("opinion_id")


@pytest.mark.slow
@needs_bundled_data
def test_each_2023_ward_level_opinion_links_to_its_group_level_sources():
    truth = _truth(2023)
    ds = hbt.load(2023)
    ward_ops = ds.opinions[ds.opinions["level"] == "phuong"]["opinion_id"]
    sources = {w: set(filter(None, truth.at[w, "sources"].split(";"))) for w in ward_ops}
    assert all(sources.values())  # the generator makes every link knowable
    links = op.links_table(ds, verbatim=False)
    got = set(zip(links["ward_opinion_id"], links["opinion_id"], strict=True))
    gold = {(w, s) for w, ss in sources.items() for s in ss}
    found = sum(any((w, s) in got for s in ss) for w, ss in sources.items())
    best = links[links["rank"] == 1]
    best_right = sum((w, o) in gold for w, o in zip(best["ward_opinion_id"], best["opinion_id"],
                                                    strict=True))
    # measured when written: 55 of 59 ward opinions found a source; the best link is a true
    # source for 48 of 57; 84% of the true links found, 65% of the links true (the others
    # are mostly the same request raised at another place of the ward). Session 18, after
    # the request vocabulary was widened from three independent labelled sets (where links
    # are P 0,93 / R 0,88 on the untouched one): 54 of 59 found, the best link a true source
    # for 45 of 57 — the others the same request as another group of the ward put it (the
    # ward asks to retime a junction's lights, a group at another junction asked just that).
    assert found >= 0.9 * len(sources)
    assert best_right >= 0.75 * len(best)
    assert len(gold & got) >= 0.8 * len(gold)
    assert set(links["group_code"]) <= set(ds.opinions["group_code"].dropna())
    assert (links["ward_code"] == links["opinion_id"].str[:5]).all()  # never another ward


@pytest.mark.slow
@needs_bundled_data
def test_2024_opinions_raised_again_are_found_with_last_years_status():
    truth = _truth(2024)
    ds = hbt.load(2024)
    repeats = op.year_repeats(ds).set_index("opinion_id")
    true = truth["repeat_of"].reindex(repeats.index).fillna("") != ""
    said = repeats["raised_before"]
    # measured when written: 72% of the 249 repeats found, 70% of those found are repeats
    assert said[true].mean() >= 0.65
    assert (said & true).sum() >= 0.6 * said.sum()
    earlier = pd.concat([hbt.load(y).opinions for y in (2022, 2023)]).set_index(
        ["year", "opinion_id"])["status"]
    found = repeats[said]
    assert (found["earlier_year"] < 2024).all()
    keys = list(zip(found["earlier_year"].astype(int), found["earlier_opinion_id"], strict=True))
    assert found["earlier_status"].fillna("").tolist() == earlier.reindex(keys).fillna("").tolist()
    assert (repeats["came_back"] == (said & (repeats["earlier_status"] == "resolved"))).all()
    sentence = op.repeats_summary_sentence(ds)
    assert f"{said.sum():,}".replace(",", ".") in sentence and "2024" in sentence


@needs_bundled_data
def test_the_brief_bullets_lead_with_requests_then_who_answers_then_what_came_back():
    ds = hbt.load(2023)
    bullets = op.worklist_bullets(ds, "00271").splitlines()
    assert len(bullets) == 3 and all(b.startswith("- ") for b in bullets)
    assert "tổ dân phố" in bullets[0] and "đề nghị" in bullets[0]
    assert bullets[1].startswith("- Theo cấp phải giải quyết")
    assert "2022" in bullets[2]
    first_year = op.worklist_bullets(hbt.load(2022), "00271").splitlines()
    assert "không có năm nào trước năm 2022" in first_year[2]


@needs_bundled_data
def test_unreached_requests_were_carried_by_no_ward_level_opinion():
    ds = hbt.load(2023)
    reach = op.reach_table(ds)
    carried = set(op.links_table(ds, verbatim=False)["opinion_id"])
    for members, reached in zip(reach["members"], reach["reached"], strict=True):
        assert reached == bool(set(members) & carried)
    table = op.unreached_table(ds, n=None, verbatim=False)
    many = reach[reach["request"] & ~reach["reached"] & (reach["n_groups"] >= 2)]
    assert len(table) == len(many) > 0
    assert op.reach_summary_sentence(ds).endswith(
        f"{len(many)} kiến nghị chưa được đưa lên hội nghị phường.")


@needs_bundled_data
def test_who_must_answer_per_ward_and_agreement_with_staff_on_the_bundled_year():
    ds = hbt.load(2023)
    table = op.routes_by_ward(ds)
    assert table["Phường"].tolist() == ds.wards["ward_name"].tolist()
    levels = ["Cấp tổ dân phố", "Cấp phường", "Cấp quận, thành phố", "Ngành, đơn vị chuyên môn"]
    assert (table[levels].sum(axis=1) == table["Tổng"]).all()
    assert table["Tổng"].sum() == len(ds.opinions)
    agree = op.routing_agreement_table(ds).set_index("Cấp do cán bộ ghi")
    recorded = int(ds.opinions["addressed_to"].notna().sum())
    assert agree.at["Tất cả", "Số ý kiến"] == f"{recorded:,}".replace(",", ".")
    routed = op.routes(ds)
    staff = routed[routed["route_source"] == "staff"]
    assert len(staff) == ds.opinions["addressed_to"].notna().sum()
    assert staff["route_level"].isin(["to_dan_pho", "phuong", "quan_tp"]).all()


def test_the_leaders_routing_sentence_has_no_agreement_figure():
    """How often the routing table agrees with staff measures the tool: the analyst's cell
    (routing_agreement_table) shows it, the leader's sentence gives the counts only."""
    import hbt_analysis as hbt
    from hbt_analysis import opinions as op

    ds = hbt.load(2023)
    leader = op.routing_summary_sentence(ds)
    assert leader.startswith("Theo cấp phải giải quyết: ") and "%" not in leader
    analyst = routing_sentence(op.routes(ds))
    assert "bảng phân cấp cho cùng kết quả ở" in analyst
    assert len(op.routing_agreement_table(ds))
