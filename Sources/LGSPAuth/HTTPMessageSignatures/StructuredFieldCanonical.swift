import LGSPCore
import RawStructuredFieldValues

/// The strict re-serialization of structured fields that RFC 9421 §2.1.1 (`;sf`) and §2.1.2
/// (`;key`) put in a signature base instead of the raw field value.
enum StructuredFieldCanonical {
    /// `value` parsed and serialized again. The field's type is not known to the hub, so it is read as a
    /// dictionary, then a list, then an item: ambiguous texts (`a, b`) serialize the same either way.
    ///
    /// - Throws: `auth.malformed_authorization` when the value is no structured field at all.
    static func serialize(_ value: String, field: String) throws(LGSPError) -> String {
        let bytes = Array(value.utf8)
        var serializer = StructuredFieldValueSerializer()
        var parser = StructuredFieldValueParser(bytes)
        if let dictionary = try? parser.parseDictionaryFieldValue(), let out = try? serializer.writeDictionaryFieldValue(dictionary) {
            return String(decoding: out, as: UTF8.self)
        }
        parser = StructuredFieldValueParser(bytes)
        if let list = try? parser.parseListFieldValue(), let out = try? serializer.writeListFieldValue(list) {
            return String(decoding: out, as: UTF8.self)
        }
        parser = StructuredFieldValueParser(bytes)
        if let item = try? parser.parseItemFieldValue(), let out = try? serializer.writeItemFieldValue(item) {
            return String(decoding: out, as: UTF8.self)
        }
        throw LGSPError(.malformedAuthorization, "field \(field) is covered with ;sf but is not an RFC 8941 structured field")
    }

    /// One dictionary member serialized alone (an item, or an inner list, with its parameters).
    static func serialize(_ member: ItemOrInnerList, field: String) throws(LGSPError) -> String {
        var serializer = StructuredFieldValueSerializer()
        let out: [UInt8]?
        switch member {
        case .item(let item): out = try? serializer.writeItemFieldValue(item)
        case .innerList: out = try? serializer.writeListFieldValue([member])
        }
        guard let out else {
            throw LGSPError(.malformedAuthorization, "a member of field \(field) cannot be serialized as a structured field")
        }
        return String(decoding: out, as: UTF8.self)
    }
}
