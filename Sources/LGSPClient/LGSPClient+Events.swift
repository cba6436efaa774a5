import Foundation

/// Real-time notifications (Article 8.4) over Server-Sent Events.
extension LGSPClient {
    /// Subscribes to this app's events at `GET /v1/events`: a snapshot, then every stored event in
    /// id order, live, for as long as the stream is consumed.
    ///
    /// Each connection is signed afresh (with the corrected clock). When the connection drops, goes
    /// silent for `options.idleTimeout`, or the hub restarts, the client reconnects with backoff
    /// (capped) sending `Last-Event-ID` with the last event it yielded, so no event is missed and
    /// none is yielded twice; every reconnection yields a new snapshot first. Without a `lastEventID`
    /// the stream starts at the hub's newest event (the first snapshot's `lastEventId`).
    ///
    /// The stream ends with an ``LGSPClientError`` when the hub refuses the subscription for good:
    /// a problem document with a 4xx status other than 408 and 429 (`auth.…` codes for 401,
    /// `auth.forbidden` for an app without a unit); `auth.clock_skew` is corrected once first.
    /// Transport failures and 408/429/5xx are retried forever. Cancelling the consuming task (or
    /// dropping the stream) closes the connection. A consumer slower than the hub is held back by
    /// `options.bufferSize`: the client then stops reading, and TCP slows the hub down.
    public func events(
        lastEventID: Int64? = nil, options: EventStreamOptions = EventStreamOptions()
    ) -> AsyncThrowingStream<StreamMessage, any Error> {
        let (stream, continuation) = AsyncThrowingStream<StreamMessage, any Error>.makeStream(
            bufferingPolicy: .bufferingOldest(max(1, options.bufferSize)))
        let subscription = EventSubscription(
            client: self, options: options, progress: EventSubscription.Progress(cursor: lastEventID), continuation: continuation)
        let task = Task { await subscription.run() }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
