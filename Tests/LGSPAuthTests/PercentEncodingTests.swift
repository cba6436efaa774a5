import LGSPAuth
import Testing

@Suite("PercentEncoding")
struct PercentEncodingTests {
    @Test(
        "encode leaves A-Z a-z 0-9 - . _ ~ alone and writes every other byte as uppercase %XY",
        arguments: [
            ("", ""), ("AZaz09-._~", "AZaz09-._~"), ("a b", "a%20b"), ("a+b", "a%2Bb"), ("a/b", "a%2Fb"), ("*", "%2A"),
            ("=&?#%", "%3D%26%3F%23%25"), ("ሴ", "%E1%88%B4"), ("Hải Dương", "H%E1%BA%A3i%20D%C6%B0%C6%A1ng"),
            ("\u{0}", "%00"), ("\u{7F}", "%7F"),
        ])
    func encode_escapesReservedBytes(text: String, encoded: String) {
        #expect(PercentEncoding.encode(text) == encoded)
    }

    @Test("keepSlash leaves / unencoded and still encodes the rest")
    func encode_keepSlash() {
        #expect(PercentEncoding.encode("/v1/a b/", keepSlash: true) == "/v1/a%20b/")
        #expect(PercentEncoding.encode("/v1/a b/") == "%2Fv1%2Fa%20b%2F")
    }

    @Test(
        "decode reads %XY in either case and keeps malformed escapes and plus signs as they are",
        arguments: [
            ("", ""), ("abc", "abc"), ("a%20b", "a b"), ("%E1%88%B4", "ሴ"), ("%e1%88%b4", "ሴ"), ("a+b", "a+b"),
            ("%2B", "+"), ("100%", "100%"), ("%4", "%4"), ("a%4", "a%4"), ("%zz", "%zz"), ("%%41", "%A"),
            ("%41%", "A%"),
            ("H%E1%BA%A3i%20D%C6%B0%C6%A1ng", "Hải Dương"),
        ])
    func decode_readsEscapes(encoded: String, text: String) {
        #expect(PercentEncoding.decode(encoded) == text)
    }

    @Test(
        "decoding what was encoded gives back the text",
        arguments: ["", "a b/c?d=e&f", "Sở Tài chính", "~!@#$%^&*()+"])
    func encodeThenDecode_roundTrips(text: String) {
        #expect(PercentEncoding.decode(PercentEncoding.encode(text)) == text)
    }
}
