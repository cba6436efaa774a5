/// The differences between an expected and an actual JSON value, one readable line each:
/// `/name/family: expected "Nguyễn", got "Nguyen"`, `/gender: missing (expected "1")`,
/// `/extra: unexpected "x"`.
public enum JSONDiff {
    /// The differences, expected members first, in document order; empty when the values are equal.
    public static func lines(expected: JSONValue, actual: JSONValue, path: String = "") -> [String] {
        let at = path.isEmpty ? "(root)" : path
        switch (expected, actual) {
        case (.object(let left), .object(let right)):
            var lines: [String] = []
            for member in left {
                let memberPath = path + "/" + JSONSchemaURI.escape(member.key)
                if let other = right[member.key] {
                    lines += Self.lines(expected: member.value, actual: other, path: memberPath)
                } else {
                    lines.append("\(memberPath): missing (expected \(show(member.value)))")
                }
            }
            for member in right where left[member.key] == nil {
                lines.append("\(path)/\(JSONSchemaURI.escape(member.key)): unexpected \(show(member.value))")
            }
            return lines
        case (.array(let left), .array(let right)):
            var lines: [String] = []
            for index in 0..<max(left.count, right.count) {
                let itemPath = path + "/\(index)"
                if index >= right.count {
                    lines.append("\(itemPath): missing (expected \(show(left[index])))")
                } else if index >= left.count {
                    lines.append("\(itemPath): unexpected \(show(right[index]))")
                } else {
                    lines += Self.lines(expected: left[index], actual: right[index], path: itemPath)
                }
            }
            return lines
        default:
            return expected == actual ? [] : ["\(at): expected \(show(expected)), got \(show(actual))"]
        }
    }

    static func show(_ value: JSONValue) -> String {
        let text = JSONSerializer.string(value)
        return text.count > 120 ? String(text.prefix(117)) + "…" : text
    }
}
