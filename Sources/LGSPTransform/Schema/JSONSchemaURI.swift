import Foundation

/// URI handling for JSON Schema identifiers and references (RFC 3986 §5 resolution, fragments,
/// JSON pointers of RFC 6901).
enum JSONSchemaURI {
    /// `reference` resolved against `base`, without an empty trailing fragment.
    static func resolve(_ reference: String, against base: String) -> String {
        let resolved: String
        if hasScheme(reference) {
            resolved = reference
        } else if reference.hasPrefix("#") || reference.isEmpty {
            resolved = stripFragment(base) + reference
        } else if let baseURL = URL(string: stripFragment(base)), baseURL.scheme != nil,
                  !isOpaque(base), let url = URL(string: reference, relativeTo: baseURL) {
            resolved = url.absoluteString
        } else {
            resolved = reference
        }
        return resolved.hasSuffix("#") ? String(resolved.dropLast()) : resolved
    }

    /// The URI without its fragment.
    static func stripFragment(_ uri: String) -> String {
        guard let hash = uri.utf8.firstIndex(of: UInt8(ascii: "#")) else { return uri }
        return String(uri[..<hash])
    }

    /// The fragment (without `#`, percent-decoded), or nil.
    static func fragment(_ uri: String) -> String? {
        guard let hash = uri.utf8.firstIndex(of: UInt8(ascii: "#")) else { return nil }
        let raw = String(uri[uri.index(after: hash)...])
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return raw }
        return raw.removingPercentEncoding ?? raw
    }

    static func hasScheme(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), let first = text.first, first.isLetter else { return false }
        return text[..<colon].allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// `urn:` and similar URIs without a hierarchical path cannot resolve relative paths.
    static func isOpaque(_ uri: String) -> Bool {
        guard hasScheme(uri), let colon = uri.firstIndex(of: ":") else { return false }
        return !uri[uri.index(after: colon)...].hasPrefix("/")
    }

    /// The reference tokens of a JSON pointer (`/a~1b/0` → `["a/b", "0"]`); nil if not a pointer.
    static func pointerTokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.utf8.contains(UInt8(ascii: "~")) ? $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") : String($0)
        }
    }

    /// A JSON pointer token escaped (`a/b` → `a~1b`).
    static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
