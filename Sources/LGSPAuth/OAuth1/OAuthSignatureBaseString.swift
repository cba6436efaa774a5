/// The signature base string of RFC 5849 §3.4.1: the method, the base string URI and the
/// normalized request parameters, each percent-encoded (§3.6) and joined with `&`.
enum OAuthSignatureBaseString {
    /// The base string for a request reached with URI scheme `scheme`.
    ///
    /// - Parameters:
    ///   - protocolParameters: the parameters of the Authorization header; `realm` and
    ///     `oauth_signature` are left out here (§3.4.1.3.1).
    ///   - bodyParameters: the decoded pairs of a form-encoded body, if the body is one.
    static func make(
        _ request: SignableRequest, scheme: String, protocolParameters: [(name: String, value: String)],
        bodyParameters: [(name: String, value: String)] = []
    ) -> String {
        // §3.4.1.3.1: every source counts except `realm` and `oauth_signature` of the header, and
        // `oauth_signature` wherever it appears.
        let parameters = (FormEncoding.pairs(request.rawQuery ?? "") + protocolParameters.filter { $0.name != "realm" } + bodyParameters)
            .filter { $0.name != "oauth_signature" }
        return [
            request.method.uppercased(), PercentEncoding.encode(baseStringURI(request, scheme: scheme)),
            PercentEncoding.encode(normalized(parameters)),
        ].joined(separator: "&")
    }

    /// §3.4.1.2: scheme and host lowercase, the default port left out, the path as sent, no query.
    static func baseStringURI(_ request: SignableRequest, scheme: String) -> String {
        "\(scheme.lowercased())://\(request.authority(scheme: scheme) ?? "")\(request.rawPath)"
    }

    /// §3.4.1.3.2: names and values encoded, sorted by name then value (byte order), `name=value` joined with `&`.
    static func normalized(_ parameters: [(name: String, value: String)]) -> String {
        parameters
            .map { (PercentEncoding.encode($0.name), PercentEncoding.encode($0.value)) }
            .sorted { $0.0 == $1.0 ? Array($0.1.utf8).lexicographicallyPrecedes(Array($1.1.utf8)) : Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }
}
