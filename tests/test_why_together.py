"""Why a consolidated request's opinions were put together, as a leader reads it: the request
they share in plain words ("Cùng đề nghị sửa chữa đèn chiếu sáng, cùng ở ngõ 46 Lò Đúc."),
never a similarity figure; the figure stays in the analyst's table of the notebook."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from hbt_analysis.opinions.display import request_names, why_together
from hbt_analysis.opinions.places import Place
from hbt_analysis.opinions.request_words import load_phrases_yaml
from hbt_analysis.opinions.yearly import places_of

#: A figure of how alike opinions are (0,62; 0.62) or the word for it.
FIGURE = re.compile(r"\d[,.]\d|tương đồng|similar", re.IGNORECASE)


def _reason(texts: list[str], **kw) -> str:
    return why_together(texts, [places_of(t) for t in texts], **kw)


def test_one_request_at_one_place_is_said_in_words() -> None:
    texts = ["Đèn chiếu sáng trong ngõ 46 Lò Đúc bị hỏng, đề nghị sửa chữa.",
             "Đề nghị thay bóng đèn đường ở ngõ 46 Lò Đúc.",
             "Cử tri đề nghị khắc phục đèn ngõ 46 phố Lò Đúc không sáng."]
    assert _reason(texts) == "Cùng đề nghị sửa chữa đèn chiếu sáng, cùng ở ngõ 46 Lò Đúc."


def test_the_same_request_at_different_places_names_no_place() -> None:
    texts = ["Đề nghị sửa đèn đường ngõ 12 Vân Đồn bị hỏng.",
             "Đèn chiếu sáng ở ngõ 5 Bạch Mai chập chờn, đề nghị thay bóng.",
             "Đề nghị khắc phục đèn ngõ không sáng ở tổ 9."]
    assert _reason(texts) == "Cùng đề nghị sửa chữa đèn chiếu sáng."


def test_an_object_without_a_shared_action_and_what_one_member_says_alone() -> None:
    texts = ["Chó thả rông không rọ mõm ở khu tập thể, đề nghị xử lý.",
             "Nhiều hộ thả rông chó, phóng uế bừa bãi.",
             "Đề nghị lắp camera an ninh đầu ngõ vì chó thả rông nhiều."]
    # camera and lắp mới are one member's only: not what the three share
    assert _reason(texts) == "Cùng nêu về chó thả rông."


def test_an_action_shared_by_several_objects_is_not_applied_to_each() -> None:
    """"lắp mới, bổ sung trộm cắp và camera an ninh" would install theft: where the members
    share several objects, the objects and the action are said apart."""
    texts = ["Trộm cắp xe máy nhiều, đề nghị lắp thêm camera an ninh trong ngõ.",
             "Mất trộm liên tục, đề nghị bổ sung camera an ninh đầu ngõ.",
             "Đề nghị lắp camera an ninh vì trộm cắp xe đạp điện."]
    assert _reason(texts) == ("Cùng nêu về camera an ninh và trộm cắp; "
                              "cùng đề nghị lắp mới, bổ sung.")
    assert _reason(texts, lang="en") == ("All are about security cameras and theft; "
                                         "all ask to install or add.")


def test_without_objects_the_shared_words_or_the_field() -> None:
    texts = ["Đề nghị tăng cường giao lưu giữa các thế hệ trong khu dân cư.",
             "Mong có thêm dịp giao lưu giữa các thế hệ."]
    assert why_together(texts, None, key_terms="giao lưu giữa các thế hệ") == \
        "Cùng nhắc tới “giao lưu giữa các thế hệ”."
    # single words say less than the field
    assert why_together(texts, None, key_terms="mặt, hỏng", topic="ha_tang") == \
        "Nội dung gần nhau, cùng lĩnh vực Hạ tầng đô thị."
    assert why_together(["Một ý kiến."]) == "Chỉ một ý kiến."


def test_a_place_that_would_show_personal_data_is_left_out() -> None:
    place = Place("landmark", "nha ong nguyen van an", "", "nhà ông Nguyễn Văn An")
    texts = ["Đề nghị sửa đèn chiếu sáng hỏng.", "Đề nghị sửa chữa đèn đường bị hỏng."]
    assert why_together(texts, [(place,), (place,)]) == "Cùng đề nghị sửa chữa đèn chiếu sáng."
    same = ["Liên hệ anh Tuấn 0912 345 678 để hỏi.", "Liên hệ anh Tuấn 0912 345 678 để hỏi."]
    assert why_together(same, None, key_terms="liên hệ anh Tuấn 0912 345 678",
                        topic="khac") == "Nội dung gần nhau, cùng lĩnh vực Khác."
    street = Place("street", "lo duc", "", "phố Lò Đúc")
    assert why_together(texts, [(street,), (street,)]).endswith(", cùng ở phố Lò Đúc.")


def test_every_object_and_action_of_the_vocabulary_has_a_name_and_no_name_is_stale() -> None:
    root = resources.files("hbt_analysis").joinpath("resources")
    vocab = load_phrases_yaml(root.joinpath("request_synonyms.yaml").read_text("utf-8"))
    given = load_phrases_yaml(root.joinpath("request_names.yaml").read_text("utf-8"))
    names = request_names()
    for section in ("objects", "actions"):
        families = set(vocab[section])
        assert set(given[section]) <= families, \
            f"request_names.yaml names {section} that are gone: {set(given[section]) - families}"
        assert set(names[section]) == families
        assert all(v.strip() and "_" not in v for v in names[section].values())
        english = given.get(section + "_en") or {}
        assert set(english) <= families, \
            f"request_names.yaml names {section}_en that are gone: {set(english) - families}"
        assert set(english) <= set(given[section])  # named in Vietnamese first
        assert all(v.strip() and v.isascii() for v in names[section + "_en"].values())


def test_the_english_pages_name_the_request_in_english() -> None:
    texts = ["Đèn chiếu sáng trong ngõ 46 Lò Đúc bị hỏng, đề nghị sửa chữa.",
             "Đề nghị thay bóng đèn đường ở ngõ 46 Lò Đúc.",
             "Cử tri đề nghị khắc phục đèn ngõ 46 phố Lò Đúc không sáng."]
    assert _reason(texts, lang="en") == "All ask to repair street lights, all at ngõ 46 Lò Đúc."
    two = ["Đề nghị sửa đèn chiếu sáng hỏng.", "Đề nghị sửa chữa đèn đường bị hỏng."]
    assert why_together(two, None, lang="en") == "Both ask to repair street lights."
    dogs = ["Chó thả rông không rọ mõm ở khu tập thể, đề nghị xử lý.",
            "Nhiều hộ thả rông chó, phóng uế bừa bãi.",
            "Đề nghị lắp camera an ninh đầu ngõ vì chó thả rông nhiều."]
    assert _reason(dogs, lang="en") == "All are about dogs running loose."
    # no object or action: the shared words, as before
    talk = ["Đề nghị tăng cường giao lưu giữa các thế hệ trong khu dân cư.",
            "Mong có thêm dịp giao lưu giữa các thế hệ."]
    assert why_together(talk, None, key_terms="giao lưu giữa các thế hệ", lang="en") == \
        "They share the words: “giao lưu giữa các thế hệ”."


@pytest.fixture(scope="module")
def items_2023():
    from hbt_analysis import opinions as op
    from hbt_analysis.dataset import load

    ds = load(2023)
    return ds, op.consolidated(ds)


def test_the_leaders_list_says_why_in_words_and_the_analysts_table_keeps_the_figure(
        items_2023) -> None:
    from hbt_analysis import opinions as op

    ds, items = items_2023
    top = items.head(10)
    reasons = top.loc[top["n_opinions"] > 1, "reason"].tolist()
    assert reasons and all(r.startswith("Cùng ") for r in reasons), reasons
    assert not [r for r in items["reason"] if FIGURE.search(r)]
    page = str(op.items_html(top, op.consolidated_members(ds, top, per_item=5), n=10))
    assert page.count("Vì sao gộp:") == 10
    assert not FIGURE.search(re.sub(r"<li[^>]*>.*?</li>", "", page))  # members quote residents
    leader = op.requests_table(items, n=10)
    assert not leader["Vì sao gộp"].str.contains(FIGURE).any()
    analyst = op.requests_table(items, n=10, detail=True)
    several = top["n_opinions"].to_numpy() > 1
    assert analyst["Vì sao gộp"][several].str.contains("độ tương đồng").all()


def test_members_across_the_area_name_their_ward(items_2023) -> None:
    from hbt_analysis import opinions as op

    ds, items = items_2023
    top = items[items["n_wards"] > 1].head(1)
    members = op.consolidated_members(ds, top, per_item=20)
    page = str(op.items_html(top, members, n=1))
    names = set(ds.wards["ward_name"])
    labels = re.findall(r"<li[^>]*>(TDP [^:]+):", page)
    assert labels and all(re.fullmatch(r"TDP .+ \((.+)\)", x) for x in labels), labels
    assert {re.fullmatch(r"TDP .+ \((.+)\)", x).group(1) for x in labels} <= names
