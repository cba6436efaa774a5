import LGSPCore

/// The signature base of RFC 9421 §2.5: one line per covered component, `"name": value`, then the
/// `"@signature-params"` line; lines end with LF, the last one without.
enum SignatureBase {
    /// The base `signature` was computed over, for `request` reached with URI scheme `scheme`.
    ///
    /// - Throws: `auth.malformed_authorization` for a component listed twice or unsupported;
    ///   `auth.missing_signed_header` for a covered component the request lacks.
    static func make(_ signature: MessageSignature, request: SignableRequest, scheme: String) throws(LGSPError) -> String {
        var lines: [String] = []
        lines.reserveCapacity(signature.components.count + 1)
        var seen: Set<String> = []
        for component in signature.components {
            guard seen.insert(component.serialized).inserted else {
                throw LGSPError(.malformedAuthorization, "Signature-Input lists \(component.serialized) twice")
            }
            for value in try request.componentValues(component, scheme: scheme) {
                lines.append("\(component.serialized): \(value)")
            }
        }
        lines.append("\"@signature-params\": \(signature.signatureParams)")
        return lines.joined(separator: "\n")
    }
}
