import Foundation
import LGSPCore
import Testing

@testable import LGSPAuth

/// Component values and signature-base lines of RFC 9421 §2.1 and §2.2, with the RFC's own examples.
@Suite("RFC 9421 signature base")
struct SignatureBaseTests {
    /// The covered component written as in Signature-Input, e.g. `"@query-param";name="var"`.
    static func component(_ text: String) throws -> ComponentIdentifier {
        let request = SignableRequest(method: "GET", target: "/", headers: [("signature-input", "s=(\(text))"), ("signature", "s=:AA==:")])
        return try MessageSignature.all(in: request)[0].components[0]
    }

    static func values(_ text: String, _ request: SignableRequest, scheme: String = "https") throws -> [String] {
        try request.componentValues(try component(text), scheme: scheme)
    }

    // RFC 9421 §2.2: POST /path?param=value to www.example.com over https.
    static let derivedRequest = SignableRequest(method: "POST", target: "/path?param=value", headers: [("host", "www.example.com")])

    @Test("derived components of §2.2.1–§2.2.7", arguments: [
        ("\"@method\"", "POST"), ("\"@target-uri\"", "https://www.example.com/path?param=value"), ("\"@authority\"", "www.example.com"),
        ("\"@scheme\"", "https"), ("\"@request-target\"", "/path?param=value"), ("\"@path\"", "/path"), ("\"@query\"", "?param=value"),
    ])
    func derived(component: String, expected: String) throws {
        #expect(try Self.values(component, Self.derivedRequest) == [expected])
    }

    @Test("@query of a request without a query string is a lone question mark (§2.2.7)")
    func emptyQuery() throws {
        #expect(try Self.values("\"@query\"", SignableRequest(method: "GET", target: "/path", headers: [])) == ["?"])
    }

    @Test("@target-uri and @scheme follow the URI scheme tried; @authority drops only that scheme's default port")
    func schemeVariants() throws {
        let request = SignableRequest(method: "GET", target: "/v1/inbox", headers: [("host", "Hub.Example.VN:443")])
        #expect(try Self.values("\"@target-uri\"", request, scheme: "https") == ["https://hub.example.vn/v1/inbox"])
        #expect(try Self.values("\"@target-uri\"", request, scheme: "http") == ["http://hub.example.vn:443/v1/inbox"])
        #expect(try Self.values("\"@scheme\"", request, scheme: "http") == ["http"])
        let loopback = SignableRequest(method: "GET", target: "/", headers: [("host", "127.0.0.1:8080")])
        #expect(try Self.values("\"@authority\"", loopback) == ["127.0.0.1:8080"])
    }

    @Test("@query-param decodes and re-encodes names and values (§2.2.8 example)")
    func queryParameters() throws {
        let request = SignableRequest(
            method: "GET", target: "/parameters?var=this%20is%20a%20big%0Avalue&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something",
            headers: [("host", "example.com")])
        #expect(try Self.values("\"@query-param\";name=\"var\"", request) == ["this%20is%20a%20big%0Avalue"])
        #expect(try Self.values("\"@query-param\";name=\"bar\"", request) == ["with%20plus%20whitespace"])
        #expect(try Self.values("\"@query-param\";name=\"fa%C3%A7ade%22%3A%20\"", request) == ["something"])
        let missing = #expect(throws: LGSPError.self) { try Self.values("\"@query-param\";name=\"nope\"", request) }
        #expect(missing?.code == .missingSignedHeader)
    }

    // RFC 9421 §2.1 example fields.
    static let fieldRequest = SignableRequest(method: "GET", target: "/", headers: [
        ("Host", "www.example.com"), ("X-OWS-Header", "   Leading and trailing whitespace.   "),
        ("Cache-Control", "max-age=60"), ("Cache-Control", "   must-revalidate"),
        ("Example-Dict", " a=1,    b=2;x=1;y=2,   c=(a   b   c)"), ("Example-Header", "value, with, lots"),
        ("X-Empty-Header", ""),
    ])

    @Test("fields: values trimmed, repeated lines joined with a comma and a space (§2.1)", arguments: [
        ("\"x-ows-header\"", "Leading and trailing whitespace."), ("\"cache-control\"", "max-age=60, must-revalidate"),
        ("\"example-dict\"", "a=1,    b=2;x=1;y=2,   c=(a   b   c)"), ("\"x-empty-header\"", ""),
        ("\"example-dict\";sf", "a=1, b=2;x=1;y=2, c=(a b c)"),
        ("\"example-dict\";key=\"a\"", "1"), ("\"example-dict\";key=\"b\"", "2;x=1;y=2"), ("\"example-dict\";key=\"c\"", "(a b c)"),
    ])
    func fields(component: String, expected: String) throws {
        #expect(try Self.values(component, Self.fieldRequest) == [expected])
    }

    @Test("refusals: absent field or member, responses' @status, unknown derived names and parameters", arguments: [
        ("\"x-absent\"", ErrorCode.missingSignedHeader), ("\"example-dict\";key=\"zz\"", .missingSignedHeader),
        ("\"@status\"", .malformedAuthorization), ("\"@fragment\"", .malformedAuthorization),
        ("\"cache-control\";bs", .malformedAuthorization), ("\"cache-control\";req", .malformedAuthorization),
        ("\"@method\";x=1", .malformedAuthorization), ("\"@query-param\"", .malformedAuthorization),
        ("\"x-ows-header\";key=\"a\"", .malformedAuthorization),
    ])
    func refusals(component: String, code: ErrorCode) throws {
        let error = #expect(throws: LGSPError.self) { try Self.values(component, Self.fieldRequest) }
        #expect(error?.code == code, "\(error?.message ?? "")")
    }

    @Test("the base lists each component once, in order, and ends with @signature-params without a newline")
    func baseShape() throws {
        let request = SignableRequest(method: "GET", target: "/v1/inbox", headers: [
            ("host", "hub.example.vn"),
            ("signature-input", #"sig1=("@method" "@authority" "@path");created=1795941000;keyid="K";alg="hmac-sha256""#),
            ("signature", "sig1=:AA==:"),
        ])
        let base = try SignatureBase.make(try MessageSignature.all(in: request)[0], request: request, scheme: "https")
        #expect(base == #"""
            "@method": GET
            "@authority": hub.example.vn
            "@path": /v1/inbox
            "@signature-params": ("@method" "@authority" "@path");created=1795941000;keyid="K";alg="hmac-sha256"
            """#)
        var twice = request
        twice.headers = twice.headers.map { $0.name == "signature-input" ? ($0.name, #"sig1=("@method" "@method");created=1"#) : $0 }
        let error = #expect(throws: LGSPError.self) { try SignatureBase.make(try MessageSignature.all(in: twice)[0], request: twice, scheme: "https") }
        #expect(error?.code == .malformedAuthorization)
    }

    @Test("Signature-Input and Signature must be RFC 8941 dictionaries with matching labels and byte sequences", arguments: [
        (#"sig1=("@method""#, "sig1=:AA==:"), (#"sig1="@method""#, "sig1=:AA==:"), (#"sig1=("@method")"#, "sig2=:AA==:"),
        (#"sig1=("@method")"#, "sig1=AA"), (#"sig1=(@method)"#, "sig1=:AA==:"), (#"sig1=("@Method")"#, "sig1=:AA==:"),
        (#"sig1=("@method");created="soon""#, "sig1=:AA==:"), (#"sig1=("@method");keyid=abc"#, "sig1=:AA==:"),
    ])
    func malformedFields(input: String, signature: String) {
        let request = SignableRequest(method: "GET", target: "/", headers: [("signature-input", input), ("signature", signature)])
        let error = #expect(throws: LGSPError.self) { try MessageSignature.all(in: request) }
        #expect(error?.code == .malformedAuthorization)
    }
}
