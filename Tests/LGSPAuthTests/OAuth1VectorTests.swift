import Foundation
import LGSPCore
import Testing

@testable import LGSPAuth

/// RFC 5849 signature base strings and the classic OAuth 1.0 example signature.
@Suite("OAuth 1.0a base string")
struct OAuth1VectorTests {
    @Test("RFC 5849 §3.4.1.1: the example request gives the published base string")
    func rfcExample() throws {
        let header = try OAuthAuthorizationHeader(
            #"OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D""#)
        let request = SignableRequest(method: "POST", target: "/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", headers: [("Host", "example.com")])
        let base = OAuthSignatureBaseString.make(
            request, scheme: "http", protocolParameters: header.parameters, bodyParameters: FormEncoding.pairs("c2&a3=2+q"))
        #expect(base == "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7")
    }

    @Test("OAuth Core 1.0 Appendix A.5: base string and HMAC-SHA1 signature tR3+Ty81lMeYAr/Fid0kMTYa/WM=")
    func classicExample() throws {
        let request = SignableRequest(method: "GET", target: "/photos?file=vacation.jpg&size=original", headers: [("host", "photos.example.net")])
        let parameters = [
            ("oauth_consumer_key", "dpf43f3p2l4k3l03"), ("oauth_token", "nnch734d00sl2jdk"), ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "1191242096"), ("oauth_nonce", "kllo9940pd9333jh"), ("oauth_version", "1.0"),
        ].map { (name: $0.0, value: $0.1) }
        let base = OAuthSignatureBaseString.make(request, scheme: "http", protocolParameters: parameters)
        #expect(base == "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal")
        let signature = try #require(Data(base64Encoded: "tR3+Ty81lMeYAr/Fid0kMTYa/WM="))
        #expect(SignatureAlgorithm.hmacSHA1.isValidMAC(signature, message: Data(base.utf8), key: Data("kd94hf93k423kf44&pfkkdhi9sl3r4s00".utf8)))
        #expect(!SignatureAlgorithm.hmacSHA1.isValidMAC(signature, message: Data(base.utf8), key: Data("kd94hf93k423kf44&".utf8)))
    }

    @Test("RFC 5849 §3.4.1.2: scheme and host lowercased, default port dropped, query left out", arguments: [
        ("http", "EXAMPLE.COM:80", "/r%20v/X?id=123", "http://example.com/r%20v/X"),
        ("https", "www.example.net:8080", "/?q=1", "https://www.example.net:8080/"),
        ("https", "hub.example.vn:443", "/v1/inbox", "https://hub.example.vn/v1/inbox"),
    ])
    func baseStringURI(scheme: String, host: String, target: String, expected: String) {
        let request = SignableRequest(method: "GET", target: target, headers: [("host", host)])
        #expect(OAuthSignatureBaseString.baseStringURI(request, scheme: scheme) == expected)
    }

    @Test("the Authorization header: quoted, percent-encoded values; realm kept; the scheme name case-insensitive")
    func header() throws {
        let header = try OAuthAuthorizationHeader(#"oauth realm="Photos",oauth_consumer_key="a%20b",  oauth_signature="x%2By%3D", oauth_nonce=abc"#)
        #expect(header["realm"] == "Photos")
        #expect(header["oauth_consumer_key"] == "a b")
        #expect(header["oauth_signature"] == "x+y=")
        #expect(header["oauth_nonce"] == "abc")
        #expect(OAuthAuthorizationHeader.isOAuth("OAuth oauth_nonce=\"1\""))
        #expect(OAuthAuthorizationHeader.isOAuth("oauth"))
        #expect(!OAuthAuthorizationHeader.isOAuth("OAuthX realm=\"a\""))
        #expect(!OAuthAuthorizationHeader.isOAuth("AWS4-HMAC-SHA256 Credential=x"))
    }

    @Test("a parameter sent twice, or a part that is no name=value pair, is auth.malformed_authorization", arguments: [
        #"OAuth oauth_nonce="1", oauth_nonce="2""#, #"OAuth oauth_nonce"#,
    ])
    func malformedHeader(header: String) {
        let error = #expect(throws: LGSPError.self) { try OAuthAuthorizationHeader(header) }
        #expect(error?.code == .malformedAuthorization)
    }
}
