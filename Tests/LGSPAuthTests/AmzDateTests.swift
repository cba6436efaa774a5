import Foundation
import LGSPAuth
import Testing

@Suite("AmzDate")
struct AmzDateTests {
    @Test(
        "format writes yyyyMMddTHHmmssZ in UTC and parse reads it back",
        arguments: [
            (0.0, "19700101T000000Z"), (1_440_938_160, "20150830T123600Z"), (1_795_941_000, "20261129T083000Z"),
            (951_782_400, "20000229T000000Z"), (4_102_444_799, "20991231T235959Z"),
        ])
    func formatAndParse_roundTrip(seconds: Double, text: String) throws {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(AmzDate.format(date) == text)
        #expect(AmzDate.parse(text) == date)
    }

    @Test(
        "parse rejects anything that is not exactly a valid yyyyMMddTHHmmssZ",
        arguments: [
            "", "20150830T123600", "20150830T123600z", "20150830t123600Z", "2015-08-30T12:36:00Z", "20150830T1236Z",
            "20150830 123600Z", "20151330T123600Z", "20150230T123600Z", "20150830T246000Z", "20150830T126000Z",
            "20150830T123660Z", "2015083OT123600Z", "+0150830T123600Z", "20150830T123600Z ", "２0150830T123600Z",
            "Sun, 30 Aug 2015 12:36:00 GMT",
        ])
    func parse_rejectsMalformedDates(text: String) {
        #expect(AmzDate.parse(text) == nil)
    }
}
