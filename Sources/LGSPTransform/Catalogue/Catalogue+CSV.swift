extension Catalogue {
    /// The catalogue as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote
    /// or a line break), header row first.
    public func csv() -> String {
        var text = ""
        for record in [columns] + rows {
            text += record.map(Self.field).joined(separator: ",") + "\r\n"
        }
        return text
    }

    private static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
