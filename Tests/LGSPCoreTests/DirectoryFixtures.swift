import Foundation
import LGSPCore

/// A provincial directory built from real names: the 114 wards and communes of Hải Phòng (2025,
/// Tests/Fixtures/directory) and the city's departments, with test codes.
enum DirectoryFixtures {
    static let epoch = Date(timeIntervalSince1970: 1_751_302_800)  // 2025-07-01 00:00 +07:00

    static func unit(_ code: String, _ name: String, status: UnitStatus = .active) -> Unit {
        Unit(code: UnitCode(lenient: code)!, name: name, status: status, createdAt: epoch)
    }

    /// The city, its council, and departments as named after the 2025 mergers (plus the merged Sở TT&TT).
    static let departments: [Unit] = [
        unit("000.00.00.H24", "Ủy ban nhân dân thành phố Hải Phòng"),
        unit("000.00.01.H24", "Văn phòng Ủy ban nhân dân thành phố"),
        unit("000.00.02.H24", "Hội đồng nhân dân thành phố Hải Phòng"),
        unit("000.00.05.H24", "Sở Tài chính"),
        unit("000.00.06.H24", "Sở Tư pháp"),
        unit("000.00.07.H24", "Sở Nội vụ"),
        unit("000.00.08.H24", "Sở Xây dựng"),
        unit("000.00.09.H24", "Sở Công Thương"),
        unit("000.00.10.H24", "Sở Y tế"),
        unit("000.00.11.H24", "Sở Giáo dục và Đào tạo"),
        unit("000.00.12.H24", "Sở Khoa học và Công nghệ"),
        unit("000.00.13.H24", "Sở Nông nghiệp và Môi trường"),
        unit("000.00.14.H24", "Sở Văn hóa, Thể thao và Du lịch"),
        unit("000.00.15.H24", "Thanh tra thành phố"),
        unit("000.00.20.H24", "Sở Thông tin và Truyền thông", status: .inactive),
    ]

    /// The wards of Hải Phòng, coded `000.LL.9X.H24` in file order.
    static let wards: [Unit] = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/directory/hai-phong-wards-2025.csv")
        let lines = (try? String(contentsOf: file, encoding: .utf8))?.split(separator: "\n").dropFirst() ?? []
        return lines.enumerated().map { index, line in
            let name = String(line.split(separator: ",", maxSplits: 1)[1])
            let (level2, level3) = (90 + index / 99, index % 99 + 1)
            return Unit(code: UnitCode(level1: "H24", level2: level2, level3: level3), name: name, createdAt: epoch)
        }
    }()

    static let all = departments + wards

    static func named(_ name: String) -> Unit {
        all.first { $0.name == name }!
    }
}
