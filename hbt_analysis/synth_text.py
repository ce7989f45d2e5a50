# ruff: noqa: E501  (a bank of Vietnamese phrases reads better unwrapped)
"""Synthetic opinion texts for hbt_analysis.synth: natural Vietnamese written like minutes.

Texts are built compositionally (opener x problem x place x request, in one of several
sentence frames) from a bank of issues per topic, then given the noise real minutes carry:
abbreviations, old tone-mark placement, a few typos or missing diacritics, and now and
then a phone number, a 12-digit CCCD number or a named person, and (from a separate random
stream, so the rest of the text is unchanged) the other personal data minutes carry: names
with no honorific or after a title, given names alone, house and flat numbers, vehicle
plates, dates of birth, bank accounts, social accounts, passport and tax numbers. Every
planted item is recorded verbatim (`Opinion.planted`), so tests can look for it in what
reports export without asking the redaction code.

Everything here is made up. Street and landmark names are real places of Hai Bà Trưng so
the texts read naturally; nothing said about them is true.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import numpy as np

#: Target rates of personal data in texts (the tests check them loosely).
PHONE_RATE = 0.03
CCCD_RATE = 0.01
NAME_RATE = 0.03
#: Share of opinions given one more kind of personal data (names without honorific, house
#: and flat numbers, plates, dates of birth, bank and social accounts, passport, tax numbers).
EXTRA_PERSONAL_RATE = 0.05
#: Share of minute-takers who write hoà, thuỷ rather than hòa, thủy.
OLD_STYLE_SHARE = 0.35

# --------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------

#: Streets and landmarks near each ward (by official ward code), for natural-sounding places.
WARD_PLACES: dict[str, dict[str, list[str]]] = {
    "00241": {"streets": ["Nguyễn Du", "Bùi Thị Xuân", "Trần Bình Trọng", "Hàn Thuyên",
                          "Ngô Thì Nhậm", "Quang Trung"],
              "landmarks": ["hồ Thiền Quang", "công viên Thống Nhất"],
              "blocks": ["Nguyễn Du"]},
    "00244": {"streets": ["Bạch Đằng", "Vân Đồn", "Nguyễn Khoái", "Trần Khát Chân"],
              "landmarks": ["đê Nguyễn Khoái", "bãi ven sông Hồng"],
              "blocks": ["Vân Đồn"]},
    "00247": {"streets": ["Phạm Đình Hổ", "Hàng Chuối", "Nguyễn Công Trứ", "Lê Văn Hưu",
                          "Ngô Thì Nhậm"],
              "landmarks": ["chợ Hôm", "chợ Ngô Thì Nhậm"],
              "blocks": ["Nguyễn Công Trứ", "Hàng Chuối"]},
    "00256": {"streets": ["Lê Đại Hành", "Tô Hiến Thành", "Hòa Mã", "Thể Giao", "Mai Hắc Đế",
                          "Trần Nhân Tông"],
              "landmarks": ["công viên Thống Nhất", "Vincom Bà Triệu"],
              "blocks": ["Lê Đại Hành", "Tô Hiến Thành"]},
    "00259": {"streets": ["Đồng Nhân", "Lò Đúc", "Hồng Mai", "Thịnh Yên", "Hàn Thuyên"],
              "landmarks": ["đình Đồng Nhân", "chợ Hôm"],
              "blocks": ["Đồng Nhân"]},
    "00262": {"streets": ["Phố Huế", "Tuệ Tĩnh", "Thi Sách", "Nguyễn Công Trứ", "Hàng Chuối"],
              "landmarks": ["chợ Hôm", "rạp Tháng Tám"],
              "blocks": ["Tuệ Tĩnh"]},
    "00265": {"streets": ["Đống Mác", "Lò Đúc", "Lãng Yên", "Kim Ngưu", "Hương Viên"],
              "landmarks": ["chợ Đống Mác", "chùa Vua"],
              "blocks": ["Đống Mác", "Lãng Yên"]},
    "00268": {"streets": ["Thanh Lương", "Bạch Đằng", "Kim Ngưu", "Lạc Trung", "Nguyễn Khoái"],
              "landmarks": ["cầu Vĩnh Tuy", "bãi giữa sông Hồng", "đê Nguyễn Khoái"],
              "blocks": ["Thanh Lương"]},
    "00271": {"streets": ["Thanh Nhàn", "Kim Ngưu", "Lò Đúc", "Trần Khát Chân", "Hồng Mai"],
              "landmarks": ["bệnh viện Thanh Nhàn", "chợ Thanh Nhàn", "Cung thể thao Quần Ngựa"],
              "blocks": ["Thanh Nhàn", "Hồng Mai"]},
    "00274": {"streets": ["Bạch Mai", "Thái Phiên", "Lê Duẩn", "Huế", "Nguyễn Đình Chiểu"],
              "landmarks": ["Vincom Bà Triệu", "chợ Mơ"],
              "blocks": ["Cầu Dền"]},
    "00277": {"streets": ["Lê Thanh Nghị", "Tạ Quang Bửu", "Trần Đại Nghĩa", "Giải Phóng",
                          "Đại Cồ Việt"],
              "landmarks": ["Đại học Bách Khoa", "chợ Bách Khoa"],
              "blocks": ["Bách Khoa"]},
    "00280": {"streets": ["Vọng", "Đại La", "Giải Phóng", "Trần Đại Nghĩa", "Trường Chinh"],
              "landmarks": ["chợ Đồng Tâm", "ga Giáp Bát"],
              "blocks": ["Đồng Tâm"]},
    "00283": {"streets": ["Minh Khai", "Vĩnh Tuy", "Lạc Trung", "Kim Ngưu", "Tam Trinh"],
              "landmarks": ["Times City", "cầu Vĩnh Tuy", "chợ Vĩnh Tuy"],
              "blocks": ["Vĩnh Tuy", "Mai Động"]},
    "00286": {"streets": ["Bạch Mai", "Đại La", "Minh Khai", "Trương Định", "Thanh Nhàn"],
              "landmarks": ["chợ Mơ", "bệnh viện Bạch Mai", "Cung thể thao Quần Ngựa"],
              "blocks": ["Bạch Mai"]},
    "00289": {"streets": ["Kim Ngưu", "Minh Khai", "Lạc Trung", "Quỳnh Mai", "Thanh Nhàn"],
              "landmarks": ["chợ Quỳnh Mai", "công viên Tuổi Trẻ"],
              "blocks": ["Quỳnh Mai", "Kim Ngưu"]},
    "00292": {"streets": ["Bạch Mai", "Kim Ngưu", "Thanh Nhàn", "Hồng Mai", "Quỳnh Lôi"],
              "landmarks": ["công viên Tuổi Trẻ", "chợ Mơ"],
              "blocks": ["Quỳnh Lôi"]},
    "00295": {"streets": ["Minh Khai", "Tam Trinh", "Lạc Trung", "Trương Định", "Mạc Thị Bưởi"],
              "landmarks": ["Times City", "chợ Minh Khai"],
              "blocks": ["Minh Khai", "Mai Hương"]},
    "00298": {"streets": ["Trương Định", "Đại La", "Tân Mai", "Minh Khai", "Hoàng Mai"],
              "landmarks": ["chợ Mơ", "chợ Trương Định", "chợ 28 Trương Định"],
              "blocks": ["Trương Định", "Tân Mai"]},
}
_DISTRICT_LANDMARKS = ["công viên Tuổi Trẻ", "chợ Mơ", "công viên Thống Nhất", "hồ Thiền Quang",
                       "bệnh viện Bạch Mai", "cầu Vĩnh Tuy", "Times City"]
_NGO_NUMBERS = [3, 5, 8, 12, 15, 18, 22, 25, 30, 35, 42, 45, 52, 58, 64, 71, 78, 86, 91, 98,
                106, 112, 120, 128, 134, 155, 162, 178, 190, 203, 214, 230, 245, 261, 281, 295,
                310, 342, 381, 402, 460, 521, 622]


def _pick(rng: np.random.Generator, seq: list | tuple):
    return seq[int(rng.integers(len(seq)))]


def _places(ward_code: str) -> dict[str, list[str]]:
    return WARD_PLACES.get(ward_code, {"streets": ["Bạch Mai"], "landmarks": ["chợ Mơ"],
                                       "blocks": ["Thanh Nhàn"]})


def _ngo(rng: np.random.Generator, street: str) -> str:
    n = _pick(rng, _NGO_NUMBERS)
    r = rng.random()
    if r < 0.18:
        return f"ngách {n}/{int(rng.integers(2, 40))} {street}"
    if r < 0.24:
        return f"hẻm {n}/{int(rng.integers(2, 30))}/{int(rng.integers(1, 15))} {street}"
    return f"ngõ {n} {street}"


def _place(rng: np.random.Generator, ward_code: str) -> dict[str, str]:
    """One location, as several phrasings the templates can use."""
    p = _places(ward_code)
    street = _pick(rng, p["streets"])
    street2 = _pick(rng, [s for s in p["streets"] if s != street] or p["streets"])
    ngo = _ngo(rng, street)
    r = rng.random()
    if r < 0.40:
        place = ngo
    elif r < 0.55:
        place = f"{_pick(rng, ['đầu', 'cuối', 'giữa', 'khu vực'])} {ngo}"
    elif r < 0.67:
        place = f"phố {street}"
    elif r < 0.77:
        place = f"khu tập thể {_pick(rng, p['blocks'])}"
        if rng.random() < 0.5:
            place += f", nhà {_pick(rng, ['A', 'B', 'C', 'D', 'E', 'G'])}{int(rng.integers(1, 12))}"
    elif r < 0.87:
        place = f"khu vực {_pick(rng, p['landmarks'] + _DISTRICT_LANDMARKS[:2])}"
    elif r < 0.94:
        place = f"đoạn {street} giao với {street2}"
    else:
        place = f"chung cư mini số {int(rng.integers(2, 90))} {ngo}"
    at = _pick(rng, ["tại", "ở", "tại"]) if not place.startswith("khu vực") else ""
    return {
        "place": place,
        "at_place": f"{at} {place}".strip(),
        "street": street,
        "street2": street2,
        "ngo": ngo,
        "block": _pick(rng, p["blocks"]),
        "landmark": _pick(rng, p["landmarks"]),
    }


# --------------------------------------------------------------------------------------
# The issue bank
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """One thing residents raise: ways to state the problem, what they ask, who decides."""

    topic: str
    problems: tuple[str, ...]
    requests: tuple[str, ...]
    short: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    authorities: tuple[str, ...] = ("UBND phường",)
    addressed: tuple[str, ...] = ("UBND phường",)
    years: tuple[int, ...] = ()  # empty = every year
    weight: float = 1.0
    responses: tuple[str, ...] = field(default=())


ISSUES: tuple[Issue, ...] = (
    # ---- moi_truong --------------------------------------------------------------------
    Issue("moi_truong",
          ("tình trạng đổ trộm phế thải xây dựng {at_place} vẫn diễn ra, nhất là ban đêm",
           "có người đổ trộm rác, phế thải tùy tiện {at_place}, tổ đã nhắc nhở nhiều lần nhưng không hết",
           "phế thải xây dựng bị đổ trộm thành đống {at_place}, mấy tuần chưa có ai dọn"),
          ("lắp camera giám sát điểm đổ trộm phế thải", "xử phạt nghiêm các trường hợp đổ trộm",
           "phối hợp công ty môi trường thu dọn dứt điểm", "bố trí lực lượng trực đêm bắt quả tang"),
          short=("Đổ trộm phế thải {at_place}", "Phế thải đổ trộm {at_place} chưa được dọn"),
          questions=("Việc đổ trộm phế thải {at_place} kéo dài nhiều tháng, bao giờ mới xử lý "
                     "dứt điểm",),
          authorities=("UBND phường", "phường", "các cơ quan chức năng", "Công an phường"),
          addressed=("UBND phường", "Tổ dân phố"), weight=1.4),
    Issue("moi_truong",
          ("giờ thu gom rác không cố định, có hôm 22 giờ xe mới đến nên rác để la liệt trên vỉa hè "
           "{at_place}",
           "điểm tập kết rác {at_place} gây mùi hôi thối, ảnh hưởng sức khỏe người dân, nhất là mùa hè",
           "xe rác đỗ chờ {at_place} từ chiều đến tối, nước rỉ rác chảy ra lòng đường",
           "rác không được thu gom kịp thời, ngày lễ Tết rác ùn ứ {at_place}"),
          ("bố trí lại giờ thu gom rác cho hợp lý", "di chuyển điểm tập kết rác ra xa khu dân cư",
           "tăng tần suất thu gom rác", "yêu cầu đơn vị thu gom rửa sạch điểm tập kết sau khi thu"),
          short=("Điểm tập kết rác {at_place} bốc mùi", "Rác thu gom muộn {at_place}"),
          questions=("Tại sao điểm tập kết rác vẫn đặt {at_place} trong khi bà con đã kiến nghị "
                     "nhiều lần",),
          authorities=("UBND phường", "công ty môi trường", "phường"),
          addressed=("UBND phường", "UBND quận"), weight=1.6),
    Issue("moi_truong",
          ("việc phân loại rác tại nguồn mới dừng ở tuyên truyền, chưa có thùng và hướng dẫn cụ thể",
           "nhiều hộ đã phân loại rác nhưng xe thu gom lại đổ chung, bà con mất lòng tin"),
          ("hướng dẫn cụ thể việc phân loại rác tại nguồn", "trang bị thùng rác phân loại cho các ngõ",
           "yêu cầu đơn vị thu gom thu riêng rác đã phân loại"),
          short=("Phân loại rác tại nguồn chưa có hướng dẫn",),
          questions=("Rác đã phân loại rồi mà xe vẫn đổ chung thì phân loại để làm gì",),
          authorities=("UBND phường", "UBND quận", "phường"),
          addressed=("UBND phường", "UBND quận")),
    Issue("moi_truong",
          ("cống thoát nước {at_place} bốc mùi hôi thối, nhiều ruồi muỗi, ảnh hưởng sức khỏe bà con",
           "rãnh nước {at_place} bị tắc, nước thải sinh hoạt tràn ra mặt ngõ",
           "nắp cống {at_place} bị vỡ, mùi hôi bốc lên cả ngày"),
          ("nạo vét, thông tắc cống", "thay nắp cống", "phun thuốc diệt muỗi phòng sốt xuất huyết"),
          short=("Cống {at_place} bốc mùi", "Rãnh nước {at_place} tắc"),
          authorities=("UBND phường", "công ty thoát nước", "phường"),
          addressed=("UBND phường", "UBND quận"), weight=1.1),
    Issue("moi_truong",
          ("karaoke tự phát và loa kẹo kéo {at_place} hát đến khuya, ảnh hưởng người già và trẻ nhỏ",
           "quán nhậu {at_place} mở nhạc to, ồn ào đến quá nửa đêm",
           "xưởng cơ khí {at_place} hoạt động gây tiếng ồn và bụi cả ngày"),
          ("kiểm tra, xử lý tiếng ồn sau 22 giờ", "nhắc nhở, xử phạt các hộ gây ồn",
           "kiểm tra giấy phép hoạt động của cơ sở"),
          short=("Tiếng ồn karaoke {at_place}", "Ồn ào về đêm {at_place}"),
          authorities=("Công an phường", "UBND phường", "phường"),
          addressed=("UBND phường",)),
    Issue("moi_truong",
          ("cây xanh trên phố {street} có nhiều cành khô, nguy cơ gãy đổ khi mưa bão",
           "cây sấu {at_place} nghiêng ra lòng đường, rễ làm vỡ vỉa hè"),
          ("cắt tỉa cây xanh trước mùa mưa bão", "kiểm tra, gia cố các cây có nguy cơ đổ"),
          short=("Cây xanh phố {street} cần cắt tỉa",),
          authorities=("UBND phường", "công ty công viên cây xanh", "UBND quận"),
          addressed=("UBND phường", "UBND quận")),
    Issue("moi_truong",
          ("nhiều hộ thả chó ra ngõ không rọ mõm, để chó phóng uế bừa bãi {at_place}",
           "chó thả rông {at_place} đã cắn một cháu nhỏ, bà con rất lo"),
          ("tuyên truyền, xử phạt việc thả rông chó", "yêu cầu các hộ nuôi chó cam kết giữ vệ sinh"),
          short=("Chó thả rông, phóng uế {at_place}",),
          authorities=("UBND phường", "tổ dân phố", "phường"),
          addressed=("Tổ dân phố", "UBND phường")),
    Issue("moi_truong",
          ("công trình xây dựng {at_place} không che chắn, xe chở vật liệu làm rơi vãi đất cát, "
           "bụi bám khắp nhà",),
          ("yêu cầu chủ công trình che chắn, rửa xe trước khi ra đường",
           "kiểm tra việc đảm bảo vệ sinh môi trường của công trình"),
          short=("Công trình {at_place} gây bụi",),
          authorities=("UBND phường", "Đội quản lý trật tự xây dựng đô thị"),
          addressed=("UBND phường",)),
    # ---- giao_thong --------------------------------------------------------------------
    Issue("giao_thong",
          ("giờ cao điểm đường {street} thường xuyên ùn tắc, nhất là đoạn gần {landmark}",
           "tan tầm chiều, nút giao {street} – {street2} ùn tắc kéo dài, người dân về nhà mất cả tiếng"),
          ("bố trí lực lượng phân luồng vào giờ cao điểm", "nghiên cứu tổ chức lại giao thông khu vực",
           "điều chỉnh chu kỳ đèn tín hiệu"),
          short=("Ùn tắc giờ cao điểm phố {street}",),
          questions=("Bao giờ thì nút giao {street} – {street2} hết ùn tắc",),
          authorities=("UBND quận", "Công an quận", "các cơ quan chức năng"),
          addressed=("UBND quận", "Thành phố"), weight=1.2),
    Issue("giao_thong",
          ("ô tô đỗ hai bên {ngo} suốt đêm, xe cứu thương, xe cứu hoả không vào được",
           "nhiều ô tô đỗ tùy tiện trên vỉa hè, dưới lòng đường phố {street}, người đi bộ phải đi xuống đường",
           "xe ô tô của các hộ đỗ chắn cửa nhà dân {at_place}, nhắc nhở nhưng không chuyển"),
          ("xử lý ô tô đỗ sai quy định", "quy hoạch điểm trông giữ xe cho dân",
           "kẻ vạch cấm dừng đỗ"),
          short=("Ô tô đỗ chắn {ngo}", "Đỗ xe sai quy định phố {street}"),
          questions=("Ô tô đỗ kín {ngo} thì xe cứu hoả vào bằng đường nào",),
          authorities=("Công an phường", "UBND phường", "các cơ quan chức năng"),
          addressed=("UBND phường", "UBND quận"), weight=1.3),
    Issue("giao_thong",
          ("nút giao {street} – {street2} chưa có đèn tín hiệu, học sinh qua đường rất nguy hiểm",
           "biển báo {at_place} bị cây che khuất, nhiều xe đi ngược chiều",
           "vạch kẻ đường trước cổng trường {at_place} đã mờ hết"),
          ("lắp đèn tín hiệu và kẻ vạch qua đường", "bổ sung biển báo", "sơn lại vạch kẻ đường"),
          short=("Thiếu đèn tín hiệu nút {street} – {street2}",),
          authorities=("UBND quận", "Sở Giao thông vận tải", "các cơ quan chức năng"),
          addressed=("UBND quận", "Thành phố")),
    Issue("giao_thong",
          ("thanh thiếu niên tụ tập đua xe, lạng lách trên đường {street} vào đêm khuya",
           "xe máy đi tốc độ cao trong {ngo}, đã xảy ra va quẹt với người già và trẻ nhỏ"),
          ("tăng cường tuần tra, xử lý đua xe", "làm gờ giảm tốc ở đầu ngõ",
           "đặt biển hạn chế tốc độ trong ngõ"),
          short=("Đua xe đêm khuya đường {street}", "Xe đi nhanh trong {ngo}"),
          authorities=("Công an phường", "Công an quận", "UBND phường"),
          addressed=("UBND phường", "UBND quận")),
    # ---- an_ninh_trat_tu ---------------------------------------------------------------
    Issue("an_ninh_trat_tu",
          ("gần đây xảy ra nhiều vụ trộm xe máy, trộm đồ {at_place}",
           "kẻ gian bẻ khoá trộm xe đạp điện ngay trong nhà xe {at_place}",
           "tình trạng trộm cắp vặt {at_place} tái diễn, bà con không dám để đồ ngoài cửa"),
          ("tăng cường tuần tra, nhất là ban đêm", "lắp thêm camera an ninh ở các ngõ",
           "điều tra, xử lý các vụ trộm"),
          short=("Trộm cắp {at_place}", "Mất trộm xe máy {at_place}"),
          authorities=("Công an phường", "Công an quận"),
          addressed=("UBND phường",), weight=1.3),
    Issue("an_ninh_trat_tu",
          ("có đối tượng nghi nghiện ma tuý tụ tập {at_place}, vứt bơm kim tiêm bừa bãi",
           "một nhóm thanh niên thường tụ tập uống rượu, gây gổ {at_place}",
           "có tụ điểm đánh bạc ăn tiền {at_place}"),
          ("kiểm tra, xử lý các đối tượng", "tăng cường tuần tra, kiểm soát",
           "triệt phá tụ điểm"),
          short=("Tụ tập nghi sử dụng ma tuý {at_place}",),
          authorities=("Công an phường", "Công an quận"),
          addressed=("UBND phường",)),
    Issue("an_ninh_trat_tu",
          ("tờ rơi cho vay nặng lãi dán khắp cột điện {at_place}, có hộ bị đe doạ do vay tín dụng đen",
           "đối tượng đòi nợ thuê ném chất bẩn vào nhà dân {at_place}"),
          ("điều tra, xử lý các đối tượng cho vay nặng lãi", "bóc xoá tờ rơi tín dụng đen",
           "tuyên truyền để người dân không vay tín dụng đen"),
          short=("Tờ rơi tín dụng đen {at_place}",),
          authorities=("Công an phường", "Công an quận"),
          addressed=("UBND phường", "UBND quận")),
    Issue("an_ninh_trat_tu",
          ("nhiều người cao tuổi bị gọi điện lừa đảo mạo danh công an, ngân hàng, có người đã mất tiền",
           "có người giả danh nhân viên điện lực, cấp nước đến từng nhà thu tiền"),
          ("tuyên truyền cách phòng tránh lừa đảo qua mạng", "cảnh báo trên loa phát thanh của phường"),
          short=("Lừa đảo qua điện thoại người cao tuổi",),
          authorities=("Công an phường", "UBND phường"),
          addressed=("UBND phường",)),
    Issue("an_ninh_trat_tu",
          ("camera an ninh của tổ dân phố lắp từ năm 2019 đã hỏng nhiều cái, không còn tác dụng",
           "các ngõ nhỏ {at_place} chưa có camera, xảy ra việc là không có hình ảnh"),
          ("hỗ trợ kinh phí sửa chữa, lắp thêm camera", "nhân rộng mô hình camera an ninh"),
          short=("Camera an ninh hỏng",),
          authorities=("UBND phường", "Công an phường"),
          addressed=("UBND phường",)),
    Issue("an_ninh_trat_tu",
          ("việc đăng ký tạm trú của người thuê trọ trong chung cư mini {at_place} chưa được quản lý chặt",),
          ("kiểm tra việc đăng ký cư trú tại các nhà trọ",),
          authorities=("Công an phường",), addressed=("UBND phường",), weight=0.6),
    # ---- pccc --------------------------------------------------------------------------
    Issue("pccc",
          ("chung cư mini {at_place} có hàng chục hộ ở nhưng chỉ có một lối thoát, xe máy để kín tầng một",
           "nhiều nhà trọ {at_place} cho thuê không đảm bảo điều kiện phòng cháy, chữa cháy"),
          ("kiểm tra an toàn PCCC các chung cư mini và nhà trọ", "xử lý nghiêm các cơ sở vi phạm PCCC",
           "yêu cầu chủ nhà mở lối thoát nạn thứ hai"),
          short=("Chung cư mini {at_place} không đảm bảo PCCC",),
          questions=("Chung cư mini {at_place} chỉ có một lối thoát, nếu cháy thì người dân thoát ra "
                     "bằng đường nào",),
          authorities=("Công an phường", "UBND phường", "Cảnh sát PCCC quận"),
          addressed=("UBND phường", "UBND quận"), weight=1.2),
    Issue("pccc",
          ("các ngõ nhỏ {at_place} chưa có bình chữa cháy dùng chung",
           "ngõ sâu và hẹp, xe chữa cháy không vào được {at_place}"),
          ("trang bị bình chữa cháy tại các ngõ", "xây dựng mô hình điểm chữa cháy công cộng",
           "tổ chức tập huấn kỹ năng thoát nạn cho người dân"),
          short=("Thiếu bình chữa cháy {at_place}",),
          authorities=("UBND phường", "Công an phường"),
          addressed=("UBND phường",)),
    Issue("pccc",
          ("trụ nước chữa cháy {at_place} bị hỏng, bị che lấp bởi hàng quán",),
          ("kiểm tra, sửa chữa trụ nước chữa cháy",),
          short=("Trụ nước chữa cháy {at_place} hỏng",),
          authorities=("các cơ quan chức năng", "UBND phường"),
          addressed=("UBND quận",), weight=0.5),
    Issue("pccc",
          ("dây điện, dây cáp viễn thông {at_place} chằng chịt, nhiều lần chập cháy, nguy cơ hỏa hoạn",
           "nhiều nhà làm khung sắt bịt kín ban công, không có lối thoát nạn khi có cháy"),
          ("yêu cầu các đơn vị bó gọn, hạ ngầm dây cáp", "tuyên truyền mở lối thoát nạn thứ hai"),
          short=("Dây điện chằng chịt {at_place}",),
          authorities=("UBND phường", "điện lực", "các cơ quan chức năng"),
          addressed=("UBND phường", "UBND quận")),
    # ---- trat_tu_do_thi ----------------------------------------------------------------
    Issue("trat_tu_do_thi",
          ("các hộ kinh doanh trên phố {street} lấn chiếm vỉa hè, người đi bộ phải xuống lòng đường",
           "quán ăn {at_place} bày bàn ghế kín vỉa hè đến tận đêm",
           "tình trạng lấn chiếm vỉa hè, lòng đường {at_place} ra quân xong lại tái diễn"),
          ("ra quân xử lý lấn chiếm vỉa hè, lòng đường", "duy trì xử lý thường xuyên, tránh tái diễn",
           "kẻ vạch phân định phần vỉa hè cho người đi bộ"),
          short=("Lấn chiếm vỉa hè phố {street}", "Bày bán lấn chiếm {at_place}"),
          questions=("Tại sao lấn chiếm vỉa hè phố {street} xử lý xong lại tái diễn",),
          authorities=("UBND phường", "Đội trật tự đô thị phường", "phường"),
          addressed=("UBND phường",), weight=1.5),
    Issue("trat_tu_do_thi",
          ("chợ cóc họp tự phát {at_place} từ sáng sớm, gây mất vệ sinh và ùn tắc",
           "hàng rong tập trung {at_place} vào giờ tan học"),
          ("giải toả chợ cóc, chợ tạm", "bố trí điểm kinh doanh phù hợp cho các hộ"),
          short=("Chợ cóc {at_place}",),
          authorities=("UBND phường", "phường"),
          addressed=("UBND phường",)),
    Issue("trat_tu_do_thi",
          ("công trình {at_place} xây vượt tầng, sai giấy phép",
           "một số hộ {at_place} cơi nới, xây dựng lấn ra ngõ chung",
           "nhiều hộ ở khu tập thể {block} cơi nới chuồng cọp, chiếm không gian chung"),
          ("kiểm tra, xử lý công trình xây dựng sai phép", "công khai giấy phép xây dựng để dân giám sát"),
          short=("Xây dựng sai phép {at_place}",),
          authorities=("UBND phường", "Đội quản lý trật tự xây dựng đô thị", "UBND quận"),
          addressed=("UBND phường", "UBND quận")),
    Issue("trat_tu_do_thi",
          ("quảng cáo rao vặt, số điện thoại khoan cắt bê tông dán, vẽ khắp tường nhà {at_place}",),
          ("xử lý các số điện thoại quảng cáo rao vặt", "tổ chức bóc xoá quảng cáo rao vặt"),
          short=("Quảng cáo rao vặt {at_place}",),
          authorities=("UBND phường",), addressed=("UBND phường",), weight=0.7),
    # ---- ha_tang -----------------------------------------------------------------------
    Issue("ha_tang",
          ("mặt {ngo} xuống cấp, nhiều ổ gà, trời mưa đọng nước",
           "{ngo} đã hư hỏng nặng, người già đi lại hay bị ngã"),
          ("cải tạo, nâng cấp mặt ngõ", "đưa {ngo} vào kế hoạch cải tạo năm tới"),
          short=("Mặt {ngo} hỏng",),
          questions=("Dự án cải tạo {ngo} đã khảo sát từ năm {prev_year}, bao giờ mới thi công",),
          authorities=("UBND phường", "UBND quận"),
          addressed=("UBND phường", "UBND quận"), weight=1.3),
    Issue("ha_tang",
          ("mỗi trận mưa lớn đường {street} ngập sâu 30–40 cm, nước tràn vào nhà dân",
           "{at_place} cứ mưa là ngập, nước rút rất chậm"),
          ("cải tạo hệ thống thoát nước", "nạo vét cống trước mùa mưa",
           "có giải pháp chống ngập cho khu vực"),
          short=("Ngập khi mưa {at_place}",),
          questions=("Đường {street} năm nào cũng ngập, bao giờ mới có giải pháp",),
          authorities=("UBND quận", "công ty thoát nước", "Thành phố"),
          addressed=("UBND quận", "Thành phố"), weight=1.2),
    Issue("ha_tang",
          ("đèn chiếu sáng {at_place} hỏng đã lâu, buổi tối rất tối",
           "{ngo} chưa có đèn chiếu sáng, chị em đi làm về muộn rất sợ"),
          ("sửa chữa, bổ sung đèn chiếu sáng",),
          short=("Đèn chiếu sáng {at_place} hỏng", "Thiếu đèn {ngo}"),
          authorities=("UBND phường", "công ty chiếu sáng"),
          addressed=("UBND phường",), weight=1.1),
    Issue("ha_tang",
          ("nước sinh hoạt yếu, các tầng trên khu tập thể {block} không có nước vào giờ cao điểm",
           "nước máy {at_place} có mùi clo, có hôm đục"),
          ("làm việc với công ty nước sạch để cải thiện", "kiểm tra chất lượng nước"),
          short=("Nước sinh hoạt yếu {at_place}",),
          authorities=("UBND phường", "công ty nước sạch"),
          addressed=("UBND quận", "Thành phố")),
    Issue("ha_tang",
          ("tòa nhà tập thể {block} xuống cấp nghiêm trọng, tường nứt, cầu thang hỏng",
           "khu tập thể {block} đã có chủ trương cải tạo nhưng nhiều năm chưa thực hiện"),
          ("đẩy nhanh cải tạo chung cư cũ", "kiểm định an toàn nhà tập thể"),
          short=("Nhà tập thể {block} xuống cấp",),
          questions=("Việc cải tạo khu tập thể {block} đến đâu rồi",),
          authorities=("UBND quận", "Thành phố"),
          addressed=("UBND quận", "Thành phố")),
    Issue("ha_tang",
          ("tổ dân phố chưa có nhà văn hoá, phải mượn nhà dân để họp",
           "nhà văn hoá tổ dân phố chật, xuống cấp, mái dột",
           "trẻ em không có sân chơi, phải chơi dưới lòng ngõ",
           "một số thiết bị tập thể dục ở {landmark} đã hỏng"),
          ("bố trí địa điểm sinh hoạt cộng đồng", "cải tạo nhà văn hoá",
           "cải tạo khu đất trống thành sân chơi cho trẻ em", "sửa chữa, bổ sung dụng cụ tập luyện"),
          short=("Thiếu nhà văn hoá", "Thiếu sân chơi cho trẻ em"),
          authorities=("UBND phường", "UBND quận"),
          addressed=("UBND phường", "UBND quận")),
    Issue("ha_tang",
          ("điện chập chờn, mùa hè mất điện không báo trước {at_place}",),
          ("làm việc với điện lực để cải tạo lưới điện",),
          short=("Mất điện không báo trước",),
          authorities=("điện lực", "UBND phường"), addressed=("UBND quận",), weight=0.5),
    # ---- dat_dai_quy_hoach -------------------------------------------------------------
    Issue("dat_dai_quy_hoach",
          ("nhiều hộ {at_place} đã nộp hồ sơ nhiều năm nhưng chưa được cấp giấy chứng nhận quyền sử "
           "dụng đất",
           "hồ sơ cấp sổ đỏ của các hộ {at_place} bị trả đi trả lại nhiều lần"),
          ("đẩy nhanh việc cấp giấy chứng nhận", "trả lời rõ hồ sơ còn thiếu gì"),
          short=("Chậm cấp sổ đỏ {at_place}",),
          questions=("Hồ sơ cấp sổ đỏ nộp từ năm {prev_year} đến nay chưa có kết quả, vướng ở đâu",),
          authorities=("UBND quận", "UBND phường"),
          addressed=("UBND quận",), weight=1.2),
    Issue("dat_dai_quy_hoach",
          ("các hộ trong diện giải phóng mặt bằng dự án mở rộng đường {street} chưa được thông báo phương "
           "án bồi thường",
           "khu đất {at_place} quy hoạch làm trường học từ lâu nhưng chưa triển khai, dân không sửa được "
           "nhà"),
          ("công khai quy hoạch và tiến độ dự án", "xem xét điều chỉnh quy hoạch treo",
           "sớm có phương án bồi thường, hỗ trợ"),
          short=("Quy hoạch treo {at_place}",),
          authorities=("UBND quận", "Thành phố"),
          addressed=("UBND quận", "Thành phố")),
    Issue("dat_dai_quy_hoach",
          ("tranh chấp lối đi chung giữa các hộ {at_place} chưa được giải quyết",
           "đất công {at_place} bị sử dụng sai mục đích, làm nơi trông giữ xe"),
          ("hoà giải, giải quyết dứt điểm", "thu hồi đất công bị lấn chiếm"),
          authorities=("UBND phường", "UBND quận"),
          addressed=("UBND phường", "UBND quận"), weight=0.7),
    # ---- an_sinh_xa_hoi ----------------------------------------------------------------
    Issue("an_sinh_xa_hoi",
          ("trường mầm non công lập trên địa bàn quá tải, nhiều cháu không có chỗ học",
           "sĩ số lớp học ở trường tiểu học của phường quá đông"),
          ("xây thêm trường, lớp", "ưu tiên chỉ tiêu cho con em trên địa bàn"),
          short=("Thiếu trường mầm non công lập",),
          authorities=("UBND quận",), addressed=("UBND quận",)),
    Issue("an_sinh_xa_hoi",
          ("mức đóng bảo hiểm y tế hộ gia đình tăng, nhiều hộ khó khăn",
           "giá điện, giá nước tăng ảnh hưởng đến đời sống các hộ nghèo, cận nghèo",
           "hộ cận nghèo, người khuyết tật {at_place} còn nhiều khó khăn"),
          ("quan tâm hỗ trợ hộ cận nghèo, người khuyết tật", "hỗ trợ mua bảo hiểm y tế cho hộ khó khăn"),
          short=("Hỗ trợ hộ cận nghèo",),
          authorities=("UBND phường", "UBND quận"),
          addressed=("UBND phường", "UBND quận")),
    Issue("an_sinh_xa_hoi",
          ("thủ tục hưởng trợ cấp cho người cao tuổi còn chậm, phải đi lại nhiều lần",
           "người cao tuổi sống một mình {at_place} cần được quan tâm thăm hỏi thường xuyên"),
          ("đơn giản thủ tục, chi trả trợ cấp đúng hạn", "quan tâm chăm sóc người cao tuổi neo đơn"),
          authorities=("UBND phường",), addressed=("UBND phường",)),
    Issue("an_sinh_xa_hoi",
          ("trạm y tế phường chỉ làm giờ hành chính, người đi làm không khám được",
           "lao động mất việc sau dịch Covid-19 chưa được hỗ trợ học nghề, vay vốn"),
          ("mở khám ngoài giờ tại trạm y tế", "hỗ trợ vay vốn, giới thiệu việc làm"),
          authorities=("UBND phường", "UBND quận"),
          addressed=("UBND phường", "UBND quận"), weight=0.8),
    # ---- van_hoa_van_minh --------------------------------------------------------------
    Issue("van_hoa_van_minh",
          ("việc bình xét gia đình văn hoá còn hình thức, khen thưởng chưa thiết thực",
           "danh hiệu tổ dân phố văn hoá nhiều năm liền nhưng chưa có hình thức động viên"),
          ("đổi mới cách bình xét gia đình văn hoá", "có hình thức khen thưởng thiết thực hơn"),
          short=("Bình xét gia đình văn hoá còn hình thức",),
          authorities=("UBND phường", "Ban công tác Mặt trận", "MTTQ phường"),
          addressed=("UBND phường", "Tổ dân phố")),
    Issue("van_hoa_van_minh",
          ("đám cưới, đám hiếu dựng rạp chiếm hết lòng ngõ nhiều ngày, mở nhạc to",
           "một số gia đình tổ chức việc hiếu kéo dài, đốt vàng mã nhiều gây khói bụi {at_place}"),
          ("vận động thực hiện nếp sống văn minh trong việc cưới, việc tang",),
          short=("Việc cưới, việc tang chưa văn minh",),
          authorities=("tổ dân phố", "UBND phường", "Ban công tác Mặt trận"),
          addressed=("Tổ dân phố", "UBND phường")),
    Issue("van_hoa_van_minh",
          ("cử tri đồng tình với kết quả cuộc vận động Toàn dân đoàn kết xây dựng nông thôn mới, đô "
           "thị văn minh",
           "bà con nhất trí với tiêu chí phường đạt chuẩn đô thị văn minh, nhưng việc thực hiện ở tổ "
           "còn chưa đồng đều"),
          ("tiếp tục phát động phong trào tới từng hộ", "khen thưởng kịp thời các tổ làm tốt"),
          authorities=("MTTQ phường", "UBND phường"),
          addressed=("UBND phường", "Tổ dân phố")),
    Issue("van_hoa_van_minh",
          ("một số người còn nói tục, chửi bậy, xả rác nơi công cộng {at_place}",
           "việc thực hiện Bộ quy tắc ứng xử nơi công cộng ở {landmark} còn hạn chế"),
          ("tuyên truyền sâu rộng Bộ quy tắc ứng xử nơi công cộng",
           "nhắc nhở, xử lý các hành vi thiếu văn minh"),
          short=("Ứng xử nơi công cộng chưa văn minh",),
          authorities=("UBND phường", "tổ dân phố"),
          addressed=("UBND phường", "Tổ dân phố"), years=(2024,), weight=1.5),
    Issue("van_hoa_van_minh",
          ("người cao tuổi và trẻ em thiếu nơi sinh hoạt văn hoá, thể thao, rèn luyện sức khỏe",
           "phong trào văn nghệ, thể thao của tổ chưa có kinh phí duy trì"),
          ("tổ chức thêm hoạt động văn hoá, thể thao cho bà con",
           "hỗ trợ kinh phí cho câu lạc bộ văn nghệ, dưỡng sinh"),
          authorities=("UBND phường", "Ban công tác Mặt trận"),
          addressed=("UBND phường", "Tổ dân phố")),
    Issue("van_hoa_van_minh",
          ("mô hình tự quản về vệ sinh môi trường, ANTT ở một số tổ làm tốt nhưng chưa được nhân rộng",
           "mô hình Ngõ phố văn minh {at_place} duy trì được một thời gian rồi lại xuống"),
          ("nhân rộng mô hình tự quản", "có cơ chế hỗ trợ để duy trì các mô hình tự quản"),
          authorities=("UBND phường", "MTTQ phường"),
          addressed=("UBND phường", "Tổ dân phố"), weight=0.6),
    Issue("van_hoa_van_minh",
          ("việc xây dựng mô hình tự quản ở tổ dân phố còn lúng túng, chưa có hướng dẫn",),
          ("hướng dẫn cụ thể việc xây dựng mô hình tự quản", "nhân rộng mô hình tự quản"),
          authorities=("UBND phường", "MTTQ phường"),
          addressed=("UBND phường",), years=(2024,), weight=1.0),
    # ---- chinh_quyen -------------------------------------------------------------------
    Issue("chinh_quyen",
          ("phụ cấp của tổ trưởng tổ dân phố, trưởng ban công tác Mặt trận còn thấp so với khối lượng "
           "công việc",
           "kinh phí hoạt động của ban công tác Mặt trận tổ dân phố eo hẹp"),
          ("nâng mức phụ cấp cho cán bộ tổ dân phố", "tăng kinh phí hoạt động cho tổ dân phố"),
          short=("Phụ cấp cán bộ tổ dân phố thấp",),
          authorities=("UBND quận", "Thành phố", "cấp trên"),
          addressed=("UBND quận", "Thành phố"), weight=1.1),
    Issue("chinh_quyen",
          ("kiến nghị từ hội nghị năm {prev_year} đến nay chưa được trả lời",
           "nhiều kiến nghị của bà con gửi lên phường chậm được trả lời"),
          ("trả lời kiến nghị của cử tri đúng hạn", "thông báo kết quả giải quyết kiến nghị tại tổ"),
          short=("Chậm trả lời kiến nghị",),
          authorities=("UBND phường",), addressed=("UBND phường",)),
    Issue("chinh_quyen",
          ("người cao tuổi gặp khó khăn khi làm dịch vụ công trực tuyến, kích hoạt VNeID",
           "thủ tục hành chính còn rườm rà, làm căn cước phải đi lại nhiều lần",
           "thái độ một số cán bộ bộ phận một cửa chưa niềm nở"),
          ("cử người hướng dẫn tận nơi", "rút gọn thủ tục", "chấn chỉnh thái độ phục vụ của cán bộ"),
          short=("Khó khăn khi làm dịch vụ công trực tuyến",),
          authorities=("UBND phường", "Công an phường"),
          addressed=("UBND phường",)),
    # ---- khac --------------------------------------------------------------------------
    Issue("khac",
          ("hội nghị tổ chức vào chiều ngày thường nên người đi làm không dự được",
           "tài liệu hội nghị gửi muộn, bà con không kịp nghiên cứu",
           "số hộ dự hội nghị năm nay ít hơn năm trước"),
          ("tổ chức hội nghị vào buổi tối hoặc ngày nghỉ", "gửi tài liệu trước ít nhất ba ngày"),
          authorities=("tổ dân phố", "Ban công tác Mặt trận"),
          addressed=("Tổ dân phố",), weight=0.8),
)

TOPICS = ("moi_truong", "giao_thong", "an_ninh_trat_tu", "pccc", "trat_tu_do_thi", "ha_tang",
          "dat_dai_quy_hoach", "an_sinh_xa_hoi", "van_hoa_van_minh", "chinh_quyen", "khac")

#: Intended topic mix (primary topic) by year; the agenda of 2024 added PCCC and the code of
#: conduct in public places.
TOPIC_WEIGHTS: dict[int, dict[str, float]] = {
    2022: {"moi_truong": 18, "giao_thong": 11, "an_ninh_trat_tu": 12, "pccc": 4,
           "trat_tu_do_thi": 13, "ha_tang": 16, "dat_dai_quy_hoach": 5, "an_sinh_xa_hoi": 9,
           "van_hoa_van_minh": 5, "chinh_quyen": 5, "khac": 2},
    2023: {"moi_truong": 18, "giao_thong": 12, "an_ninh_trat_tu": 12, "pccc": 4,
           "trat_tu_do_thi": 13, "ha_tang": 16, "dat_dai_quy_hoach": 5, "an_sinh_xa_hoi": 7,
           "van_hoa_van_minh": 6, "chinh_quyen": 5, "khac": 2},
    2024: {"moi_truong": 16, "giao_thong": 11, "an_ninh_trat_tu": 11, "pccc": 10,
           "trat_tu_do_thi": 12, "ha_tang": 14, "dat_dai_quy_hoach": 4, "an_sinh_xa_hoi": 6,
           "van_hoa_van_minh": 9, "chinh_quyen": 5, "khac": 2},
}

# --------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------

_OPENERS = (
    "Cử tri phản ánh", "Bà con phản ánh", "Nhiều hộ dân phản ánh", "Ý kiến phản ánh",
    "Một số cử tri cho biết", "Bà con trong tổ bức xúc vì", "Đại diện các hộ {at_place} phản ánh",
    "Hội Người cao tuổi phản ánh", "Chi hội Phụ nữ phản ánh", "Phản ánh:", "Cử tri nêu",
    "Nhiều ý kiến cho rằng", "Ý kiến cử tri:", "Bà con tiếp tục phản ánh",
)
_REQUEST_LEADS = (
    "Đề nghị {auth} {req}.", "Kiến nghị {auth} sớm {req}.", "Bà con kiến nghị {auth} {req}.",
    "Đề nghị {req}.", "Mong {auth} quan tâm, {req}.", "Đề nghị {auth} có biện pháp {req}.",
    "Đề nghị {auth} chỉ đạo {req}.", "Cử tri đề nghị {auth} {req}.",
    "Đề nghị {auth} xem xét, {req}.",
)
_QUESTION_LEADS = ("Cử tri hỏi: {q}?", "{q}?", "Bà con muốn biết: {q}?", "Đề nghị trả lời: {q}?",
                   "Cử tri đặt câu hỏi {q}?")
_PRAISE = (
    "Cử tri đánh giá cao kết quả công tác năm qua của tổ", "Bà con ghi nhận phường đã có nhiều cố gắng",
    "Nhất trí với báo cáo và dự thảo nghị quyết hội nghị",
    "Nhất trí với nội dung báo cáo",
    "Cử tri ghi nhận việc chỉnh trang ngõ xóm đã có chuyển biến",
)
_AGREE_ONLY = (
    "Nhất trí với báo cáo và dự thảo nghị quyết hội nghị.",
    "Nhất trí cao với báo cáo tổng kết năm {prev_year} và phương hướng năm {year}.",
    "Đồng ý với nội dung dự thảo nghị quyết, không có ý kiến khác.",
    "Cử tri đề nghị thông báo kết quả giải quyết các kiến nghị năm trước tại hội nghị.",
)
_RECURRENT = ("Kiến nghị này đã nêu tại hội nghị năm {prev_year} nhưng chưa được giải quyết:",
              "Tiếp tục kiến nghị (đã nêu nhiều lần):", "Nhắc lại ý kiến năm trước:")
_TIMES = ("Tình trạng này kéo dài nhiều tháng.", "Việc này đã kéo dài nhiều năm.",
          "Bà con đã phản ánh nhiều lần.", "Từ đầu năm đến nay vẫn chưa được khắc phục.",
          "Tổ đã báo cáo phường nhưng chưa có chuyển biến.")
_HERE = ("ở đây", "khu vực này", "ngay trước cửa nhà", "trong ngõ")

# Person names for the named-person noise.
_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ",
             "Ngô", "Dương", "Đinh", "Đoàn", "Trịnh", "Lương", "Tạ", "Chu", "Mai")
_MIDDLE_M = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Mạnh", "Thanh", "Ngọc", "Công")
_MIDDLE_F = ("Thị", "Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Kim", "Thúy")
_GIVEN_M = ("Hùng", "Dũng", "Tuấn", "Bình", "Nam", "Long", "Sơn", "Hải", "Quân", "Thắng",
            "Cường", "Thành", "Hòa", "Phong", "Trung", "Khánh", "Tùng", "Vinh", "Toàn", "Hiếu")
_GIVEN_F = ("Lan", "Hoa", "Hương", "Mai", "Hạnh", "Thủy", "Nga", "Hằng", "Yến", "Loan", "Dung",
            "Liên", "Phương", "Thảo", "Vân", "Oanh")
_HONORIFICS_M = ("ông", "ông", "anh", "chú", "bác")
_HONORIFICS_F = ("bà", "bà", "chị", "cô")
_PHONE_PREFIXES = ("091", "094", "088", "098", "097", "096", "086", "090", "093", "089", "032",
                   "033", "035", "036", "038", "039", "070", "076", "077", "078", "081", "083",
                   "084", "085", "056", "058")


def person_name(rng: np.random.Generator) -> tuple[str, str]:
    """(honorific, full name) of a made-up person."""
    if rng.random() < 0.55:
        return (_pick(rng, _HONORIFICS_M),
                f"{_pick(rng, _SURNAMES)} {_pick(rng, _MIDDLE_M)} {_pick(rng, _GIVEN_M)}")
    return (_pick(rng, _HONORIFICS_F),
            f"{_pick(rng, _SURNAMES)} {_pick(rng, _MIDDLE_F)} {_pick(rng, _GIVEN_F)}")


def phone_number(rng: np.random.Generator) -> str:
    """A made-up Vietnamese mobile number in one of the formats people write."""
    prefix = _pick(rng, _PHONE_PREFIXES)
    rest = "".join(str(int(d)) for d in rng.integers(0, 10, 7))
    digits = prefix + rest  # 10 digits
    style = int(rng.integers(6))
    if style == 0:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if style == 1:
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    if style == 2:
        return digits
    if style == 3:
        return f"+84 {digits[1:4]} {digits[4:7]} {digits[7:]}"
    if style == 4:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return f"(+84) {digits[1:]}"


def cccd_number(rng: np.random.Generator) -> str:
    """A made-up 12-digit citizen ID (province 001 = Hà Nội, century/sex digit, birth year)."""
    sex_century = _pick(rng, ("0", "1"))
    yy = f"{int(rng.integers(40, 100)):02d}"
    rest = "".join(str(int(d)) for d in rng.integers(0, 10, 6))
    return f"001{sex_century}{yy}{rest}"


# --------------------------------------------------------------------------------------
# Noise
# --------------------------------------------------------------------------------------

_ABBREVIATIONS = (
    ("Ủy ban nhân dân", "UBND"), ("tổ dân phố", "TDP"), ("an ninh trật tự", "ANTT"),
    ("phòng cháy, chữa cháy", "PCCC"), ("an toàn giao thông", "ATGT"),
    ("vệ sinh môi trường", "VSMT"), ("Mặt trận Tổ quốc", "MTTQ"), ("Hội đồng nhân dân", "HĐND"),
    ("bảo hiểm y tế", "BHYT"), ("giấy chứng nhận quyền sử dụng đất", "GCN QSDĐ"),
)
_EXPANSIONS = (("UBND phường", "Ủy ban nhân dân phường"), ("UBND quận", "Ủy ban nhân dân quận"),
               ("PCCC", "phòng cháy, chữa cháy"), ("ANTT", "an ninh trật tự"))
# New-style (on the main vowel) -> old-style tone placement, for oa/oe/uy syllables.
_TONES = {"a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ"}
_O_TONES = "òóỏõọ"
_U_TONES = "ùúủũụ"
_OLD_STYLE: dict[str, str] = {}
for _i in range(5):
    _OLD_STYLE[_O_TONES[_i] + "a"] = "o" + _TONES["a"][_i]
    _OLD_STYLE[_O_TONES[_i] + "e"] = "o" + _TONES["e"][_i]
    _OLD_STYLE[_U_TONES[_i] + "y"] = "u" + _TONES["y"][_i]
_OLD_TO_NEW = {v: k for k, v in _OLD_STYLE.items()}


def old_tone_marks(text: str) -> str:
    """'hòa' -> 'hoà', 'thủy' -> 'thuỷ', 'khỏe' -> 'khoẻ' (only where the syllable ends there).

    The brief calls this placement "old"; typists disagree on which is old, what matters is that
    both occur in real minutes and normalisation must make them one.
    """
    out = text
    for new, old in _OLD_STYLE.items():
        i = out.find(new)
        while i >= 0:
            end = i + len(new)
            if end == len(out) or not out[end].isalpha():
                out = out[:i] + old + out[end:]
            i = out.find(new, i + 1)
    return out


def new_tone_marks(text: str) -> str:
    """The reverse of old_tone_marks, so the bank can be written either way."""
    out = text
    for old, new in _OLD_TO_NEW.items():
        i = out.find(old)
        while i >= 0:
            end = i + len(old)
            if end == len(out) or not out[end].isalpha():
                out = out[:i] + new + out[end:]
            i = out.find(old, i + 1)
    return out


def strip_diacritics(text: str) -> str:
    s = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.combining(c)))


def _typo(rng: np.random.Generator, text: str) -> str:
    """One small slip of the keyboard or of the pen."""
    words = text.split(" ")
    kind = int(rng.integers(5))
    if kind == 0 and len(words) > 4:  # a doubled word
        i = int(rng.integers(1, len(words) - 1))
        words.insert(i, words[i])
        return " ".join(words)
    if kind == 1:  # a word without its diacritics
        idx = [i for i, w in enumerate(words) if strip_diacritics(w) != w]
        if idx:
            i = _pick(rng, idx)
            words[i] = strip_diacritics(words[i])
        return " ".join(words)
    if kind == 2:  # double space, no final full stop
        i = int(rng.integers(1, max(2, len(words))))
        return (" ".join(words[:i]) + "  " + " ".join(words[i:])).rstrip(".")
    if kind == 3:  # two letters swapped in one word
        idx = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        if idx:
            i = _pick(rng, idx)
            w = words[i]
            j = int(rng.integers(1, len(w) - 1))
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        return " ".join(words)
    return text[0].lower() + text[1:] if text else text  # lower-case start


def abbreviate(rng: np.random.Generator, text: str) -> str:
    out = text
    for full, abbr in _ABBREVIATIONS:
        if full in out and rng.random() < 0.6:
            out = out.replace(full, abbr)
        cap = full[0].upper() + full[1:]
        if cap in out and rng.random() < 0.6:
            out = out.replace(cap, abbr)
    return out


def expand(rng: np.random.Generator, text: str) -> str:
    out = text
    for abbr, full in _EXPANSIONS:
        if abbr in out and rng.random() < 0.5:
            out = out.replace(abbr, full, 1)
    return out


# --------------------------------------------------------------------------------------
# Composition
# --------------------------------------------------------------------------------------


def _cap(s: str) -> str:
    s = s.strip()
    return s[:1].upper() + s[1:] if s else s


def _fill(template: str, slots: dict[str, str]) -> str:
    return template.format(**slots)


def issues_for(topic: str, year: int) -> list[Issue]:
    return [i for i in ISSUES if i.topic == topic and (not i.years or year in i.years)]


def _choose_issue(rng: np.random.Generator, topic: str, year: int) -> Issue:
    cands = issues_for(topic, year)
    w = np.array([i.weight for i in cands], dtype=float)
    return cands[int(rng.choice(len(cands), p=w / w.sum()))]


def _request_sentence(rng: np.random.Generator, issue: Issue, slots: dict[str, str]) -> str:
    lead = _pick(rng, _REQUEST_LEADS)
    return _fill(lead, {"auth": _pick(rng, issue.authorities),
                        "req": _fill(_pick(rng, issue.requests), slots)})


@dataclass
class Opinion:
    """One generated text with its truth (what the generator meant)."""

    text: str
    topics: tuple[str, ...]
    issue: Issue
    frame: str
    has_phone: bool = False
    has_cccd: bool = False
    has_name: bool = False
    planted: list[tuple[str, str]] = field(default_factory=list)  # (kind, verbatim text)


def compose(rng: np.random.Generator, topic: str, year: int, ward_code: str,
            second_topic: str | None = None, level: str = "to_dan_pho") -> Opinion:
    """One opinion text on `topic` (and `second_topic` if given), before noise."""
    issue = _choose_issue(rng, topic, year)
    slots = _place(rng, ward_code) | {"year": str(year), "prev_year": str(year - 1)}
    problem_t = _pick(rng, issue.problems)
    problem = _fill(problem_t, slots)
    # A place named in the problem is not named again in the opener.
    opener_slots = slots | {"at_place": "trong ngõ"} if "{at_place}" in problem_t else slots
    opener = _fill(_pick(rng, _OPENERS), opener_slots)
    if second_topic is not None:
        other = _choose_issue(rng, second_topic, year)
        slots2 = _place(rng, ward_code) | {"year": str(year), "prev_year": str(year - 1)}
        p2 = _fill(_pick(rng, other.problems), slots2)
        r1 = _fill(_pick(rng, issue.requests), slots)
        r2 = _fill(_pick(rng, other.requests), slots2)
        head = _pick(rng, (f"{opener} hai nội dung: thứ nhất, ", f"{opener} ",
                           "Ý kiến gồm hai vấn đề: "))
        joiners = ["; ngoài ra, ", "; đồng thời ", ". Bên cạnh đó, "]
        if "thứ nhất" in head:
            joiners += ["; thứ hai, ", "; thứ hai, "]
        joiner = _pick(rng, joiners)
        text = (f"{head}{problem}{joiner}{p2}. Đề nghị {_pick(rng, issue.authorities)} {r1}, "
                f"{_pick(rng, ('đồng thời', 'và', 'cùng với đó là'))} {r2}.")
        return Opinion(_cap(text), (topic, second_topic), issue, "two_issues")

    r = rng.random()
    if topic == "khac" and r < 0.45:
        text = _fill(_pick(rng, _AGREE_ONLY), slots)
        return Opinion(text, (topic,), issue, "agree")
    if r < 0.40:
        frame = "report_request"
        when = f" {_pick(rng, _TIMES)}" if rng.random() < 0.25 else ""
        text = f"{opener} {problem}.{when} {_request_sentence(rng, issue, slots)}"
    elif r < 0.52:
        frame = "request_first"
        req = _fill(_pick(rng, issue.requests), slots)
        text = (f"Đề nghị {_pick(rng, issue.authorities)} {req}, "
                f"{_pick(rng, ('vì', 'do', 'bởi hiện nay'))} {problem}.")
    elif r < 0.64 and (issue.questions or issue.short):
        frame = "question"
        if issue.questions and rng.random() < 0.6:
            q = _fill(_pick(rng, issue.questions), slots)
        else:
            req = _fill(_pick(rng, issue.requests), slots)
            q = _pick(rng, (f"bao giờ {_pick(rng, issue.authorities)} mới {req}",
                            f"khi nào thì {req}",
                            f"đến bao giờ {problem.split(',')[0]} mới được giải quyết"))
        text = _cap(_fill(_pick(rng, _QUESTION_LEADS), {"q": _cap(q) if rng.random() < 0.5 else q}))
    elif r < 0.78 and issue.short:
        frame = "terse"
        s = _fill(_pick(rng, issue.short), slots)
        tail = _pick(rng, (", đề nghị xử lý.", " – đề nghị phường xử lý.", ". Đề nghị kiểm tra.",
                           f", đề nghị {_fill(_pick(rng, issue.requests), slots)}.",
                           ".", " (đã phản ánh nhiều lần)."))
        text = s + tail
    elif r < 0.86:
        frame = "praise_but"
        text = (f"{_pick(rng, _PRAISE)}, tuy nhiên {problem}. "
                f"{_request_sentence(rng, issue, slots)}")
    elif r < 0.93:
        frame = "recurrent"
        text = (f"{_fill(_pick(rng, _RECURRENT), slots)} {problem}. "
                f"{_request_sentence(rng, issue, slots)}")
    else:
        frame = "personal"
        lead = _pick(rng, ("Gia đình tôi ở {place},", "Nhà tôi ngay {place},",
                           "Các hộ chúng tôi {at_place} rất bức xúc vì"))
        local = _fill(problem_t, slots | {"at_place": _pick(rng, _HERE)})
        text = f"{_fill(lead, slots)} {local}. {_request_sentence(rng, issue, slots)}"
    if level == "phuong" and rng.random() < 0.35:
        text = _pick(rng, ("Thay mặt cử tri tổ dân phố, ", "Đại diện các tổ dân phố phản ánh: ",
                           "Tổng hợp từ hội nghị các tổ dân phố: ")) + text[0].lower() + text[1:]
    return Opinion(_cap(text), (topic,), issue, frame)


def add_personal_data(rng: np.random.Generator, op: Opinion, ward_code: str,
                      phone: bool, cccd: bool, name: bool) -> Opinion:
    """Put a phone number, a CCCD number and/or a named person into the text."""
    text = op.text.rstrip()
    if name:
        hon, full = person_name(rng)
        slots = _place(rng, ward_code)
        house = f"số {int(rng.integers(1, 120))} {slots['ngo']}"
        kind = int(rng.integers(4))
        if kind == 0:
            text = f"{hon.capitalize()} {full} ở {house} phản ánh: {text[0].lower()}{text[1:]}"
        elif kind == 1:
            text = f"{text} Người phản ánh: {hon} {full}, {house}."
        elif kind == 2:
            text = (f"{text} Cụ thể là hộ {hon} {full} ({house}) "
                    f"{_pick(rng, ('vi phạm nhiều lần', 'đã được nhắc nhở nhưng không chấp hành'))}.")
        else:
            text = f"{text} Đề nghị liên hệ {hon} {full} (tổ trưởng) để phối hợp."
        op.has_name = True
        op.planted.append(("name", full))
        if kind != 3:
            op.planted.append(("house", house))
    if cccd:
        num = cccd_number(rng)
        text = f"{text} {_pick(rng, ('CCCD số', 'Số CCCD:', 'căn cước công dân số', 'CCCD'))} {num}."
        op.has_cccd = True
        op.planted.append(("id_number", num))
    if phone:
        num = phone_number(rng)
        text = f"{text} {_pick(rng, ('Liên hệ:', 'SĐT', 'ĐT:', 'Số điện thoại:', 'Điện thoại liên hệ'))} {num}."
        op.has_phone = True
        op.planted.append(("phone", num))
    op.text = text.replace("..", ".")
    return op


_BANKS = ("Vietcombank", "Agribank", "BIDV", "VietinBank", "Techcombank", "MB", "ACB")
_NICKS = ("Bánh Cuốn", "Hàng Xôi", "Sửa Xe", "Tạp Hóa", "Hoa Tươi", "Mẹ Bắp")
_TITLES = ("Tổ trưởng", "Tổ phó", "Bí thư chi bộ", "Trưởng ban công tác Mặt trận",
           "Chi hội trưởng phụ nữ", "Cảnh sát khu vực")


def _digits(rng: np.random.Generator, n: int) -> str:
    return "".join(str(int(d)) for d in rng.integers(0, 10, n))


def add_more_personal_data(rng: np.random.Generator, op: Opinion, ward_code: str) -> Opinion:
    """One more kind of personal data, as minutes and petitions write it (see module doc)."""
    hon, full = person_name(rng)
    given = full.split()[-1]
    kind = int(rng.integers(11))
    text = op.text.rstrip()
    if kind == 0:  # a full name with no honorific, opening the opinion
        text, item = f"{full} phản ánh: {text[0].lower()}{text[1:]}", ("name", full)
    elif kind == 1:  # after a title
        title = _pick(rng, _TITLES)
        text, item = f"{text} {title} {full} đã ghi nhận ý kiến.", ("name", full)
    elif kind == 2:  # given names alone, after honorifics
        other = person_name(rng)[1].split()[-1]
        text = f"{text} Cháu {given} nhà {hon} {other} cũng bị ảnh hưởng."
        item = ("name", f"Cháu {given} nhà {hon} {other}")
    elif kind == 3:  # a house number before its alley
        slots = _place(rng, ward_code)
        house = f"Nhà số {int(rng.integers(1, 150))}"
        text, item = f"{text} {house} {slots['ngo']} bị ảnh hưởng nhiều nhất.", ("house", house)
    elif kind == 4:  # a flat or room number
        flat = _pick(rng, (f"P.{int(rng.integers(1, 13))}0{int(rng.integers(1, 9))}",
                           f"căn hộ {int(rng.integers(2, 25))}0{int(rng.integers(1, 9))}"))
        text, item = f"{text} Hộ ở {flat} tòa B đề nghị được trả lời.", ("house", flat)
    elif kind == 5:  # a vehicle plate
        plate = (f"{_pick(rng, ('29', '30'))}{_pick(rng, 'ABCDEFGHK')}-"
                 f"{_digits(rng, 3)}.{_digits(rng, 2)}")
        text, item = f"{text} Xe ô tô {plate} thường xuyên đỗ chắn lối đi.", ("plate", plate)
    elif kind == 6:  # a date of birth
        dob = f"{int(rng.integers(1, 29)):02d}/{int(rng.integers(1, 13)):02d}/{int(rng.integers(1935, 1965))}"
        text, item = f"{text} ({hon.capitalize()} {full}, sinh ngày {dob}.)", ("dob", dob)
        op.planted.append(("name", full))
    elif kind == 7:  # a bank account
        account = f"{_pick(rng, ('1', '2', '7'))}{_digits(rng, 12)}"
        text = f"{text} Ủng hộ xin chuyển vào STK {account} {_pick(rng, _BANKS)}."
        item = ("bank_account", account)
    elif kind == 8:  # a social account
        handle = _pick(rng, (f"{given} {_pick(rng, _NICKS)}",
                             f"facebook.com/{strip_diacritics(given).lower()}.{_digits(rng, 4)}"))
        sep = ": " if "/" not in handle else " "
        text, item = f"{text} Ảnh đã đăng trên zalo{sep}{handle}.", ("social", handle)
    elif kind == 9:  # a passport number
        passport = f"{_pick(rng, 'BC')}{_digits(rng, 7)}"
        text, item = f"{text} Người thuê nhà có hộ chiếu số {passport}.", ("passport", passport)
    else:  # a personal tax number (personal ones start with 8)
        tax = f"8{_digits(rng, 9)}"
        text, item = f"{text} Hộ kinh doanh có mã số thuế {tax}.", ("tax_id", tax)
    op.text = text.replace("..", ".")
    op.planted.append(item)
    return op


def add_noise(rng: np.random.Generator, text: str, old_style: bool = False) -> tuple[str, str]:
    """Abbreviations, old tone marks, typos, missing diacritics; returns (text, what was done)."""
    done = []
    if rng.random() < 0.55:
        text = abbreviate(rng, text)
        done.append("abbr")
    elif rng.random() < 0.3:
        text = expand(rng, text)
    if old_style and rng.random() < 0.9:
        text = old_tone_marks(text)
        done.append("old_tones")
    r = rng.random()
    if r < 0.015:
        text = strip_diacritics(text)
        done.append("no_diacritics")
    elif r < 0.08:
        text = _typo(rng, text)
        done.append("typo")
    return text, ";".join(done)


def generate_opinion(rng: np.random.Generator, year: int, ward_code: str,
                     level: str = "to_dan_pho", old_style: bool | None = None,
                     pii_rng: np.random.Generator | None = None) -> Opinion:
    """One finished opinion (with noise and, sometimes, personal data).

    old_style: whether the minute-taker places tone marks the other way (hoà, thuỷ); a
    typist keeps one habit, so the caller decides per conference. None draws it.
    pii_rng: the stream that decides the other kinds of personal data (none without it).
    """
    weights = TOPIC_WEIGHTS.get(year, TOPIC_WEIGHTS[2023])
    codes = list(weights)
    p = np.array([weights[c] for c in codes], dtype=float)
    p /= p.sum()
    topic = codes[int(rng.choice(len(codes), p=p))]
    second = None
    if topic != "khac" and rng.random() < 0.15:
        others = [c for c in codes if c not in (topic, "khac")]
        q = np.array([weights[c] for c in others], dtype=float)
        second = others[int(rng.choice(len(others), p=q / q.sum()))]
    op = compose(rng, topic, year, ward_code, second, level)
    op.text = new_tone_marks(op.text)  # one convention before the noise decides
    phone = rng.random() < PHONE_RATE
    cccd = rng.random() < CCCD_RATE
    name = rng.random() < NAME_RATE
    if old_style is None:
        old_style = rng.random() < OLD_STYLE_SHARE
    text, _ = add_noise(rng, op.text, old_style)
    op.text = text
    if phone or cccd or name:
        op = add_personal_data(rng, op, ward_code, phone, cccd, name)
    if pii_rng is not None and pii_rng.random() < EXTRA_PERSONAL_RATE:
        op = add_more_personal_data(pii_rng, op, ward_code)
    op.text = unicodedata.normalize("NFC", " ".join(op.text.split(" ")).strip())
    op.planted = [(k, unicodedata.normalize("NFC", v)) for k, v in op.planted]
    return op


# --------------------------------------------------------------------------------------
# Follow-up: who answers, what they said
# --------------------------------------------------------------------------------------

_STATUS_P = {
    "Tổ dân phố": {"resolved": 0.8, "in_progress": 0.2, "forwarded": 0.0},
    "UBND phường": {"resolved": 0.6, "in_progress": 0.3, "forwarded": 0.1},
    "UBND quận": {"resolved": 0.2, "in_progress": 0.3, "forwarded": 0.5},
    "Thành phố": {"resolved": 0.05, "in_progress": 0.15, "forwarded": 0.8},
}
_RESPONSES = {
    "resolved": (
        "Đã chỉ đạo tổ dân phố phối hợp xử lý, kết quả đã thông báo tới bà con.",
        "UBND phường đã kiểm tra, xử lý dứt điểm trong tháng {m}/{year}.",
        "Đã khắc phục xong.",
        "Đã làm việc với đơn vị liên quan, vụ việc đã được giải quyết.",
        "Đã giải quyết, trả lời cử tri tại hội nghị.",
        "Đã xử lý; tổ dân phố tiếp tục theo dõi, báo cáo nếu tái diễn.",
        "Đã tiếp thu, thực hiện từ quý {q}/{year}.",
    ),
    "in_progress": (
        "Đang khảo sát, dự kiến thực hiện trong quý {q}/{year}.",
        "UBND phường đang phối hợp các đơn vị kiểm tra, xử lý.",
        "Đã đưa vào kế hoạch năm {year}, đang triển khai.",
        "Đang tiếp tục xử lý, sẽ thông báo kết quả tại tổ dân phố.",
        "Đã giao bộ phận chuyên môn xem xét, đang hoàn thiện hồ sơ.",
    ),
    "forwarded": (
        "Đã tổng hợp, chuyển UBND quận xem xét giải quyết theo thẩm quyền.",
        "Nội dung thuộc thẩm quyền cấp trên, đã chuyển UBND quận.",
        "Đã báo cáo, đề xuất Thành phố xem xét.",
        "Đã chuyển các sở, ngành liên quan giải quyết theo thẩm quyền.",
        "Đã có văn bản gửi UBND quận, chờ trả lời.",
    ),
}


_RESOLVED_BY = {
    "Tổ dân phố": ("Tổ dân phố đã vận động các hộ, tình trạng đã chấm dứt.",
                   "Đã nhắc nhở, các hộ cam kết thực hiện.",
                   "Tổ đã họp dân, thống nhất cách làm; đã thực hiện xong."),
    "UBND quận": ("UBND quận đã trả lời bằng văn bản; nội dung đã được giải quyết.",
                  "Đã được UBND quận bố trí kinh phí, thi công xong tháng {m}/{year}."),
    "Thành phố": ("Đã được Thành phố đưa vào danh mục đầu tư, hoàn thành tháng {m}/{year}.",
                  "Các sở, ngành của Thành phố đã trả lời, nội dung đã được giải quyết."),
}


def follow_up(rng: np.random.Generator, op: Opinion, year: int, level: str) -> tuple[str, str, str]:
    """(addressed_to, status, response) for an opinion that has been answered."""
    addressed = list(op.issue.addressed)
    if level == "phuong":
        addressed = [a for a in addressed if a != "Tổ dân phố"] or ["UBND phường"]
    elif "UBND phường" in addressed and rng.random() < 0.25:  # small local matters
        addressed = ["Tổ dân phố", *addressed]
    to = _pick(rng, addressed)
    p = _STATUS_P[to].copy()
    if year <= 2022:  # older opinions have had longer to be resolved
        p["resolved"] += 0.15
        p["in_progress"] = max(0.0, p["in_progress"] - 0.15)
    statuses = list(p)
    w = np.array([p[s] for s in statuses])
    status = statuses[int(rng.choice(len(statuses), p=w / w.sum()))]
    options = _RESPONSES[status]
    if status == "resolved" and to in _RESOLVED_BY and rng.random() < 0.7:
        options = _RESOLVED_BY[to]
    resp = _pick(rng, options).format(
        m=int(rng.integers(3, 13)), q=_pick(rng, ("II", "III", "IV")), year=year)
    return to, status, resp
