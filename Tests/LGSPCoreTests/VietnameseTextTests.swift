import Foundation
import LGSPCore
import Testing

@Suite("VietnameseText")
struct VietnameseTextTests {
    @Test(
        "folding drops case and diacritics, turns đ into d and punctuation into spaces",
        arguments: [
            ("Sở Tài chính", "so tai chinh"),
            ("SỞ TÀI CHÍNH", "so tai chinh"),
            ("so tai chinh", "so tai chinh"),
            ("Đặc khu Cát Hải", "dac khu cat hai"),
            ("Phường Đồ Sơn", "phuong do son"),
            ("Xã Nguyễn Bỉnh Khiêm", "xa nguyen binh khiem"),
            ("Phường Lê Ích Mộc", "phuong le ich moc"),
            ("Xã Khúc Thừa Dụ", "xa khuc thua du"),
            ("Sở Văn hóa, Thể thao và Du lịch", "so van hoa the thao va du lich"),
            ("  Xã   Bạch Long Vĩ \t", "xa bach long vi"),
            ("Phường 12", "phuong 12"),
            ("", ""),
        ])
    func fold(_ text: String, _ expected: String) {
        #expect(VietnameseText.fold(text) == expected)
    }

    @Test("decomposed input and both tone-mark placements fold alike")
    func fold_isNormalisationAndPlacementInsensitive() {
        #expect(VietnameseText.fold("Phường Hoà Bình") == VietnameseText.fold("Phường Hòa Bình"))
        #expect(VietnameseText.fold("Thuỷ Nguyên") == VietnameseText.fold("Thủy Nguyên"))
        #expect(VietnameseText.fold("Sở Tài chính".decomposedStringWithCanonicalMapping) == "so tai chinh")
    }

    @Test(
        "search words expand the abbreviations of administrative names",
        arguments: [
            ("UBND Phường Hải An", "uy ban nhan dan phuong hai an"),
            ("Sở TT&TT", "so thong tin va truyen thong"),
            ("Sở TT & TT", "so thong tin va truyen thong"),
            ("sở tttt", "so thong tin va truyen thong"),
            ("Sở KH&CN", "so khoa hoc va cong nghe"),
            ("HĐND TP Hải Phòng", "hoi dong nhan dan thanh pho hai phong"),
            ("Sở LĐ-TB&XH", "so lao dong thuong binh va xa hoi"),
            ("Sở VH-TT&DL", "so van hoa the thao va du lich"),
            ("Sở GD&ĐT", "so giao duc va dao tao"),
            ("VP UBND TP", "van phong uy ban nhan dan thanh pho"),
            ("Trường THPT Trần Phú", "truong trung hoc pho thong tran phu"),
            // Not abbreviations: ambiguous short forms and unknown compounds stay as they are.
            ("TT Y tế", "tt y te"),
            ("A&B", "a b"),
        ])
    func searchWords(_ text: String, _ expected: String) {
        #expect(VietnameseText.searchKey(text) == expected)
    }

    @Test("every abbreviation key is folded text and expands to folded words")
    func abbreviationTable_isFolded() {
        for (key, expansion) in UnitAbbreviations.table {
            #expect(VietnameseText.fold(key) == key && !key.contains(" "), "\(key)")
            #expect(UnitAbbreviations.expansion(of: key) == VietnameseText.fold(expansion).split(separator: " ").map(String.init))
        }
    }

    @Test("accent words keep diacritics but not where the tone mark sits")
    func accentWords() {
        #expect(VietnameseText.accentWords("Hoà Bình") == VietnameseText.accentWords("Hòa Bình"))
        #expect(VietnameseText.accentWords("Kiến Thuỵ") == VietnameseText.accentWords("kiến thụy"))
        #expect(VietnameseText.accentWords("Cẩm Giang") != VietnameseText.accentWords("Cẩm Giàng"))
        #expect(VietnameseText.accentWords("Đồ Sơn") != VietnameseText.accentWords("Do Sơn"))
        #expect(VietnameseText.hasDiacritics("Đồ Sơn"))
        #expect(!VietnameseText.hasDiacritics("do son"))
    }
}
