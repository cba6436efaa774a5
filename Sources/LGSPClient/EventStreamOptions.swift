/// How an event subscription reconnects and what it bounds.
public struct EventStreamOptions: Sendable {
    /// Wait before the first reconnection; each further failed attempt doubles it (plus up to half
    /// again of jitter) up to ``maximumDelay``. A connection that got its snapshot resets the count.
    /// The hub's `retry:` hint is not used: these options decide.
    public var initialDelay: Duration
    /// The cap of the reconnection wait.
    public var maximumDelay: Duration
    /// Reconnect when nothing, not even a heartbeat, arrived for this long (a silently dead
    /// connection). The hub sends heartbeats every 15 seconds by default.
    public var idleTimeout: Duration
    /// How long to wait for the hub's answer to a connection attempt.
    public var connectTimeout: Duration
    /// The longest line (and event body) accepted, in bytes.
    public var maximumLineLength: Int
    /// Messages held for a slow consumer before the client stops reading the connection.
    public var bufferSize: Int

    public init(
        initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(30), idleTimeout: Duration = .seconds(60),
        connectTimeout: Duration = .seconds(30), maximumLineLength: Int = 1 << 20, bufferSize: Int = 64
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.idleTimeout = idleTimeout
        self.connectTimeout = connectTimeout
        self.maximumLineLength = maximumLineLength
        self.bufferSize = bufferSize
    }

    /// The wait before reconnection attempt `attempt` (1 for the first), jitter included.
    func delay(attempt: Int) -> Duration {
        let base = min(initialDelay * (1 << min(max(attempt - 1, 0), 20)), maximumDelay)
        return min(base + base * Double.random(in: 0...0.5), maximumDelay)
    }
}
