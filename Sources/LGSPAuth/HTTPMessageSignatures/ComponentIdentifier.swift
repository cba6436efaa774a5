import LGSPCore
import RawStructuredFieldValues

/// One covered component of an RFC 9421 signature (§2): an HTTP field name or a derived
/// component (`@method`, `@path`, …), as the structured-field string item the signer listed,
/// with its parameters (`;sf`, `;key="…"`, `;name="…"`).
struct ComponentIdentifier: Sendable, Hashable {
    /// The item exactly as parsed from `Signature-Input`.
    let item: Item
    /// The component name: a lowercase field name or an `@`-derived name.
    let name: String
    /// The identifier as it starts its line in the signature base (RFC 9421 §2.5): the serialized item.
    let serialized: String

    /// Reads a member of the covered-components inner list.
    ///
    /// - Throws: `auth.malformed_authorization` when the member is not a string, or names a field in uppercase.
    init(_ item: Item) throws(LGSPError) {
        guard case .string(let name) = item.rfc9651BareItem else {
            throw LGSPError(.malformedAuthorization, "Signature-Input lists a covered component that is not a quoted string; write e.g. (\"@method\" \"@authority\")")
        }
        // RFC 9421 §2.1: field names in component identifiers are lowercase.
        guard name == name.lowercased(), !name.isEmpty else {
            throw LGSPError(.malformedAuthorization, "covered component \"\(name)\" must be lowercase")
        }
        self.item = item
        self.name = name
        self.serialized = Self.serialize(item)
    }

    /// Whether this is a derived component (`@…`, RFC 9421 §2.2) rather than a field.
    var isDerived: Bool { name.hasPrefix("@") }

    /// The parameter names the signer attached.
    var parameterNames: [String] { item.rfc9651Parameters.map(\.0) }

    /// A string parameter's value (`name` of `@query-param`, `key` of a dictionary field).
    func stringParameter(_ parameter: String) -> String? {
        if case .string(let value)? = item.rfc9651Parameters[parameter] { return value }
        return nil
    }

    /// Whether a boolean parameter is present and true (`sf`).
    func flag(_ parameter: String) -> Bool {
        if case .bool(true)? = item.rfc9651Parameters[parameter] { return true }
        return false
    }

    private static func serialize(_ item: Item) -> String {
        var serializer = StructuredFieldValueSerializer()
        guard let bytes = try? serializer.writeItemFieldValue(item) else { return "\"\(item)\"" }
        return String(decoding: bytes, as: UTF8.self)
    }
}
