import Foundation
import Hummingbird
import LGSPAuth
import LGSPCore

/// Packet history with filters, and one packet's timeline: metadata, deliveries and every state
/// change. Never the content: the console has no route that reads a packet's bytes.
extension ConsoleRoutes {
    func registerPackets(on router: HubRouter) {
        get(router, "/console/packets") { console in try await packets(console) }
        get(router, "/console/packets/{id}") { console in try await timeline(console) }
    }

    private func packets(_ console: ConsoleRequest) async throws -> Response {
        let text = renderer.catalogue
        let language = console.language
        var errors: [String] = []
        var filter = ConsolePacketSearch.Filter()
        var askedUnit: UnitCode?
        if let value = console.query("unit") {
            if let unit = UnitCode(lenient: value) { askedUnit = unit } else { errors.append(text.text("filter_unit_invalid", language, ["value": value])) }
        }
        filter.unit = try console.scopedUnit(askedUnit)
        if let value = console.query("state") {
            if ConsolePacketSearch.states.contains(value) { filter.state = value } else { errors.append(text.text("filter_state_invalid", language, ["value": value])) }
        }
        let period = periodFilter(console, errors: &errors)
        filter.since = period.from
        filter.until = period.to
        if let value = console.query("dataType") {
            do { filter.dataType = try DataType(value) } catch { errors.append(text.text("filter_data_type_invalid", language, ["value": value])) }
        }
        if let value = console.query("before") {
            if let id = PacketID(value) { filter.before = id } else { errors.append(text.text("filter_before_invalid", language, ["value": value])) }
        }
        var rows: [[String: Any]] = []
        var next: String?
        var truncated = false
        if errors.isEmpty {
            let page = try await ConsolePacketSearch(store: hub.store).page(filter, limit: 50)
            let names = try await unitNames()
            rows = page.items.map { summary in
                let deliveries = visibleDeliveries(summary.packet, summary.deliveries, console)
                return [
                    "id": summary.packet.id.rawValue, "createdAt": ConsoleFormat.time(summary.packet.createdAt),
                    "from": summary.packet.sourceUnit.rawValue, "fromName": names[summary.packet.sourceUnit] ?? "",
                    "to": summary.packet.recipients.map(\.rawValue).joined(separator: ", "), "subject": summary.packet.subject,
                    "dataType": summary.packet.dataType.description, "priority": text.text("priority_\(summary.packet.priority.rawValue)", language),
                    "state": summary.packet.state.rawValue, "stateLabel": text.text("state_\(summary.packet.state.rawValue)", language),
                    "deliveries": deliveries.map { ["recipient": $0.recipient.rawValue, "state": $0.state.rawValue, "stateLabel": text.text("state_\($0.state.rawValue)", language)] },
                ]
            }
            next = page.next.map { nextPageLink(console, before: $0.rawValue) }
            truncated = page.truncated
        }
        let states = ConsolePacketSearch.states.map { ["value": $0, "label": text.text("state_\($0)", language), "selected": $0 == filter.state] }
        return await page(
            "packets", title: text.text("nav_packets", language),
            data: [
                "errors": errors, "rows": rows, "empty": rows.isEmpty && errors.isEmpty, "next": next ?? "", "truncated": truncated,
                "filter": [
                    "unit": console.query("unit") ?? "", "from": console.query("from") ?? "", "to": console.query("to") ?? "",
                    "dataType": console.query("dataType") ?? "", "unitFixed": console.session.readsEverything ? "" : (console.session.unit?.rawValue ?? ""),
                ],
                "states": states,
            ], console, status: errors.isEmpty ? .ok : .badRequest)
    }

    /// `from`/`to` as days (`yyyy-MM-dd`, the province's time), `to` included; errors named in the language.
    func periodFilter(_ console: ConsoleRequest, errors: inout [String]) -> (from: Date?, to: Date?) {
        let text = renderer.catalogue
        var from: Date?
        var to: Date?
        if let value = console.query("from") {
            if let day = ConsoleFormat.parseDay(value) { from = day } else { errors.append(text.text("filter_day_invalid", console.language, ["field": "from", "value": value])) }
        }
        if let value = console.query("to") {
            if let day = ConsoleFormat.parseDay(value) { to = day.addingTimeInterval(86400) } else { errors.append(text.text("filter_day_invalid", console.language, ["field": "to", "value": value])) }
        }
        if let from, let to, from >= to { errors.append(text.text("filter_period_empty", console.language)) }
        return (from, to)
    }

    private func nextPageLink(_ console: ConsoleRequest, before: String) -> String {
        var items = console.request.uri.queryParameters.filter { $0.key != "before" }.map { "\($0.key)=\(FormEncoding.encode(String($0.value)))" }
        items.append("before=\(before)")
        return console.path + "?" + items.joined(separator: "&")
    }

    /// A unit officer of a recipient (not the source) sees only their own unit's deliveries.
    func visibleDeliveries(_ packet: Packet, _ deliveries: [Delivery], _ console: ConsoleRequest) -> [Delivery] {
        guard !console.session.readsEverything, let unit = console.session.unit, packet.sourceUnit != unit else { return deliveries }
        return deliveries.filter { $0.recipient == unit }
    }

    private func timeline(_ console: ConsoleRequest) async throws -> Response {
        let text = renderer.catalogue
        let language = console.language
        guard let id = PacketID(console.parameter("id")) else {
            throw LGSPError(.invalidField, text.text("packet_invalid_id", language, ["value": console.parameter("id")]), field: "id")
        }
        let view = try await hub.exchange.view(id, by: try await caller())
        let packet = view.packet
        if !console.session.readsEverything {
            guard let unit = console.session.unit, packet.sourceUnit == unit || view.deliveries.contains(where: { $0.recipient == unit }) else {
                throw LGSPError(
                    .forbidden, "\(console.session.login) is a unit officer of \(console.session.unit?.rawValue ?? "no unit"); packet \(id) is neither from nor to that unit")
            }
        }
        let deliveries = visibleDeliveries(packet, view.deliveries, console)
        let visibleApps = Set(deliveries.map(\.appID))
        let apps = Dictionary(try await hub.store.apps(unit: nil).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func appLabel(_ id: String) -> String { apps[id].map { "\($0.name) (\($0.accessKey))" } ?? id }
        let hubLabel = text.text("timeline_actor_hub", language)
        // Who moved a delivery into each state (DeliveryStateMachine): the source app creates and uploads,
        // the destination app accepts, acknowledges or rejects, the hub does the rest.
        func actor(_ entry: DeliveryHistoryEntry) -> String {
            switch entry.state {
            case .created, .uploaded: appLabel(packet.sourceAppID)
            case .accepted, .delivered, .rejected: appLabel(entry.appID)
            case .ready, .notified, .handedOff, .expired, .undeliverable, .transformFailed: hubLabel
            }
        }
        let history = view.history.filter { visibleApps.contains($0.appID) }.sorted { $0.at < $1.at }
        let traces = view.traces.filter { visibleApps.contains($0.appID) }
        let content = packet.content
        return await page(
            "packet", title: text.text("packet_title", language),
            data: [
                "packet": [
                    "id": packet.id.rawValue, "subject": packet.subject, "from": packet.sourceUnit.rawValue, "fromApp": appLabel(packet.sourceAppID),
                    "to": packet.recipients.map(\.rawValue).joined(separator: ", "), "priority": text.text("priority_\(packet.priority.rawValue)", language),
                    "dataType": packet.dataType.description, "protocol": packet.exchangeProtocol, "state": packet.state.rawValue,
                    "stateLabel": text.text("state_\(packet.state.rawValue)", language), "size": ConsoleFormat.bytes(content.size),
                    "sha256": String(describing: content.sha256), "mediaType": content.mediaType, "createdAt": ConsoleFormat.time(packet.createdAt),
                    "uploadedAt": ConsoleFormat.time(packet.uploadedAt), "finishedAt": ConsoleFormat.time(packet.finishedAt),
                    "purgedAt": ConsoleFormat.time(packet.purgedAt), "originHub": packet.originHub,
                ],
                "deliveries": deliveries.map {
                    [
                        "recipient": $0.recipient.rawValue, "app": appLabel($0.appID), "state": $0.state.rawValue,
                        "stateLabel": text.text("state_\($0.state.rawValue)", language), "updatedAt": ConsoleFormat.time($0.updatedAt),
                        "reason": $0.reason ?? "",
                    ]
                },
                "history": history.map {
                    [
                        "at": ConsoleFormat.time($0.at), "recipient": $0.recipient.rawValue, "state": $0.state.rawValue,
                        "stateLabel": text.text("state_\($0.state.rawValue)", language), "actor": actor($0), "reason": $0.reason ?? "",
                    ]
                },
                "traces": traces.map {
                    ["status": String(describing: $0.status), "description": $0.description ?? "", "staff": $0.staff ?? "", "at": ConsoleFormat.time($0.reportedAt)]
                },
            ], console)
    }

    /// Unit names by code, for lists.
    func unitNames() async throws -> [UnitCode: String] {
        Dictionary(try await hub.store.units().map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
