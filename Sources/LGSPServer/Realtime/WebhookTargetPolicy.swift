import Foundation
import LGSPCore

/// Where the hub may push webhooks. An app chooses its callback URL, so without limits it could make
/// the hub send requests to addresses only the hub can reach. Link-local and unspecified addresses
/// (cloud metadata services live at 169.254.169.254) are always refused; with `webhooks.allowedHosts`
/// set, the host must also be one of them (`hook.stc.example.vn`) or end in one given with a leading dot
/// (`.haiphong.gov.vn`).
///
/// Checked when a webhook is registered, on the URL as written: a name that resolves to a refused
/// address is not caught here (network policy on the hub's host is the place for that).
struct WebhookTargetPolicy: Sendable {
    let allowedHosts: [String]

    func check(_ url: URL) throws(LGSPError) {
        guard let host = url.host?.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]")), !host.isEmpty else {
            throw LGSPError(.invalidField, "'\(url.absoluteString)' names no host", field: "url")
        }
        if Self.isLinkLocalOrUnspecified(host) {
            throw LGSPError(.invalidField, "webhooks may not point at \(host): link-local and unspecified addresses are refused", field: "url")
        }
        guard !allowedHosts.isEmpty else { return }
        let allowed = allowedHosts.contains { rule in
            let rule = rule.lowercased()
            return rule.hasPrefix(".") ? host.hasSuffix(rule) : host == rule
        }
        guard allowed else {
            throw LGSPError(.invalidField,
                "webhook host \(host) is not allowed on this hub (webhooks.allowedHosts: \(allowedHosts.joined(separator: ", ")))", field: "url")
        }
    }

    static func isLinkLocalOrUnspecified(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { UInt8($0) }
        if parts.count == 4 && numbers.count == 4 {
            return (numbers[0] == 169 && numbers[1] == 254) || numbers[0] == 0
        }
        if host.contains(":") {
            return host == "::" || host.hasPrefix("fe8") || host.hasPrefix("fe9") || host.hasPrefix("fea") || host.hasPrefix("feb")
        }
        return false
    }
}
