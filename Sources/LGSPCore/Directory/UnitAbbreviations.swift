/// The abbreviations of Vietnamese administrative names that search understands, in both queries
/// and registered names (`UBND Phường Hải An` is found by `ủy ban nhân dân hải an`, and `Sở TT&TT`
/// finds `Sở Thông tin và Truyền thông`).
///
/// Keys are folded (`VietnameseText.fold`) with punctuation removed, so `TT&TT`, `tt & tt` and
/// `TTTT` share the key `tttt`, and `LĐ-TB&XH` has the key `ldtbxh`. Only unambiguous forms are
/// listed: `TT` alone (thị trấn? trung tâm?) and `TC` (tài chính? tổ chức?) are not.
///
/// Changing the table changes stored search keys: bump `VietnameseText.searchKeyVersion`.
public enum UnitAbbreviations {
    /// Abbreviation key → expansion, as written in official names.
    public static let table: [String: String] = [
        // Bodies of the state at every level
        "ubnd": "ủy ban nhân dân",
        "hdnd": "hội đồng nhân dân",
        "ubmttq": "ủy ban mặt trận tổ quốc",
        "mttq": "mặt trận tổ quốc",
        "tand": "tòa án nhân dân",
        "vksnd": "viện kiểm sát nhân dân",
        "vp": "văn phòng",
        "bql": "ban quản lý",
        // Administrative units
        "tp": "thành phố",
        "tx": "thị xã",
        // Departments (sở) and their fields, before and after the 2025 mergers
        "tttt": "thông tin và truyền thông",
        "khcn": "khoa học và công nghệ",
        "khdt": "kế hoạch và đầu tư",
        "tnmt": "tài nguyên và môi trường",
        "nnmt": "nông nghiệp và môi trường",
        "nnptnt": "nông nghiệp và phát triển nông thôn",
        "gddt": "giáo dục và đào tạo",
        "ldtbxh": "lao động thương binh và xã hội",
        "vhttdl": "văn hóa thể thao và du lịch",
        "gtvt": "giao thông vận tải",
        "cntt": "công nghệ thông tin",
        "bhxh": "bảo hiểm xã hội",
        // Schools and zones
        "thpt": "trung học phổ thông",
        "thcs": "trung học cơ sở",
        "kcn": "khu công nghiệp",
    ]

    private static let folded: [String: [String]] = table.mapValues { VietnameseText.fold($0).split(separator: " ").map(String.init) }

    /// The folded words an abbreviation key stands for, or nil if the key is not an abbreviation.
    public static func expansion(of key: String) -> [String]? {
        folded[key]
    }
}
