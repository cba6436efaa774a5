import Foundation
import LGSPCore
import Logging
import Synchronization

/// The hub's `PayloadConverter`: converts packets with the working `MappingSet`, and replaces that
/// set when `mappings/` or `schemas/` change and the new set loads and passes its tests.
///
/// Reloading is all or nothing (`MappingSet.load`): while a changed folder has problems, the
/// previous set stays in use and `status` reports the problems.
public final class MappingConverter: PayloadConverter, Sendable {
    /// The folder holding `mappings/` and `schemas/`.
    public let root: URL
    private let state: Mutex<State>
    private let logger: Logger

    struct State {
        var set: MappingSet
        var loadedAt: Date?
        var checkedAt: Date
        var failure: MappingSetFailure?
        var failedAt: Date?
    }

    /// What admins see: the working set and the last problems.
    public struct Status: Sendable {
        public var root: URL
        /// The working set (empty until a set loads).
        public var set: MappingSet
        /// When the working set was loaded; nil if none ever loaded.
        public var loadedAt: Date?
        /// When the folders were last looked at.
        public var checkedAt: Date
        /// The problems of the last attempt, when it failed and the folders have not changed since.
        public var failure: MappingSetFailure?
        /// When that attempt failed.
        public var failedAt: Date?
    }

    /// Loads the set under `root`. A set with problems is not used: the converter starts empty and
    /// `status` reports them.
    public init(root: URL, logger: Logger = Logger(label: "lgsp.mappings"), now: Date = Date()) {
        self.root = root.standardizedFileURL
        self.logger = logger
        var initial = State(set: .empty(root: root), loadedAt: nil, checkedAt: now)
        switch MappingSet.load(root: root) {
        case .success(let set):
            initial.set = set
            initial.loadedAt = now
        case .failure(let failure):
            initial.failure = failure
            initial.failedAt = now
            Self.log(failure, logger: logger, root: root)
        }
        state = Mutex(initial)
    }

    /// The outcome of `reloadIfChanged`.
    public enum ReloadOutcome: Sendable, Equatable {
        /// Nothing changed since the last load or failed attempt.
        case unchanged
        /// A new set replaced the working one.
        case reloaded
        /// The folders changed but have problems: the working set stays.
        case failed
    }

    /// Looks at the folders; if they changed since the working set (or the last failed attempt) was
    /// read, loads them and, when the whole set loads and passes its tests, makes it the working set.
    @discardableResult
    public func reloadIfChanged(now: Date = Date()) -> ReloadOutcome {
        let fingerprint = MappingFingerprint.of(root: root)
        let seen = state.withLock { state -> Bool in
            state.checkedAt = now
            return fingerprint == state.set.fingerprint || fingerprint == state.failure?.fingerprint
        }
        if seen { return .unchanged }
        switch MappingSet.load(root: root) {
        case .success(let set):
            state.withLock {
                $0.set = set
                $0.loadedAt = now
                $0.failure = nil
                $0.failedAt = nil
            }
            logger.notice("mappings reloaded", metadata: [
                "mappings": "\(set.mappings.count)", "catalogues": "\(set.library.catalogues.catalogues.count)",
                "dataTypes": "\(set.dataTypes.entries.count)",
            ])
            return .reloaded
        case .failure(let failure):
            state.withLock {
                $0.failure = failure
                $0.failedAt = now
            }
            Self.log(failure, logger: logger, root: root)
            return .failed
        }
    }

    /// The working set and the last problems.
    public var status: Status {
        state.withLock { Status(root: root, set: $0.set, loadedAt: $0.loadedAt, checkedAt: $0.checkedAt, failure: $0.failure, failedAt: $0.failedAt) }
    }

    /// The working set.
    public var current: MappingSet { state.withLock { $0.set } }

    private static func log(_ failure: MappingSetFailure, logger: Logger, root: URL) {
        logger.error("mappings not loaded; the previous set stays in use", metadata: [
            "folder": "\(root.path)", "problems": "\(failure.problems.count)",
            "first": "\(failure.problems.first?.description ?? "")",
        ])
        for problem in failure.problems.dropFirst() { logger.error("mapping problem", metadata: ["problem": "\(problem.description)"]) }
    }

    /// Converts `content` with the working set's mapping `name` (service calls name their mappings
    /// directly; packets go through their data type).
    ///
    /// - Throws: `transform.no_mapping` when the set has no such mapping; the mapping's own `transform.*`
    ///   errors (naming file, line and rule) when the content cannot be converted.
    public func convert(_ content: Data, mapping name: String) throws(LGSPError) -> ConvertedPayload {
        guard let mapping = current.mappings[name] else {
            throw LGSPError(.noMapping, "there is no working mapping '\(name)' (mappings/\(name).mapping.yaml)")
        }
        let output = try mapping.transform(content)
        return ConvertedPayload(data: output.data, mediaType: mapping.target.format == .json ? "application/json" : "application/xml")
    }

    // MARK: PayloadConverter

    public func converts(_ dataType: DataType) -> Bool {
        current.dataTypes[dataType] != nil
    }

    public func target(for dataType: DataType, accepts: [ContentFormat]) throws(LGSPError) -> ContentFormat? {
        guard !accepts.isEmpty, let entry = current.dataTypes[dataType], !accepts.contains(entry.format) else { return nil }
        if let format = accepts.first(where: { entry.conversions[$0] != nil }) { return format }
        let known = entry.conversions.keys.sorted().map(\.rawValue)
        throw LGSPError(.noMapping,
            "packets of \(dataType) arrive as \(entry.format); the destination accepts \(accepts.map(\.rawValue).joined(separator: ", ")), and mappings/\(DataTypeFormats.fileName) converts \(dataType) only to \(known.isEmpty ? "no other format" : known.joined(separator: ", "))",
            details: ["dataType": dataType.rawValue, "format": entry.format.rawValue])
    }

    public func convert(_ content: Data, dataType: DataType, to format: ContentFormat) async throws(LGSPError) -> ConvertedPayload {
        let set = current
        guard let name = set.dataTypes[dataType]?.conversions[format], let mapping = set.mappings[name] else {
            throw LGSPError(.noMapping, "no mapping converts \(dataType) to \(format) any more (mappings/\(DataTypeFormats.fileName) changed)",
                details: ["dataType": dataType.rawValue, "format": format.rawValue])
        }
        let output = try mapping.transform(content)
        return ConvertedPayload(data: output.data, mediaType: mapping.target.format == .json ? "application/json" : "application/xml")
    }
}
