import Foundation
import LGSPCore

/// `POST /v1/packets`: a send request (Article 8 step 2), optionally with small content inline.
public struct CreatePacketRequest: Codable, Sendable {
    public var to: [String]
    public var subject: String
    public var priority: Priority?
    public var dataType: String
    public var `protocol`: String?
    public var content: ContentBody
    public var policy: PolicyBody?
    public var idempotencyKey: String?

    public init(
        to: [String], subject: String, priority: Priority? = nil, dataType: String, protocol: String? = nil,
        content: ContentBody, policy: PolicyBody? = nil, idempotencyKey: String? = nil
    ) {
        self.to = to
        self.subject = subject
        self.priority = priority
        self.dataType = dataType
        self.protocol = `protocol`
        self.content = content
        self.policy = policy
        self.idempotencyKey = idempotencyKey
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case to, subject, priority, dataType, `protocol`, content, policy, idempotencyKey
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        to = try container.decode([String].self, forKey: .to)
        subject = try container.decode(String.self, forKey: .subject)
        priority = try container.decodeIfPresent(Priority.self, forKey: .priority)
        dataType = try container.decode(String.self, forKey: .dataType)
        self.protocol = try container.decodeIfPresent(String.self, forKey: .protocol)
        content = try container.decode(ContentBody.self, forKey: .content)
        policy = try container.decodeIfPresent(PolicyBody.self, forKey: .policy)
        idempotencyKey = try container.decodeIfPresent(String.self, forKey: .idempotencyKey)
    }
}

/// The declared content: size, SHA-256 and media type; `data` (base64) for the one-request form.
public struct ContentBody: Codable, Sendable, Hashable {
    public var size: Int64?
    public var sha256: String?
    public var mediaType: String?
    /// Base64 content for the one-request form (small content only); size and sha256 are then optional but checked if given.
    public var data: String?

    public init(size: Int64? = nil, sha256: String? = nil, mediaType: String? = nil, data: String? = nil) {
        self.size = size
        self.sha256 = sha256
        self.mediaType = mediaType
        self.data = data
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case size, sha256, mediaType, data }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        size = try container.decodeIfPresent(Int64.self, forKey: .size)
        sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
        mediaType = try container.decodeIfPresent(String.self, forKey: .mediaType)
        data = try container.decodeIfPresent(String.self, forKey: .data)
    }
}

/// The packet's policy on the wire.
public struct PolicyBody: Codable, Sendable, Hashable {
    public var notBefore: Date?
    public var deadline: Date?

    public init(notBefore: Date? = nil, deadline: Date? = nil) {
        self.notBefore = notBefore
        self.deadline = deadline
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case notBefore, deadline }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        notBefore = try container.decodeIfPresent(Date.self, forKey: .notBefore)
        deadline = try container.decodeIfPresent(Date.self, forKey: .deadline)
    }
}

/// A space (upload or download): where to send or fetch the content, until when.
public struct SpaceBody: Codable, Sendable, Hashable {
    public var url: String
    public var method: String
    public var expiresAt: Date

    public init(url: String, method: String, expiresAt: Date) {
        self.url = url
        self.method = method
        self.expiresAt = expiresAt
    }
}

/// The answer to `POST /v1/packets`.
public struct PacketCreatedResponse: Codable, Sendable {
    public var id: PacketID
    public var state: PacketState
    /// The upload space; absent when the content came inline or is already uploaded.
    public var upload: SpaceBody?
    /// Bytes already received (0 for a new packet).
    public var receivedBytes: Int64
    public var deliveries: [DeliveryBody]
    /// True if this answers an earlier request with the same idempotency key.
    public var replayed: Bool
    /// Recipients the hub resolved to their successor because they were replaced; absent when none.
    public var redirects: [RedirectBody]?

    public init(
        id: PacketID, state: PacketState, upload: SpaceBody?, receivedBytes: Int64, deliveries: [DeliveryBody], replayed: Bool,
        redirects: [RedirectBody]? = nil
    ) {
        self.id = id
        self.state = state
        self.upload = upload
        self.receivedBytes = receivedBytes
        self.deliveries = deliveries
        self.replayed = replayed
        self.redirects = redirects
    }
}

/// The answer to `PUT <upload.url>`.
public struct UploadResponse: Codable, Sendable {
    public var id: PacketID
    public var receivedBytes: Int64
    public var size: Int64
    public var complete: Bool
    public var state: PacketState

    public init(id: PacketID, receivedBytes: Int64, size: Int64, complete: Bool, state: PacketState) {
        self.id = id
        self.receivedBytes = receivedBytes
        self.size = size
        self.complete = complete
        self.state = state
    }
}

/// One delivery on the wire.
public struct DeliveryBody: Codable, Sendable, Hashable {
    public var recipient: UnitCode
    public var appId: String
    public var state: DeliveryState
    public var updatedAt: Date
    public var reason: String?
    public var history: [HistoryBody]?
    /// The format the hub converted the content to for this delivery; absent: the content as sent.
    public var format: String?
    /// Size, SHA-256 and media type of the converted content this delivery serves; absent: the packet's.
    public var content: ContentInfo?
    /// Processing statuses the destination reported (edXML status packets), oldest first; absent when none.
    public var traces: [TraceBody]?

    public init(
        recipient: UnitCode, appId: String, state: DeliveryState, updatedAt: Date, reason: String?, history: [HistoryBody]?,
        format: String? = nil, content: ContentInfo? = nil, traces: [TraceBody]? = nil
    ) {
        self.traces = traces
        self.recipient = recipient
        self.appId = appId
        self.state = state
        self.updatedAt = updatedAt
        self.reason = reason
        self.history = history
        self.format = format
        self.content = content
    }
}

/// One processing status a destination reported (an edXML status packet, QCVN 102:2016).
public struct TraceBody: Codable, Sendable, Hashable {
    /// The edXML status code: `01` received, `02` rejected, `03` accepted, `04` assigned, `05` processing,
    /// `06` finished, `13` recall requested, `15` recall agreed, `16` recall refused.
    public var status: String
    /// The status in English (`accepted`, `recall_requested`…).
    public var name: String
    public var description: String?
    public var staff: String?
    /// When the destination says it happened.
    public var reportedAt: Date?
    /// When the hub recorded it.
    public var at: Date

    public init(status: String, name: String, description: String?, staff: String?, reportedAt: Date?, at: Date) {
        self.status = status
        self.name = name
        self.description = description
        self.staff = staff
        self.reportedAt = reportedAt
        self.at = at
    }
}

/// One recorded state change.
public struct HistoryBody: Codable, Sendable, Hashable {
    public var state: DeliveryState
    public var at: Date
    public var reason: String?

    public init(state: DeliveryState, at: Date, reason: String?) {
        self.state = state
        self.at = at
        self.reason = reason
    }
}

/// Declared content on the wire (answers).
public struct ContentInfo: Codable, Sendable, Hashable {
    public var size: Int64
    public var sha256: String
    public var mediaType: String

    public init(size: Int64, sha256: String, mediaType: String) {
        self.size = size
        self.sha256 = sha256
        self.mediaType = mediaType
    }
}

/// `GET /v1/packets/{id}` and the items of `GET /v1/packets`.
public struct PacketBody: Codable, Sendable, Hashable {
    public var id: PacketID
    public var from: UnitCode
    public var to: [UnitCode]
    public var subject: String
    public var priority: Priority
    public var dataType: String
    public var `protocol`: String
    public var content: ContentInfo
    public var policy: PolicyBody
    public var idempotencyKey: String?
    public var state: PacketState
    public var createdAt: Date
    public var uploadExpiresAt: Date
    public var uploadedAt: Date?
    public var finishedAt: Date?
    public var purgedAt: Date?
    /// Whether the content is still held by the hub (false once purged).
    public var contentAvailable: Bool
    /// Bytes uploaded so far (source only, while awaiting upload).
    public var receivedBytes: Int64?
    public var originHub: String
    public var deliveries: [DeliveryBody]
    /// Recipients the hub resolved to their successor because they were replaced; absent when none.
    public var redirects: [RedirectBody]?

    public init(
        id: PacketID, from: UnitCode, to: [UnitCode], subject: String, priority: Priority, dataType: String, protocol: String,
        content: ContentInfo, policy: PolicyBody, idempotencyKey: String?, state: PacketState, createdAt: Date,
        uploadExpiresAt: Date, uploadedAt: Date?, finishedAt: Date?, purgedAt: Date?, contentAvailable: Bool,
        receivedBytes: Int64?, originHub: String, deliveries: [DeliveryBody], redirects: [RedirectBody]? = nil
    ) {
        self.id = id
        self.from = from
        self.to = to
        self.subject = subject
        self.priority = priority
        self.dataType = dataType
        self.protocol = `protocol`
        self.content = content
        self.policy = policy
        self.idempotencyKey = idempotencyKey
        self.state = state
        self.createdAt = createdAt
        self.uploadExpiresAt = uploadExpiresAt
        self.uploadedAt = uploadedAt
        self.finishedAt = finishedAt
        self.purgedAt = purgedAt
        self.contentAvailable = contentAvailable
        self.receivedBytes = receivedBytes
        self.originHub = originHub
        self.deliveries = deliveries
        self.redirects = redirects
    }
}

/// `GET /v1/packets`: one page of history, newest first; `next` is the `before` value of the next page.
public struct PacketListResponse: Codable, Sendable {
    public var items: [PacketBody]
    public var next: String?

    public init(items: [PacketBody], next: String?) {
        self.items = items
        self.next = next
    }
}

/// An item of `GET /v1/inbox`.
public struct InboxItem: Codable, Sendable, Hashable {
    public var id: PacketID
    public var from: UnitCode
    public var recipient: UnitCode
    public var subject: String
    public var priority: Priority
    public var dataType: String
    public var content: ContentInfo
    public var state: DeliveryState
    public var createdAt: Date
    public var deadline: Date?

    public init(
        id: PacketID, from: UnitCode, recipient: UnitCode, subject: String, priority: Priority, dataType: String,
        content: ContentInfo, state: DeliveryState, createdAt: Date, deadline: Date?
    ) {
        self.id = id
        self.from = from
        self.recipient = recipient
        self.subject = subject
        self.priority = priority
        self.dataType = dataType
        self.content = content
        self.state = state
        self.createdAt = createdAt
        self.deadline = deadline
    }
}

/// `GET /v1/inbox`.
public struct InboxResponse: Codable, Sendable {
    public var items: [InboxItem]

    public init(items: [InboxItem]) { self.items = items }
}

/// The answer to `POST /v1/packets/{id}/accept`.
public struct AcceptResponse: Codable, Sendable {
    public var id: PacketID
    public var download: SpaceBody
    public var content: ContentInfo

    public init(id: PacketID, download: SpaceBody, content: ContentInfo) {
        self.id = id
        self.download = download
        self.content = content
    }
}

/// `POST /v1/packets/{id}/ack`.
public struct AckRequest: Codable, Sendable {
    public var sha256: String

    public init(sha256: String) { self.sha256 = sha256 }

    enum CodingKeys: String, CodingKey, CaseIterable { case sha256 }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["sha256"])
        sha256 = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .sha256)
    }
}

/// `POST /v1/packets/{id}/reject`.
public struct RejectRequest: Codable, Sendable {
    public var reason: String

    public init(reason: String) { self.reason = reason }

    enum CodingKeys: String, CodingKey, CaseIterable { case reason }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["reason"])
        reason = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .reason)
    }
}

/// `GET /v1/time`: the hub's clock, the reference for signatures, deadlines and reports.
public struct TimeResponse: Codable, Sendable {
    public var now: Date
    public var epochMillis: Int64

    public init(now: Date, epochMillis: Int64) {
        self.now = now
        self.epochMillis = epochMillis
    }
}
