import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage plus the connection, for the client address.
public struct HubRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Bodies are read explicitly with their own limits (`JSONBody`), not through Hummingbird's decoder.
    public var maxUploadSize: Int { 1 << 20 }

    /// The client's address, for logs.
    public var remoteAddress: String { channel.remoteAddress?.description ?? "unknown" }
}
