import Foundation
import LGSPClient
import Testing

/// The `text/event-stream` parser behind `LGSPClient.events` (WHATWG HTML §9.2.6), fed in pieces.
@Suite("Server-Sent Events parser")
struct ServerSentEventParserTests {
    /// Feeds `text` in pieces of `chunk` bytes and returns every event.
    static func parse(_ text: String, chunk: Int, limit: Int = 1 << 20) throws -> (events: [ServerSentEvent], parser: ServerSentEventParser) {
        var parser = ServerSentEventParser(maximumLineLength: limit)
        var events: [ServerSentEvent] = []
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            events += try parser.consume(bytes: bytes[start..<min(start + chunk, bytes.count)])
        }
        return (events, parser)
    }

    static let hubStream = """
        retry: 2000

        event: snapshot
        data: {"inbox":[],"lastEventId":7}

        : heartbeat 2026-11-29T08:00:00.000Z

        id: 8
        event: packet.available
        data: {"packetId":"p"}


        """

    @Test("the hub's framing gives the snapshot, then the event with its id, whatever the buffer sizes", arguments: [1, 2, 3, 7, 64, 4096])
    func hubFraming(chunk: Int) throws {
        let (events, parser) = try Self.parse(Self.hubStream, chunk: chunk)
        #expect(events.map(\.type) == ["snapshot", "packet.available"])
        #expect(events.map(\.data) == [#"{"inbox":[],"lastEventId":7}"#, #"{"packetId":"p"}"#])
        #expect(events.map(\.hasOwnID) == [false, true])
        #expect(events.map(\.lastEventID) == [nil, "8"])
        #expect(parser.retry == 2000)
        #expect(parser.comments == 1)
    }

    @Test("CR, LF and CRLF all end lines, also when CR and LF arrive in different buffers", arguments: ["\r\n", "\r", "\n"])
    func lineEndings(ending: String) throws {
        let text = ["id: 1", "data: a", "data: b", "", "data: c", "", ""].joined(separator: ending)
        for chunk in [1, 2, 5, 100] {
            let (events, _) = try Self.parse(text, chunk: chunk)
            #expect(events.map(\.data) == ["a\nb", "c"], "chunk \(chunk)")
            #expect(events.map(\.lastEventID) == ["1", "1"], "the last event id persists across events")
        }
    }

    @Test("a byte order mark, fields without a space, unknown fields, an id with NUL and an event without data")
    func edgeCases() throws {
        let text = "\u{FEFF}data:x\nfoo: bar\n\nid: 3\u{0}\nevent: nothing\n\nid\ndata\n\n"
        let (events, _) = try Self.parse(text, chunk: 3)
        #expect(events.count == 2, "an event without data is not dispatched: \(events)")
        #expect(events.first?.data == "x")
        #expect(events.first?.type == nil)
        #expect(events.last?.data == "", "`data` alone is an empty data line")
        #expect(events.last?.lastEventID == "", "`id` alone empties the last event id; the NUL id was ignored")
    }

    @Test("a line longer than the limit is refused, even when it never ends")
    func boundedLines() throws {
        let long = String(repeating: "x", count: 300)
        #expect(throws: ServerSentEventParser.LineTooLong.self) { try Self.parse("data: " + long, chunk: 16, limit: 256) }
        #expect(throws: ServerSentEventParser.LineTooLong.self) {
            try Self.parse(String(repeating: "data: " + String(repeating: "y", count: 100) + "\n", count: 4) + "\n", chunk: 16, limit: 256)
        }
        #expect(try Self.parse("data: " + long + "\n\n", chunk: 16, limit: 400).events.first?.data == long)
    }
}
