import LGSPCore

/// A single byte range from a `Range: bytes=…` header (RFC 9110 §14.1.2).
enum ByteRange {
    /// The requested range within `size` bytes; nil when the header is absent.
    ///
    /// - Throws: `request.invalid_range` for unsatisfiable, malformed or multiple ranges.
    static func parse(_ header: String?, size: Int64) throws(LGSPError) -> Range<Int64>? {
        guard let header else { return nil }
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("bytes=") else {
            throw LGSPError(.invalidRange, "Range '\(header)' is not a byte range (bytes=START-END)", details: ["size": "\(size)"])
        }
        let spec = text.dropFirst(6)
        guard !spec.contains(",") else {
            throw LGSPError(.invalidRange, "only one range per request is supported", details: ["size": "\(size)"])
        }
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw LGSPError(.invalidRange, "Range '\(header)' is malformed", details: ["size": "\(size)"])
        }
        let first = parts[0].trimmingCharacters(in: .whitespaces)
        let last = parts[1].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            guard let suffix = Int64(last), suffix > 0, size > 0 else {
                throw LGSPError(.invalidRange, "Range '\(header)' is not satisfiable for \(size) bytes", details: ["size": "\(size)"])
            }
            return max(0, size - suffix)..<size
        }
        guard let start = Int64(first), start >= 0, start < size else {
            throw LGSPError(.invalidRange, "Range '\(header)' starts beyond the \(size) bytes of content", details: ["size": "\(size)"])
        }
        if last.isEmpty { return start..<size }
        guard let end = Int64(last), end >= start else {
            throw LGSPError(.invalidRange, "Range '\(header)' is malformed", details: ["size": "\(size)"])
        }
        return start..<min(size, end + 1)
    }
}

import Foundation
