extension SignableRequest {
    /// The request's authority normalized as RFC 9110 §4.2.3 does and RFC 9421 `@authority` and the
    /// RFC 5849 base string URI use it: the host lowercased, without the default port of `scheme`.
    /// Nil when the request has no Host.
    func authority(scheme: String) -> String? {
        guard let host = value("host")?.lowercased() else { return nil }
        let defaultPort = scheme == "https" ? ":443" : ":80"
        return host.hasSuffix(defaultPort) ? String(host.dropLast(defaultPort.count)) : host
    }
}
