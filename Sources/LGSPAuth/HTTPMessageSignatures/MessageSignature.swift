import Foundation
import LGSPCore
import RawStructuredFieldValues

/// One RFC 9421 signature of a request: the covered components and parameters that
/// `Signature-Input` lists under a label, and the bytes `Signature` holds under the same label.
struct MessageSignature: Sendable {
    var label: String
    var components: [ComponentIdentifier]
    /// The serialized inner list with its parameters: the value of `@signature-params` (RFC 9421 §2.3).
    var signatureParams: String
    var created: Int64?
    var expires: Int64?
    var keyID: String?
    var algorithm: String?
    var nonce: String?
    var tag: String?
    /// The signature bytes.
    var value: Data

    /// The signatures of `request`, in the order `Signature-Input` lists them.
    ///
    /// Both fields are RFC 8941 dictionaries keyed by label (RFC 9421 §4.1, §4.2); repeated field lines
    /// are joined with commas, as for any list-based field.
    ///
    /// - Throws: `auth.malformed_authorization` naming the field and the problem.
    static func all(in request: SignableRequest) throws(LGSPError) -> [MessageSignature] {
        let inputs = try dictionary("Signature-Input", request.values("signature-input"))
        let values = try dictionary("Signature", request.values("signature"))
        guard !inputs.isEmpty else {
            throw LGSPError(.malformedAuthorization, "the Signature-Input header is empty; it must list at least one signature: label=(\"@method\" …);created=…;keyid=\"…\";alg=\"…\"")
        }
        var signatures: [MessageSignature] = []
        for (label, member) in inputs {
            guard case .innerList(let list) = member else {
                throw LGSPError(.malformedAuthorization, "Signature-Input member \(label) must be an inner list of covered components, e.g. (\"@method\" \"@authority\");created=…")
            }
            guard let valueMember = values[label] else {
                throw LGSPError(.malformedAuthorization, "Signature-Input has label \(label) but the Signature header has no value for it")
            }
            guard case .item(let item) = valueMember, case .undecodedByteSequence(let base64) = item.rfc9651BareItem,
                let bytes = Data(base64Encoded: base64)
            else {
                throw LGSPError(.malformedAuthorization, "Signature member \(label) must be a byte sequence (:base64:)")
            }
            signatures.append(try MessageSignature(label: label, list: list, value: bytes))
        }
        return signatures
    }

    private init(label: String, list: InnerList, value: Data) throws(LGSPError) {
        self.label = label
        self.value = value
        var components: [ComponentIdentifier] = []
        for item in list.bareInnerList { components.append(try ComponentIdentifier(item)) }
        self.components = components
        var serializer = StructuredFieldValueSerializer()
        guard let params = try? serializer.writeListFieldValue([.innerList(list)]) else {
            throw LGSPError(.malformedAuthorization, "Signature-Input member \(label) cannot be serialized again as a structured field")
        }
        signatureParams = String(decoding: params, as: UTF8.self)
        for (name, value) in list.rfc9651Parameters {
            switch (name, value) {
            case ("created", .integer(let seconds)): created = seconds
            case ("expires", .integer(let seconds)): expires = seconds
            case ("keyid", .string(let text)): keyID = text
            case ("alg", .string(let text)): algorithm = text
            case ("nonce", .string(let text)): nonce = text
            case ("tag", .string(let text)): tag = text
            case ("created", _), ("expires", _):
                throw LGSPError(.malformedAuthorization, "signature parameter \(name) must be an integer (seconds since 1970)")
            case ("keyid", _), ("alg", _), ("nonce", _), ("tag", _):
                throw LGSPError(.malformedAuthorization, "signature parameter \(name) must be a quoted string")
            default:
                // RFC 9421 §2.3: parameters the verifier does not know are still covered by @signature-params.
                continue
            }
        }
    }

    private static func dictionary(_ field: String, _ lines: [String]) throws(LGSPError) -> OrderedMap<String, ItemOrInnerList> {
        guard !lines.isEmpty else {
            throw LGSPError(.malformedAuthorization, "the request has no \(field) header; RFC 9421 needs Signature-Input and Signature")
        }
        let joined = lines.joined(separator: ", ")
        var parser = StructuredFieldValueParser(Array(joined.utf8))
        do {
            return try parser.parseDictionaryFieldValue()
        } catch {
            throw LGSPError(.malformedAuthorization, "the \(field) header is not a valid RFC 8941 dictionary (\(error)): \(field == "Signature" ? "label=:base64:" : "label=(\"@method\" …);created=…;keyid=\"…\";alg=\"…\"")")
        }
    }
}
