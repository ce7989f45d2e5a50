"""The request vocabulary (resources/request_synonyms.yaml) read on the wording residents use:
each test is a misreading or a missing phrasing found on the study sets of session 21, written
here in words of its own (the families of words, not one set's sentences)."""

from __future__ import annotations

import pytest

from hbt_analysis.opinions.request_words import (
    concept_conflict,
    request_concepts,
    request_text,
)


def objects(text: str) -> frozenset[str]:
    return request_concepts(text).objects


@pytest.mark.parametrize(("text", "wrong"), [
    # "cho cán bộ" is not "chó cắn", "công tác" not "cống tắc", "nhà cho thuê" not "nhà chờ",
    # "nghiên cứu" not "nghiện", "xe tại" not "xe tải" (typed without accents)
    ("De nghi nang muc phu cap cho can bo to dan pho", "cho_tha_rong"),
    ("de nghi tang kinh phi cho ban cong tac mat tran", "cong_thoat_nuoc"),
    ("kiem tra phong chay chua chay cac nha cho thue tro", "xe_buyt"),
    ("De nghi phuong nghien cuu bo tri them cho de xe", "ma_tuy"),
    ("xe cho vat lieu xay dung thai do trom o cuoi ngo", "thai_do_can_bo"),
])
def test_unaccented_words_that_are_mostly_other_words_name_nothing_by_themselves(text, wrong):
    assert wrong not in objects(text)


def test_the_same_words_with_their_accents_still_name_the_object():
    assert "cho_tha_rong" in objects("Chó cắn người trong ngõ, đề nghị xử lý chủ nuôi.")
    assert "ma_tuy" in objects("Có người nghiện tụ tập chích hút ở chân cầu.")
    assert "ma_tuy" in objects("nghien hut tu tap o chan cau")
    assert "xe_buyt" in objects("Đề nghị làm nhà chờ xe buýt ở điểm dừng.")


def test_a_sign_is_what_it_forbids():
    assert objects("Đề nghị cắm biển cấm đỗ xe ô tô ở lối vào khu tập thể.") == {"o_to_do"}
    dumping = objects("Người dân đổ rác bừa bãi ở cuối ngõ, đề nghị đặt biển cấm.")
    assert dumping == {"diem_rac"}
    assert "den_tin_hieu" in objects("Đề nghị bổ sung biển báo, biển cấm xe tải vào ngõ.")


def test_a_loudspeaker_or_a_company_named_as_the_channel_is_not_the_object():
    notice = "Đề nghị Điện lực thông báo lịch cắt điện qua loa phường và nhóm Zalo của tổ."
    assert objects(notice) == {"cat_dien"}
    assert objects("de nghi thong bao lich cat dien tren loa phuong") == {"cat_dien"}
    assert "loa" not in request_text(notice).split()
    collection = objects("Đề nghị đơn vị vệ sinh môi trường thu gom rác đúng giờ.")
    assert collection == {"thu_gom_rac"}
    # the loudspeaker itself, and a clean-up day, are still what they are
    assert objects("Loa phường ở đầu ngõ bị rè, đề nghị thay loa mới.") == {"loa_truyen_thanh"}
    assert "ve_sinh_chung" in objects("Đề nghị tổ chức tổng vệ sinh môi trường ngõ xóm.")


def test_a_fire_as_the_danger_is_a_trouble_not_a_fire_safety_check():
    assert "pccc_chung_cu" not in objects("Hướng dẫn sạc xe điện an toàn, tránh cháy nổ.")
    assert objects("Dây điện chằng chịt, đề nghị hạ ngầm để phòng cháy nổ.") == {"day_cap"}
    assert "pccc_chung_cu" not in objects("Ô tô đỗ kín ngõ, chẳng may cháy nổ thì xe cứu hỏa "
                                          "không vào được.")
    assert objects("Đề nghị kiểm tra an toàn cháy nổ các nhà trọ.") == {"pccc_chung_cu"}


def test_patrols_are_asked_against_a_trouble_and_do_not_join_different_troubles():
    racing = request_concepts("Đề nghị tăng cường tuần tra ban đêm, xử lý nhóm đua xe.")
    theft = request_concepts("Mất trộm xe máy liên tiếp, đề nghị công an tuần tra đêm.")
    assert "tang_tuan_tra" in racing.actions and "tang_tuan_tra" in theft.actions
    assert concept_conflict(racing, theft)[0]  # different objects: racing, theft
    assert "tuan_tra" in objects("Thanh niên tụ tập gây rối trước cửa hàng.")


def test_a_water_cut_is_not_weak_pressure():
    cut = request_concepts("Cắt nước để sửa ống thì phải báo trước cho dân một ngày.")
    pressure = request_concepts("Nước máy yếu, tầng 2 buổi tối không có nước.")
    assert cut.objects == {"lich_cat_nuoc"} and pressure.objects == {"ap_luc_nuoc"}
    assert concept_conflict(cut, pressure)[0]
    assert objects("Đề nghị thông báo trước lịch tạm ngừng cấp nước.") == {"lich_cat_nuoc"}


def test_a_parked_refuse_cart_is_the_collection_point_an_arriving_one_the_collection():
    assert objects("Xe gom rác đỗ sát cổng nhà dân, mùi hôi cả ngày.") == {"diem_rac"}
    assert objects("Xe rác đến lúc nào không biết, bà con không kịp mang rác ra.") == {
        "thu_gom_rac"}
    assert objects("Rác để qua đêm, chó mèo bới tung ra ngõ.") == {"thu_gom_rac"}


def test_how_bad_a_building_is_does_not_name_the_building():
    assert objects("Nhà văn hóa tổ xuống cấp: trần bong, loa đài hỏng. Đề nghị sửa chữa.") == {
        "nha_van_hoa"}
    assert "mat_ngo" not in objects("Đề nghị công an tuần tra các ngõ nhỏ sau 23 giờ.")


def test_a_shared_path_is_not_itself_a_building_violation():
    assert objects("Tranh chấp lối đi chung giữa hai hộ kéo dài, đề nghị phường hòa giải.") == {
        "tranh_chap_dat"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Đề nghị yêu cầu các chủ nhà cho thuê phòng khai báo lưu trú cho người thuê.", "cu_tru"),
    ("Kiến nghị bố trí tủ chữa cháy công cộng ở giữa ngõ sâu.", "binh_chua_chay"),
    ("Mấy hộ giết mổ gia cầm ngay trong ngõ, mùi rất khó chịu.", "chan_nuoi"),
    ("Đường trong khu dân cư xuống cấp, trời mưa lầy lội.", "mat_ngo"),
    ("Đề nghị khám sàng lọc huyết áp, tiểu đường cho các cụ tại nhà văn hóa.", "tram_y_te"),
    ("Cổng trường sáng nào cũng tắc cứng, người đi làm không ra được ngõ.", "un_tac"),
    ("Quán ăn xả nước bẩn, dầu mỡ ra rãnh cả ngày.", "nuoc_thai"),
    ("Kiến nghị hỗ trợ vốn vay ưu đãi cho hộ làm ăn nhỏ.", "viec_lam"),
    ("Nhà tập thể của cơ quan cũ, dân không làm được sổ.", "so_do"),
    ("Có nhóm chơi bài ăn tiền ở bãi đất trống.", "co_bac"),
    ("Hàng rau, hàng cá kê sạp lấn ra lòng ngõ.", "lan_chiem"),
    ("Hàng hoa sữa nở mùi nồng nặc, đề nghị đánh chuyển đi nơi khác.", "cay_xanh"),
    ("Có người gọi điện tự xưng cán bộ điện lực đòi tiền.", "lua_dao"),
])
def test_words_residents_use_name_the_object(text, expected):
    assert expected in objects(text)


def test_culverting_a_ditch_is_building_it():
    assert "lap_moi" in request_concepts("Đề nghị sớm cống hóa mương hở cuối ngõ.").actions
    assert "cat_tia" in request_concepts("Cây xà cừ mục gốc, đề nghị đốn hạ.").actions


def test_who_is_asked_is_not_what_is_asked():
    flooding = objects("Mưa xong cả khu như cái ao, đề nghị ngành thoát nước có giải pháp.")
    assert "cong_thoat_nuoc" not in flooding
    assert "cong_thoat_nuoc" in objects("Rãnh thoát nước ngõ 12 tắc, đề nghị nạo vét.")
    allowance = objects("Phụ cấp tổ trưởng không đủ tiền điện thoại, đề nghị tăng.")
    assert "hoa_don_dien" not in allowance and "phu_cap" in allowance


def test_a_wobbly_lid_is_not_a_canal():
    assert objects("Nắp hố ga đầu ngõ bị kênh, xe đi qua kêu cả đêm.") == {"nap_ho_ga"}
    assert "ho_song" in objects("Kênh rạch bị ô nhiễm, rác trên kênh nhiều.")


def test_mosquitoes_as_a_trouble_of_a_drain_are_not_dengue():
    assert "sot_xuat_huyet" not in objects("Rãnh nước thải hở bốc mùi, ruồi muỗi nhiều.")
    assert "sot_xuat_huyet" in objects("Đề nghị phun thuốc diệt muỗi phòng sốt xuất huyết.")


def test_a_workshop_is_not_smoke_from_stoves():
    workshop = request_concepts("Đề nghị di dời xưởng mộc ra khỏi khu dân cư.")
    stoves = request_concepts("Quán ăn đun bếp than tổ ong, khói bay vào nhà dân.")
    assert workshop.objects == {"co_so_san_xuat"} and stoves.objects == {"khoi_mui"}
    assert concept_conflict(workshop, stoves)[0]


def test_changing_when_something_runs_is_not_repairing_it():
    timing = request_concepts("Đề nghị chỉnh lại giờ tắt đèn chiếu sáng ở vườn hoa.")
    repair = request_concepts("Đèn chiếu sáng ngõ 12 hỏng, đề nghị thay bóng.")
    assert "thay_doi" in timing.actions and "sua_chua" not in timing.actions
    assert concept_conflict(timing, repair) == (False, True)


def test_fire_drills_are_not_fire_equipment():
    drill = request_concepts("Đề nghị công an về diễn tập phương án chữa cháy tại khu tập thể.")
    cabinet = request_concepts("Kiến nghị bố trí tủ chữa cháy công cộng ở giữa ngõ.")
    assert drill.objects == {"tap_huan_pccc"} and cabinet.objects == {"binh_chua_chay"}
    assert concept_conflict(drill, cabinet)[0]


# Session 21, second round (branch vocab4): families of words residents use for a request,
# found missing where two readers of a fresh author's set agreed and the machine did not.


@pytest.mark.parametrize(("text", "obj"), [
    # the exhaust pipe is how residents hear racing at night
    ("Khuya nào cũng có tiếng pô xe máy gầm rú ngoài đường lớn.", "dua_xe"),
    ("Mấy cậu thanh niên rồ ga phóng như bay qua cổng chợ.", "dua_xe"),
    # the mobile network by its generation and its operators' trade
    ("Trong ngõ sâu mạng 4G rất chậm, gọi video không được.", "song_di_dong"),
    ("Mạng 5G chập chờn, nhờ bên viễn thông xem lại.", "song_di_dong"),
    # no water upstairs, water stored in buckets: the pressure
    ("Tầng trên không có giọt nước nào từ 6 giờ tối.", "ap_luc_nuoc"),
    ("Nhà nào cũng phải trữ nước vào xô vì nước về lúc có lúc không.", "ap_luc_nuoc"),
    # sorting refuse in a household's words
    ("Dân đã chia rác ra mà xe đến hốt chung một thùng.", "phan_loai_rac"),
    # water with nowhere to go after rain
    ("Mưa xong nước lênh láng khắp ngõ đến trưa chưa hết.", "ngap_ung"),
    ("Mưa to là nước không thoát đi đâu được, tràn vào sân.", "ngap_ung"),
    # a portable speaker carried out to sing is the noise
    ("Tối nào cũng có người mang loa ra đầu ngõ hát.", "tieng_on"),
    # someone directing traffic at a junction is the congestion
    ("Giờ đi làm cần có công an đứng chốt hướng dẫn giao thông ở ngã tư.", "un_tac"),
])
def test_families_of_words_name_their_object(text, obj):
    assert obj in objects(text)


def test_the_e_id_is_the_polices_and_not_online_filing():
    e_id = request_concepts("Nhiều cụ chưa kích hoạt được tài khoản định danh, nhờ công an giúp.")
    filing = request_concepts("Đề nghị phường hướng dẫn nộp hồ sơ trực tuyến cho người già.")
    assert e_id.objects == {"dinh_danh_dien_tu"}
    assert filing.objects == {"dich_vu_cong"}
    assert concept_conflict(e_id, filing)[0]
    assert "dinh_danh_dien_tu" in objects("Làm căn cước công dân cho người già tại nhà.")


def test_the_phone_operators_asked_to_help_with_cables_are_not_the_signal():
    cables = "Đề nghị điện lực phối hợp với các nhà mạng bó gọn dây cáp treo thấp."
    assert objects(cables) == {"day_cap"}
    assert "song_di_dong" in objects("Đề nghị nhà mạng lắp thêm trạm phát sóng.")


def test_equipping_what_exists_is_keeping_it_up_not_building_new():
    equip = request_concepts("Đề nghị trang bị thêm quạt, loa máy cho nhà văn hóa tổ.")
    repair = request_concepts("Nhà văn hóa tổ mái dột, đề nghị sửa chữa.")
    build = request_concepts("Tổ chưa có nhà văn hóa, đề nghị xây mới.")
    assert "trang_bi" in equip.actions and "lap_moi" not in equip.actions
    assert not concept_conflict(equip, repair)[1]
    assert concept_conflict(equip, build)[1]


def test_hawkers_are_not_shops_spreading_onto_their_pavement():
    hawkers = request_concepts("Gánh hàng rong, xe đẩy bán hàng đứng kín cổng trường giờ tan học.")
    shops = request_concepts("Cửa hàng lấn chiếm vỉa hè bày hàng, người đi bộ xuống đường.")
    assert "hang_rong" in hawkers.objects and "lan_chiem" not in hawkers.objects
    assert "lan_chiem" in shops.objects
    assert concept_conflict(hawkers, shops)[0]


def test_oncoming_traffic_is_not_a_signal_and_driving_the_wrong_way_is_a_violation():
    mirror = "Khúc cua khuất, không thấy xe ngược chiều, đề nghị lắp gương cầu lồi."
    assert objects(mirror) == {"guong_cau"}
    wrong_way = request_concepts("Đề nghị CSGT xử lý xe máy đi ngược chiều ở ngã ba.")
    timing = request_concepts("Đèn xanh cho người đi bộ quá ngắn, đề nghị điều chỉnh.")
    assert wrong_way.objects == {"vi_pham_giao_thong"}
    assert concept_conflict(wrong_way, timing)[0]


# Session 22 (branch vocab5): only what two or more authors of the study sets use for one
# request where the vocabulary read nothing, and that lowers no set's score when added
# (benchmarks/vocab_evidence.py); worded here as published minutes and water companies' answers
# word it, not as any set does.


@pytest.mark.parametrize(("text", "obj"), [
    # flushing the mains is the water company's answer to cloudy, rusty water
    ("Đề nghị công ty nước sạch định kỳ súc xả đường ống trong khu tập thể.", "chat_luong_nuoc"),
    ("Nhờ bên cấp nước súc đường ống, vòi mở ra toàn gỉ sắt.", "chat_luong_nuoc"),
    # table tennis and badminton are the clubs' sports, like dance and health clubs
    ("Đề nghị phường tổ chức giải bóng bàn, cầu lông cho người cao tuổi.", "ngay_hoi"),
    ("de nghi ho tro cac cu choi bong ban, cau long", "ngay_hoi"),
    # 'chế độ' alone, said of the group's officers, is their allowance
    ("Tổ trưởng việc gì cũng làm mà chế độ chẳng được bao nhiêu, đề nghị xem xét.", "phu_cap"),
    ("to truong lam khong cong, de nghi thanh pho quan tam che do", "phu_cap"),
])
def test_words_two_authors_use_name_the_object(text, obj):
    assert obj in objects(text)


def test_the_benefits_of_policy_families_are_not_the_group_officers_allowance():
    benefits = objects("Đề nghị giải quyết hồ sơ hưởng chế độ người có công còn tồn đọng.")
    assert benefits == {"ho_ngheo"}
    allowance = request_concepts("Đề nghị nâng chế độ cho anh chị em làm công tác tổ dân phố.")
    assert "phu_cap" in allowance.objects
    assert concept_conflict(request_concepts("Chế độ thương binh chi trả chậm, đề nghị kiểm tra."),
                            allowance)[0]


# A thing named only as where, why or by what means is not what is asked: phrases that, where
# they were the only name of their object, sat in clusters about another request for three or
# more authors of the study sets and in none about the object itself.


def test_the_drainage_system_blamed_for_flooding_is_the_flooding():
    assert objects("Ngõ ngập sâu mỗi khi mưa vì hệ thống thoát nước quá tải.") == {"ngap_ung"}
    # the drain itself, named, is still the drain
    assert objects("Đề nghị đầu tư hệ thống cống thoát nước cho ngõ 12.") == {"cong_thoat_nuoc"}
    assert "cong_thoat_nuoc" in objects("Cống ngõ 5 tắc, đề nghị công ty thoát nước nạo vét.")


@pytest.mark.parametrize(("text", "expected", "not_read"), [
    # the operators own the cables: they are not the mobile signal
    ("Dây cáp của các nhà mạng treo lủng lẳng, đề nghị hạ ngầm.", "day_cap", "song_di_dong"),
    # a flyer is how loan sharks advertise
    ("Đối tượng cho vay lãi cao dán tờ rơi khắp ngõ, đề nghị công an xử lý.", "tin_dung_den",
     "quang_cao_rao_vat"),
    # the pipe laid is why the alley was dug
    ("Đơn vị thi công đào ngõ đặt ống nước xong không hoàn trả mặt bằng.",
     "hoan_tra_mat_duong", "ong_cap_nuoc"),
    # a stranger seen is the theft's circumstance (with or without accents)
    ("Có người lạ vào ngõ lấy trộm xe đạp ban đêm.", "trom_cap", "tuan_tra"),
    ("nha bi trom xe may, co nguoi la ra vao ngo ban dem", "trom_cap", "tuan_tra"),
])
def test_a_thing_named_as_the_means_or_the_circumstance_is_not_the_request(
        text, expected, not_read):
    read = objects(text)
    assert expected in read and not_read not in read


def test_residents_offering_to_contribute_do_not_make_a_request_about_school_fees():
    assert "khoan_thu" not in objects(
        "Ngõ đã xuống cấp, dân sẵn sàng đóng góp, đề nghị quận đầu tư cải tạo.")
    assert "khoan_thu" in objects("Trường thu nhiều khoản đóng góp ngoài quy định.")
    assert "quang_cao_rao_vat" in objects("Tường nhà bị dán quảng cáo rao vặt, đề nghị xóa.")


# Review of session 22: a phrase residents use both as the thing asked and as where, why or by
# what means another request is made is `context_only`: it names its object where the opinion
# names no other. Dropping such phrases (vocab5) left plain requests with no object.


@pytest.mark.parametrize(("text", "obj"), [
    ("Đề nghị cải tạo hệ thống thoát nước ngõ 20 Lạc Trung.", "cong_thoat_nuoc"),
    ("Trường thu học phí cao, phụ huynh khó khăn.", "khoan_thu"),
    ("Đề nghị xây nhà vệ sinh tại chợ Mơ.", "nha_ve_sinh"),
    ("Đề nghị thay ống nước cũ đã han gỉ trong khu tập thể.", "ong_cap_nuoc"),
    ("Đề nghị quan tâm người già neo đơn.", "ho_ngheo"),
    ("Chủ đầu tư chậm bàn giao, đề nghị quận can thiệp.", "chung_cu"),
    ("Nhà mạng chậm khắc phục sự cố, gọi điện không được.", "song_di_dong"),
    # a context phrase holding an object's phrase is itself the object ("đỗ xe" is inside)
    ("Đề nghị kiểm tra bãi đỗ xe dưới gầm cầu thu tiền quá cao.", "trong_giu_xe"),
    # typed without accents: the same, for the phrases once trusted only with accents
    ("de nghi cai tao he thong thoat nuoc ngo 20", "cong_thoat_nuoc"),
    ("de nghi trang bi xe cuu hoa mini cho phuong", "duong_xe_chua_chay"),
    ("toi nao cung co nhom thanh nien tu tap o dau ngo", "tuan_tra"),
])
def test_a_plain_request_names_the_thing_it_asks(text, obj):
    assert objects(text) == {obj}


@pytest.mark.parametrize(("text", "expected"), [
    # where another object is named, the context phrase is the cause, the place, the means
    ("ngo ngap sau moi khi mua vi he thong thoat nuoc qua tai", {"ngap_ung"}),
    ("xe cuu hoa khong vao duoc vi ngo bi lan chiem", {"lan_chiem"}),
    ("Đề nghị xem xét giảm học phí cho con hộ nghèo.", {"ho_ngheo"}),
    # residents offering to pay towards works ask for the works
    ("Ngõ đã xuống cấp, dân sẵn sàng đóng góp, đề nghị quận đầu tư cải tạo.", frozenset()),
    ("Đề nghị cải tạo ngõ 20 Lạc Trung, dân sẵn sàng đóng góp.", {"mat_ngo"}),
    # the land a thing is to be built on is the means; the land itself, asked, is the object
    ("Đề nghị bố trí quỹ đất để xây nhà văn hóa cho tổ.", {"nha_van_hoa"}),
    ("Đề nghị công khai quỹ đất công của phường.", {"dat_cong"}),
])
def test_a_context_phrase_gives_way_to_the_object_asked(text, expected):
    assert objects(text) == expected


def test_the_drains_of_an_alley_and_its_surface_are_two_items():
    """Once "hệ thống thoát nước" named nothing, the two requests shared one item."""
    import pandas as pd

    from hbt_analysis.opinions.yearly import YearRequests

    texts = ["Đề nghị cải tạo hệ thống thoát nước ngõ 20 Lạc Trung.",
             "Đề nghị cải tạo mặt ngõ 20 Lạc Trung."]
    frame = pd.DataFrame({
        "opinion_id": ["o0", "o1"], "year": 2023, "level": "to_dan_pho",
        "ward_code": "00283", "group_code": ["00283-TDP01", "00283-TDP02"],
        "topic_primary": "ha_tang", "text": texts})
    _, members = YearRequests(frame, 2023).items("area")
    item = members.set_index("opinion_id").loc[["o0", "o1"], "item"].tolist()
    assert item[0] != item[1]


def test_object_phrases_are_what_the_objects_are_read_from():
    from hbt_analysis.opinions.request_words import object_phrases

    assert object_phrases("Ngõ ngập sâu mỗi khi mưa vì hệ thống thoát nước quá tải.") == [
        ("ngập sâu", "ngap_ung")]
    assert object_phrases("de nghi cai tao he thong thoat nuoc ngo 20") == [
        ("he thong thoat nuoc", "cong_thoat_nuoc")]
    for text in ["Đề nghị kiểm tra bãi đỗ xe dưới gầm cầu thu tiền quá cao.",
                 "Thông báo lịch cắt điện qua loa phường cho dân biết.",
                 "Đề nghị sửa đèn đường ngõ 46 và nạo vét cống rãnh."]:
        assert {o for _, o in object_phrases(text)} == objects(text), text
