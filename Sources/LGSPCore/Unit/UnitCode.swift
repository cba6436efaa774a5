/// An identifier code of an agency or unit under QCVN 102:2016/BTTTT (`DDD.DD.DD.LNN`).
///
/// The code is read right to left: the last group is level 1 (a letter and two digits: `G22`
/// for a central body, `H23` for a province), then level 2, level 3 and level 4. A zero group
/// (`00`, `000`) means "this level itself": `000.00.00.H23` is the province, `000.00.05.H23` a
/// level-2 unit of it. Values are stored as numbers so that lenient parsing can canonicalise
/// noisy input (`01.02.G22`, `999.010.01.H22`).
public struct UnitCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Level 1: an uppercase letter and a two-digit number, e.g. `H23`.
    public let level1: String
    /// Level 2 (two digits), 0 meaning "the level-1 unit itself".
    public let level2: Int
    /// Level 3 (two digits).
    public let level3: Int
    /// Level 4 (three digits).
    public let level4: Int

    /// Creates a code from its groups without validation; use `parse(strict:)` or `parse(lenient:)` for input.
    public init(level1: String, level2: Int = 0, level3: Int = 0, level4: Int = 0) {
        self.level1 = level1
        self.level2 = level2
        self.level3 = level3
        self.level4 = level4
    }

    /// The canonical text form, `DDD.DD.DD.LNN`.
    public var rawValue: String {
        pad(level4, 3) + "." + pad(level3, 2) + "." + pad(level2, 2) + "." + level1
    }

    public var description: String { rawValue }

    /// The deepest level this code names (1 for `000.00.00.H23`, 2 for `000.00.05.H23`, …).
    public var level: Int {
        if level4 != 0 { return 4 }
        if level3 != 0 { return 3 }
        if level2 != 0 { return 2 }
        return 1
    }

    /// The code of the unit one level up, or nil for a level-1 code.
    public var parent: UnitCode? {
        switch level {
        case 4: return UnitCode(level1: level1, level2: level2, level3: level3)
        case 3: return UnitCode(level1: level1, level2: level2)
        case 2: return UnitCode(level1: level1)
        default: return nil
        }
    }

    /// The level-1 code (`000.00.00.H23` for any code ending in `H23`).
    public var root: UnitCode { UnitCode(level1: level1) }

    public static func < (lhs: UnitCode, rhs: UnitCode) -> Bool {
        (lhs.level1, lhs.level2, lhs.level3, lhs.level4) < (rhs.level1, rhs.level2, rhs.level3, rhs.level4)
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension UnitCode: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let code = UnitCode(lenient: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a QCVN 102:2016 unit code")
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
