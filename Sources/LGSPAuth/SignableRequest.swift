/// A request as it travels on the wire, in the form signatures are computed over.
///
/// `rawPath` and `rawQuery` are exactly as sent (still percent-encoded); header names are
/// case-insensitive and a name may repeat.
public struct SignableRequest: Sendable, Hashable {
    public var method: String
    public var rawPath: String
    public var rawQuery: String?
    /// Header names are kept lowercased (HTTP names are case-insensitive), however they are set.
    public var headers: [(name: String, value: String)] {
        didSet { headers = Self.lowercasingNames(headers) }
    }

    public init(method: String, rawPath: String, rawQuery: String?, headers: [(name: String, value: String)]) {
        self.method = method
        self.rawPath = rawPath.isEmpty ? "/" : rawPath
        self.rawQuery = rawQuery
        self.headers = Self.lowercasingNames(headers)
    }

    private static func lowercasingNames(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        guard headers.contains(where: { $0.name.utf8.contains { $0 >= 0x41 && $0 <= 0x5A } }) else { return headers }
        return headers.map { ($0.name.lowercased(), $0.value) }
    }

    /// Splits a request target (`/path?query`) into path and query.
    public init(method: String, target: String, headers: [(name: String, value: String)]) {
        if let mark = target.firstIndex(of: "?") {
            self.init(method: method, rawPath: String(target[..<mark]), rawQuery: String(target[target.index(after: mark)...]), headers: headers)
        } else {
            self.init(method: method, rawPath: target, rawQuery: nil, headers: headers)
        }
    }

    /// All values of a header (case-insensitive name), in order.
    public func values(_ name: String) -> [String] {
        let lower = name.utf8.contains { $0 >= 0x41 && $0 <= 0x5A } ? name.lowercased() : name
        return headers.filter { $0.name == lower }.map(\.value)
    }

    /// The first value of a header.
    public func value(_ name: String) -> String? { values(name).first }

    /// Decoded query parameters in order (percent-decoding; `+` is kept as a plus, as SigV4 does).
    public var queryItems: [(name: String, value: String)] {
        guard let rawQuery, !rawQuery.isEmpty else { return [] }
        return rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (PercentEncoding.decode(pair[..<equals]), PercentEncoding.decode(pair[pair.index(after: equals)...]))
            }
            return (PercentEncoding.decode(pair), "")
        }
    }

    public static func == (lhs: SignableRequest, rhs: SignableRequest) -> Bool {
        lhs.method == rhs.method && lhs.rawPath == rhs.rawPath && lhs.rawQuery == rhs.rawQuery
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(rawPath)
        hasher.combine(rawQuery)
    }
}
