import Foundation

/// Article 8 step 2: the hub checks the recipients of a send request against the directory, follows
/// reorganisations (Article 7) and, when a recipient cannot be found, tells the source which units
/// it probably meant (Article 5.9).
extension Exchange {
    /// A unit that will receive the packet, with its receiving apps.
    struct Recipient {
        var unit: UnitCode
        var apps: [App]
        /// The peer that carries the packet to this unit when another hub serves it (federation).
        var upstream: String? = nil

        /// One delivery per receiving app, or one delivery carried by the peer link.
        func deliveries(of id: PacketID, at now: Date) -> [Delivery] {
            if let upstream {
                let address = UpstreamAddress(peer: upstream, recipient: unit)
                return [Delivery(packetID: id, recipient: unit, appID: address.appID, state: .created, updatedAt: now)]
            }
            return apps.map { Delivery(packetID: id, recipient: unit, appID: $0.id, state: .created, updatedAt: now) }
        }
    }

    /// The units that will receive, and the named codes the hub sent elsewhere.
    struct ResolvedRecipients {
        var recipients: [Recipient]
        var redirects: [RecipientRedirect]
    }

    /// Resolves and checks every recipient; reports all failing recipients at once, under the first failure's code.
    ///
    /// A code replaced by exactly one successor (renamed, merged, recoded, possibly several times)
    /// resolves to the current unit and is listed in `redirects`; a split code is refused with
    /// `exchange.recipient_replaced` (`details.successors`), a dissolved one with
    /// `exchange.recipient_inactive`, an unknown one with `exchange.unknown_recipient`
    /// (`details.suggestions`). Grants and receiving apps are checked on the unit that receives.
    func resolveRecipients(_ request: SendRequest, caller: Caller) async throws -> ResolvedRecipients {
        let grants = try await directory.grants(appID: caller.app.id)
        var named = Set<UnitCode>()
        var seen = Set<UnitCode>()
        var resolved: [Recipient] = []
        var redirects: [RecipientRedirect] = []
        var failures: [LGSPError] = []
        for (index, text) in request.to.enumerated() {
            let field = "to[\(index)]"
            guard let code = UnitCode(lenient: text) else {
                failures.append(try await invalidCode(text, field: field))
                continue
            }
            guard named.insert(code).inserted else { continue }
            let unit: Unit
            switch try await UnitRoute.resolve(code, lookup: { try await directory.unit($0) }) {
            case .unknown:
                // Federation: a code another hub serves goes upstream, under the same grants.
                if let peer = configuration.router.upstreamPeer(for: code) {
                    guard seen.insert(code).inserted else { continue }
                    guard grants.contains(where: { $0.allowsSending(request.dataType, to: code) }) else {
                        failures.append(LGSPError(.recipientNotGranted, "app \(caller.app.accessKey) has no grant to send \(request.dataType) to \(code)", field: field))
                        continue
                    }
                    resolved.append(Recipient(unit: code, apps: [], upstream: peer))
                    continue
                }
                failures.append(try await unknown(code, field: field))
                continue
            case .inactive(let dead):
                let subject = dead.code == code ? "recipient \(code) (\(dead.name))" : "recipient \(code) was replaced by \(dead.code) (\(dead.name)), which"
                failures.append(LGSPError(.recipientInactive, "\(subject) is inactive and replaced by no unit: it receives nothing new", field: field))
                continue
            case .split(let old, let successors):
                failures.append(Self.split(code, old: old, successors: successors, field: field))
                continue
            case .current(let current):
                unit = current
            case .redirected(let current, let redirect):
                unit = current
                redirects.append(redirect)
            }
            guard seen.insert(unit.code).inserted else { continue }
            guard grants.contains(where: { $0.allowsSending(request.dataType, to: unit.code) }) else {
                failures.append(LGSPError(.recipientNotGranted, "app \(caller.app.accessKey) has no grant to send \(request.dataType) to \(unit.code)", field: field))
                continue
            }
            let apps = try await directory.apps(unit: unit.code).filter {
                $0.status == .active && $0.role == .app && $0.receives.contains(request.dataType)
            }
            guard !apps.isEmpty else {
                failures.append(LGSPError(.noReceivingApp, "recipient \(unit.code) (\(unit.name)) has no active app that receives \(request.dataType)", field: field))
                continue
            }
            resolved.append(Recipient(unit: unit.code, apps: apps))
        }
        if var first = failures.first {
            if failures.count > 1 {
                first.message += " (and \(failures.count - 1) more: " + failures.dropFirst().map(\.description).joined(separator: "; ") + ")"
            }
            first.details["failedRecipients"] = failures.compactMap(\.field).joined(separator: ",")
            throw first
        }
        return ResolvedRecipients(recipients: resolved, redirects: redirects)
    }

    /// The named codes as they were delivered: each replaced code becomes the unit that received for it.
    static func delivered(_ named: [String], redirects: [RecipientRedirect]) -> [UnitCode] {
        named.compactMap { UnitCode(lenient: $0) }.map { code in redirects.first { $0.from == code }?.to ?? code }.uniqued()
    }

    /// `exchange.unknown_recipient`, with the registered units whose codes are nearest.
    private func unknown(_ code: UnitCode, field: String) async throws -> LGSPError {
        var candidates: [Unit] = []
        for query in UnitSuggestions.candidateQueries(for: code) {
            candidates += try await directory.units(matching: query)
        }
        let near = UnitSuggestions.near(code, among: candidates)
        var error = LGSPError(.unknownRecipient, "recipient \(code) is not in the directory", field: field)
        if let best = near.first {
            error.message += "; did you mean \(best.code) (\(best.name))?"
            error.details["suggestions"] = UnitSuggestions.detail(near)
        }
        return error
    }

    /// `directory.invalid_unit_code` for text that is no code; when it reads as a name, the units it finds.
    private func invalidCode(_ text: String, field: String) async throws -> LGSPError {
        var error = LGSPError(.invalidUnitCode, "recipient '\(text)' is not a QCVN 102:2016 unit code", field: field)
        guard let query = try? UnitSearchQuery(text), !query.words.isEmpty else { return error }
        let found = UnitSearch.rank(try await directory.units(matching: query), for: query)
            .filter { $0.unit.status == .active }.prefix(UnitSuggestions.limit).map(\.unit)
        if let best = found.first {
            error.message += "; did you mean \(best.code) (\(best.name))?"
            error.details["suggestions"] = UnitSuggestions.detail(found)
        }
        return error
    }

    private static func split(_ code: UnitCode, old: Unit, successors: [Unit], field: String) -> LGSPError {
        let names = successors.map { "\($0.code) (\($0.name))" }.joined(separator: ", ")
        let via = old.code == code ? "" : " through \(old.code)"
        let effective = old.replacement.map { " on \($0.effective.iso8601.prefix(10))" } ?? ""
        return LGSPError(
            .recipientReplaced,
            "recipient \(code) (\(old.name))\(via) was split\(effective) into \(names); send to the one that handles this matter",
            field: field, details: ["successors": UnitSuggestions.detail(successors)])
    }
}
