"""Label mappings for corpora whose own labels are not vanban's: procedures and national legal documents.

``TTHC_TOPIC`` maps the national public-service portal's procedure field (``linh_vuc``) onto the 14 topic
codes of topic_guidelines.md. Only fields whose mapping is unambiguous are listed; banking, securities,
insurance and other fields that straddle two codes are left out, so their procedures are not used.

``LEGAL_TYPES`` maps the ``type_level1`` of national legal documents onto document-type slugs.
"""

from __future__ import annotations

from types import MappingProxyType

_TTHC_TOPIC = {
    # Đất đai – Tài nguyên – Môi trường
    "Đất đai": "dat-dai", "Địa chất và khoáng sản": "dat-dai", "Tài nguyên nước": "dat-dai",
    "Biển và hải đảo": "dat-dai", "Biến đổi khí hậu": "dat-dai", "Môi trường": "dat-dai",
    "Bảo tồn thiên nhiên và Đa dạng sinh học": "dat-dai", "Khí tượng, thủy văn": "dat-dai",
    "Đo đạc, bản đồ và thông tin địa lý": "dat-dai", "Tài chính đất đai": "dat-dai",
    # Nông nghiệp – Phát triển nông thôn
    "Thú y": "nong-nghiep", "Thủy sản": "nong-nghiep", "Trồng trọt và Bảo vệ thực vật": "nong-nghiep",
    "Thủy lợi": "nong-nghiep", "Chăn nuôi": "nong-nghiep", "Lâm nghiệp": "nong-nghiep", "Kiểm lâm": "nong-nghiep",
    "Quản lý chất lượng nông lâm sản và thủy sản": "nong-nghiep", "Nông nghiệp": "nong-nghiep",
    "Trồng trọt": "nong-nghiep", "Kinh tế hợp tác và Phát triển nông thôn": "nong-nghiep",
    "Quản lý Đê điều và Phòng, chống thiên tai": "nong-nghiep",
    # Xây dựng – Giao thông – Đô thị
    "Hàng hải và đường thủy nội địa": "xay-dung", "Hàng không": "xay-dung", "Đường bộ": "xay-dung",
    "Nhà ở và công sở": "xay-dung", "Đăng kiểm": "xay-dung", "Hoạt động xây dựng": "xay-dung",
    "Đường sắt": "xay-dung", "Kinh doanh bất động sản": "xay-dung", "Quy hoạch đô thị và nông thôn": "xay-dung",
    "Kiến trúc": "xay-dung", "Bảo đảm trật tự, an toàn giao thông đường bộ": "xay-dung",
    "Hạ tầng kỹ thuật": "xay-dung", "Phát triển đô thị": "xay-dung", "Vật liệu xây dựng": "xay-dung",
    "Quản lý chất lượng công trình xây dựng": "xay-dung", "Giao thông vận tải": "xay-dung",
    # Kinh tế – Công thương – Đầu tư – Doanh nghiệp
    "Thành lập và hoạt động của doanh nghiệp": "kinh-te", "Đầu tư tại Việt nam": "kinh-te",
    "Thành lập và hoạt động của tổ hợp tác, hợp tác xã, liên hiệp hợp tác xã": "kinh-te",
    "Hỗ trợ doanh nghiệp nhỏ và vừa": "kinh-te", "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)": "kinh-te",
    "Quản lý giá": "kinh-te", "Quản lý nhà nước về khu công nghiệp, khu kinh tế": "kinh-te",
    # Tài chính – Ngân sách – Đầu tư công
    "Hải quan": "tai-chinh", "Thuế": "tai-chinh", "Quản lý nợ": "tai-chinh", "Kế toán, kiểm toán": "tai-chinh",
    "Kho bạc Nhà nước": "tai-chinh", "Quản lý công sản": "tai-chinh", "Đấu thầu": "tai-chinh",
    "Quản lý thuế, phí, lệ phí và thu khác của ngân sách nhà nước": "tai-chinh", "Dự trữ": "tai-chinh",
    # Lao động – Việc làm – An sinh xã hội
    "Thực hiện chính sách BHXH": "lao-dong", "Người có công": "lao-dong", "Giảm nghèo": "lao-dong",
    "Kiểm định kỹ thuật an toàn lao động": "lao-dong", "Chi trả các chế độ BHXH": "lao-dong",
    "Thực hiện chính sách BHYT": "lao-dong",
    # Nội vụ – Thi đua khen thưởng
    "Thi đua – Khen thưởng": "noi-vu", "Thi đua khen thưởng": "noi-vu", "Tổ chức, cán bộ": "noi-vu",
    # Tư pháp – Thanh tra – Pháp chế
    "Hộ tịch": "tu-phap", "Luật sư": "tu-phap", "Công chứng": "tu-phap", "Đăng ký biện pháp bảo đảm": "tu-phap",
    "Thừa phát lại": "tu-phap", "Giám định tư pháp": "tu-phap", "Nuôi con nuôi": "tu-phap", "Chứng thực": "tu-phap",
    "Trọng tài thương mại": "tu-phap", "Hòa giải thương mại": "tu-phap", "Trợ giúp pháp lý": "tu-phap",
    "Đấu giá tài sản": "tu-phap", "Quốc tịch": "tu-phap", "Bồi thường nhà nước": "tu-phap",
    "Khiếu nại, tố cáo": "tu-phap", "Tư vấn pháp luật": "tu-phap", "Thi hành án dân sự": "tu-phap",
    "Hòa giải ở cơ sở": "tu-phap", "Lý lịch tư pháp": "tu-phap", "Tòa án": "tu-phap",
    # Quốc phòng – An ninh – Trật tự
    "Quản lý xuất nhập cảnh": "an-ninh", "Quản lý vũ khí, vật liệu nổ, công cụ hỗ trợ và pháo": "an-ninh",
    "Cấp, quản lý căn cước": "an-ninh", "Đăng ký, quản lý cư trú": "an-ninh",
    "Bảo đảm an ninh hàng không": "an-ninh", "Tổ chức cai nghiên ma túy và quản lý sau cai nghiện": "an-ninh",
    "Đảm bảo an toàn thông tin, an ninh mạng": "an-ninh", "Phòng cháy, chữa cháy": "an-ninh",
    "Quản lý ngành nghề đầu tư, kinh doanh có điều kiện về an ninh, trật tự": "an-ninh",
    "Đăng ký, quản lý con dấu": "an-ninh",
    # Thông tin – Truyền thông – Khoa học công nghệ
    "Khoa học công nghệ": "thong-tin", "Khoa học và Công nghệ": "thong-tin",
}
TTHC_TOPIC: MappingProxyType[str, str] = MappingProxyType(_TTHC_TOPIC)

_LEGAL_TYPES = {
    "QUYẾT ĐỊNH": "quyet-dinh", "NGHỊ QUYẾT": "nghi-quyet", "NGHỊ ĐỊNH": "nghi-dinh", "THÔNG TƯ": "thong-tu",
    "LUẬT": "luat", "PHÁP LỆNH": "phap-lenh",
}
LEGAL_TYPES: MappingProxyType[str, str] = MappingProxyType(_LEGAL_TYPES)
