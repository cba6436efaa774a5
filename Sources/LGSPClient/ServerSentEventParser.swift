import NIOCore

/// One dispatched Server-Sent Event (WHATWG HTML §9.2.6).
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field; nil means the default type `message`.
    public var type: String?
    /// The `data:` lines joined with line feeds.
    public var data: String
    /// The last event id buffer when the event was dispatched (`id:` of this or an earlier event).
    public var lastEventID: String?
    /// Whether this event had its own `id:` field.
    public var hasOwnID: Bool

    public init(type: String?, data: String, lastEventID: String?, hasOwnID: Bool) {
        self.type = type
        self.data = data
        self.lastEventID = lastEventID
        self.hasOwnID = hasOwnID
    }
}

/// An incremental parser of the `text/event-stream` format (WHATWG HTML §9.2.6), fed with the byte
/// buffers AsyncHTTPClient delivers, in whatever pieces they arrive.
///
/// Written by hand rather than taken from mattt/EventSource 1.1.1: that package's parser is an actor
/// fed one byte per `await`, keeps no bound on a line's length, and its module imports
/// FoundationNetworking for its URLSession client, which this library does not use.
///
/// Contract: lines end with CR, LF or CRLF (also split across buffers); a leading UTF-8 byte order
/// mark is skipped; comments (`:` lines, the hub's heartbeats) are counted in `comments` and not
/// dispatched; a line (or an event's data) longer than `maximumLineLength` bytes throws
/// ``LineTooLong`` (the stream is then unusable); `retry:` with digits only sets `retry`; an `id:` containing NUL is ignored.
public struct ServerSentEventParser: Sendable {
    /// The line that went past the limit.
    public struct LineTooLong: Error, CustomStringConvertible {
        public var limit: Int
        public var description: String { "a Server-Sent Events line is longer than \(limit) bytes" }
    }

    public let maximumLineLength: Int
    /// The reconnection time the stream asked for (`retry:`), in milliseconds.
    public private(set) var retry: Int?
    /// How many comment lines were read (heartbeats).
    public private(set) var comments = 0
    /// The last event id buffer: persists across events, as the spec says.
    public private(set) var lastEventID: String?

    private var line: [UInt8] = []
    private var afterCR = false
    private var atStart = true
    private var type: String?
    private var data: [UInt8] = []
    private var hasData = false
    private var ownID = false

    public init(maximumLineLength: Int = 1 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    /// Consumes a buffer and returns the events it completed, in order.
    public mutating func consume(_ buffer: ByteBuffer) throws -> [ServerSentEvent] {
        try buffer.withUnsafeReadableBytes { try consume(bytes: $0) }
    }

    /// Consumes raw bytes and returns the events they completed, in order.
    public mutating func consume(bytes: some Collection<UInt8>) throws -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n") where afterCR:
                afterCR = false
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                afterCR = byte == UInt8(ascii: "\r")
                if let event = try endLine() { events.append(event) }
            default:
                afterCR = false
                guard line.count < maximumLineLength else { throw LineTooLong(limit: maximumLineLength) }
                line.append(byte)
            }
        }
        return events
    }

    /// Handles one complete line; returns an event when the line was blank and data was pending.
    private mutating func endLine() throws -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if atStart {
            atStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        guard !line.isEmpty else { return dispatch() }
        if line[0] == UInt8(ascii: ":") {
            comments += 1
            return nil
        }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = String(decoding: line[..<(colon ?? line.endIndex)], as: UTF8.self)
        var value = colon.map { line[($0 + 1)...] } ?? []
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        switch name {
        case "event":
            type = String(decoding: value, as: UTF8.self)
        case "data":
            guard data.count + value.count < maximumLineLength else { throw LineTooLong(limit: maximumLineLength) }
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        case "id":
            if !value.contains(0) {
                lastEventID = String(decoding: value, as: UTF8.self)
                ownID = true
            }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        default:
            break  // unknown fields are ignored (§9.2.6)
        }
        return nil
    }

    /// A blank line: dispatch the pending event if it had data, then reset the event's fields.
    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            type = nil
            data.removeAll(keepingCapacity: true)
            hasData = false
            ownID = false
        }
        guard hasData else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        return ServerSentEvent(type: type.flatMap { $0.isEmpty ? nil : $0 }, data: text, lastEventID: lastEventID, hasOwnID: ownID)
    }
}
