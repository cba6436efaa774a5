import Foundation

/// Converts a packet's content into the format a destination accepts (Article 8.4), following the
/// mappings an operator configured per data type. The exchange asks it, for every delivery, before
/// the delivery is offered.
///
/// Contract (every implementation; `MappingConverter` in LGSPTransform is the hub's):
/// - `target` is pure and cheap: it reads the current configuration only. It returns nil when the
///   destination takes the content as sent: it accepts any format (`accepts` empty), it accepts the
///   format the data type arrives in, or the data type declares no format. Otherwise it returns the
///   first format of `accepts` a configured mapping produces, or throws `transform.no_mapping`.
/// - `convert` never modifies its input. It fails with a `transform.*` code (the content cannot be
///   converted: the message names the mapping file, line and rule when a rule failed) or
///   `transform.no_mapping` (the configuration changed and no longer produces `format`).
/// - Both are thread-safe; the configuration may be replaced between calls (reload), never during one.
public protocol PayloadConverter: Sendable {
    /// Whether some destination may need packets of `dataType` converted (the data type declares the
    /// format it arrives in); false lets the exchange skip looking up what destinations accept.
    func converts(_ dataType: DataType) -> Bool

    /// The format packets of `dataType` must be converted to for a destination accepting `accepts`
    /// (in order of preference), or nil to deliver the content as sent.
    func target(for dataType: DataType, accepts: [ContentFormat]) throws(LGSPError) -> ContentFormat?

    /// Converts `content` (a packet of `dataType`, in the format the data type arrives in) to `format`.
    func convert(_ content: Data, dataType: DataType, to format: ContentFormat) async throws(LGSPError) -> ConvertedPayload
}

/// The result of a conversion: the bytes to deliver and their media type.
public struct ConvertedPayload: Sendable, Hashable {
    public var data: Data
    /// `application/json` or `application/xml`.
    public var mediaType: String

    public init(data: Data, mediaType: String) {
        self.data = data
        self.mediaType = mediaType
    }
}

/// A converter with no mappings: every delivery gets the content as sent.
public struct NoConversion: PayloadConverter {
    public init() {}

    public func converts(_ dataType: DataType) -> Bool { false }

    public func target(for dataType: DataType, accepts: [ContentFormat]) throws(LGSPError) -> ContentFormat? { nil }

    public func convert(_ content: Data, dataType: DataType, to format: ContentFormat) async throws(LGSPError) -> ConvertedPayload {
        throw LGSPError(.noMapping, "no mapping converts \(dataType) to \(format): the hub has no mappings")
    }
}
