/// What to do for one delivery of a file-drop app, from what its folders hold (no I/O).
///
/// The hub writes a delivery in three durable steps: the payload (`.part`, fsync, rename), then a
/// marker in its own state folder, then the manifest (`.part`, fsync, rename). The app takes a
/// delivery by moving both files to `done/`, or by deleting them, the manifest last. So after a
/// crash at any point the folders say what is left to do:
///
/// | marker | manifest in outbox | payload in outbox | manifest in done | action |
/// |---|---|---|---|---|
/// | no | – | – | – | write (again) from the start, if the delivery is still offered |
/// | yes | yes | – | – | wait for the app |
/// | yes | no | yes | no | finish: write the manifest |
/// | yes | no | no | – | acknowledge (the app deleted or moved both) |
/// | yes | no | – | yes | acknowledge (the app moved the manifest to `done/`) |
public enum FileDropOutboxStep: Sendable, Hashable {
    case write
    case wait
    case finishManifest
    case acknowledge
    /// Nothing to do: no marker and the delivery is no longer offered.
    case none

    public struct Observation: Sendable, Hashable {
        public var offered: Bool
        public var marker: Bool
        public var manifestInOutbox: Bool
        public var payloadInOutbox: Bool
        public var manifestInDone: Bool

        public init(offered: Bool, marker: Bool, manifestInOutbox: Bool, payloadInOutbox: Bool, manifestInDone: Bool) {
            self.offered = offered
            self.marker = marker
            self.manifestInOutbox = manifestInOutbox
            self.payloadInOutbox = payloadInOutbox
            self.manifestInDone = manifestInDone
        }
    }

    public static func decide(_ seen: Observation) -> FileDropOutboxStep {
        guard seen.marker else { return seen.offered ? .write : .none }
        if seen.manifestInOutbox { return .wait }
        if seen.manifestInDone || !seen.payloadInOutbox { return .acknowledge }
        return .finishManifest
    }
}
