import LGSPCore
import RawStructuredFieldValues

/// Component values of RFC 9421 §2.1 (fields) and §2.2 (derived components) for a request.
extension SignableRequest {
    /// The values a covered component contributes to the signature base, one line each (only a
    /// repeated `@query-param` gives several).
    ///
    /// - Parameter scheme: the URI scheme for `@target-uri` and `@scheme` (it is not on the wire).
    /// - Throws: `auth.missing_signed_header` when a covered field, query parameter or dictionary member
    ///   is not in the request; `auth.malformed_authorization` for a component this hub does not support.
    func componentValues(_ component: ComponentIdentifier, scheme: String) throws(LGSPError) -> [String] {
        component.isDerived ? try derivedValues(component, scheme: scheme) : [try fieldValue(component)]
    }

    private func derivedValues(_ component: ComponentIdentifier, scheme: String) throws(LGSPError) -> [String] {
        let allowed: Set<String> = component.name == "@query-param" ? ["name"] : []
        if let unsupported = component.parameterNames.first(where: { !allowed.contains($0) }) {
            throw LGSPError(.malformedAuthorization, "parameter ;\(unsupported) of \(component.serialized) is not supported by this hub")
        }
        let query = rawQuery.map { "?" + $0 } ?? ""
        switch component.name {
        case "@method": return [method]
        case "@target-uri": return ["\(scheme)://\(try requiredAuthority(scheme))\(rawPath)\(query)"]
        case "@authority": return [try requiredAuthority(scheme)]
        case "@scheme": return [scheme]
        case "@request-target": return [rawPath + query]
        case "@path": return [rawPath]
        // RFC 9421 §2.2.7: a request without a query string has the value "?".
        case "@query": return [query.isEmpty ? "?" : query]
        case "@query-param": return try queryParameterValues(component)
        case "@status":
            throw LGSPError(.malformedAuthorization, "@status belongs to responses; a request signature cannot cover it")
        default:
            throw LGSPError(.malformedAuthorization, "derived component \(component.serialized) is not defined by RFC 9421 §2.2")
        }
    }

    private func requiredAuthority(_ scheme: String) throws(LGSPError) -> String {
        guard let authority = authority(scheme: scheme) else {
            throw LGSPError(.missingSignedHeader, "the request has no Host (authority), which @authority and @target-uri need")
        }
        return authority
    }

    // RFC 9421 §2.2.8: names and values are parsed as application/x-www-form-urlencoded, then
    // percent-encoded again; the name parameter is compared in that encoded form.
    private func queryParameterValues(_ component: ComponentIdentifier) throws(LGSPError) -> [String] {
        guard let name = component.stringParameter("name") else {
            throw LGSPError(.malformedAuthorization, "\(component.serialized) needs a ;name=\"…\" parameter")
        }
        let values = FormEncoding.pairs(rawQuery ?? "")
            .filter { FormEncoding.encode($0.name) == name }
            .map { FormEncoding.encode($0.value) }
        guard !values.isEmpty else {
            throw LGSPError(.missingSignedHeader, "covered query parameter \(name) is not in the request's query string")
        }
        return values
    }

    private func fieldValue(_ component: ComponentIdentifier) throws(LGSPError) -> String {
        if let unsupported = component.parameterNames.first(where: { $0 != "sf" && $0 != "key" }) {
            throw LGSPError(.malformedAuthorization, "parameter ;\(unsupported) of \(component.serialized) is not supported by this hub (supported: ;sf, ;key)")
        }
        let lines = values(component.name)
        guard !lines.isEmpty else {
            throw LGSPError(.missingSignedHeader, "covered field \(component.name) is not in the request: send it, or do not list it in Signature-Input")
        }
        // RFC 9421 §2.1: each field line's value trimmed, then joined with a comma and a space.
        let combined = lines.map { $0.trimmingHTTPWhitespace() }.joined(separator: ", ")
        if let key = component.stringParameter("key") {
            return try dictionaryMember(key, of: combined, field: component.name)
        }
        if component.flag("sf") { return try StructuredFieldCanonical.serialize(combined, field: component.name) }
        return combined
    }

    private func dictionaryMember(_ key: String, of value: String, field: String) throws(LGSPError) -> String {
        var parser = StructuredFieldValueParser(Array(value.utf8))
        guard let dictionary = try? parser.parseDictionaryFieldValue() else {
            throw LGSPError(.malformedAuthorization, "field \(field) is covered with ;key but is not an RFC 8941 dictionary")
        }
        guard let member = dictionary[key] else {
            throw LGSPError(.missingSignedHeader, "field \(field) has no member \(key), which the signature covers")
        }
        return try StructuredFieldCanonical.serialize(member, field: field)
    }
}

extension String {
    /// The value without leading and trailing spaces and tabs (HTTP optional whitespace).
    func trimmingHTTPWhitespace() -> String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        if start == 0 && end == bytes.count { return self }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
