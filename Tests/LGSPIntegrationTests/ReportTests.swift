import Foundation
import LGSPAPI
import LGSPAuth
import LGSPClient
import LGSPCore
import LGSPTesting
import Testing

/// Statistics and reports (Articles 5.11–5.12) on a live hub: traffic of known sizes with known
/// outcomes, a real Server-Sent Events connection, and the figures read back as JSON, as CSV (parsed
/// by Python's csv module) and from the CLI.
@Suite("Reports", .serialized)
struct ReportTests {
    static let csvHeader = [
        "from", "to", "unit", "name",
        "sent_packets", "sent_bytes", "sent_delivered", "sent_rejected", "sent_expired", "sent_undeliverable", "sent_transform_failed",
        "sent_open", "sent_median_ms", "sent_p95_ms",
        "received_packets", "received_bytes", "received_delivered", "received_rejected", "received_expired", "received_undeliverable",
        "received_transform_failed", "received_open", "received_median_ms", "received_p95_ms",
        "connects", "disconnects", "connected_ms", "observed_ms", "online_ratio",
    ]

    static func millis(_ interval: TimeInterval) -> Int64 { Int64((interval * 1000).rounded()) }

    static func zero(_ deliveries: DeliveryOutcomesBody = DeliveryOutcomesBody(delivered: 0, rejected: 0, expired: 0, undeliverable: 0, transformFailed: 0, open: 0))
        -> TrafficBody
    {
        TrafficBody(packets: 0, bytes: 0, deliveries: deliveries, deliveryTime: DeliveryTimeBody(medianMillis: nil, p95Millis: nil))
    }

    /// Waits until `condition` holds, polling, for at most `seconds`.
    static func eventually(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    /// Milliseconds from the packet's creation to its delivery to `unit`, from the packet's own history.
    static func deliveryMillis(_ client: LGSPClient, _ id: PacketID, to unit: String) async throws -> Int64 {
        let packet = try await client.packet(id)
        let delivery = try #require(packet.deliveries.first { $0.recipient.rawValue == unit })
        let created = try #require(delivery.history?.first, "the history starts when the delivery was created")
        let delivered = try #require(delivery.history?.last { $0.state == .delivered })
        return millis(delivered.at.timeIntervalSince(created.at))
    }

    @Test("figures match what happened: packets and bytes, outcomes, delivery times, an SSE connection; CSV and CLI say the same")
    func figures() async throws {
        let curl = try #require(ExternalTools.curl, "curl opens the Server-Sent Events connection")
        let hub = try await HubProcess.start(environment: ["LGSP_REALTIME_HEARTBEAT_SECONDS": "0.2"])
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let sender = scenario.client(scenario.source)
        let first = scenario.client(scenario.first)
        let second = scenario.client(scenario.second)
        let from = Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 - 0.5) * 1000).rounded(.down) / 1000)

        // The first ward's app holds an event stream for about two seconds (curl signs it with SigV4).
        async let stream = ExternalTools.run(
            curl, ["-sS", "-N", "--max-time", "2", "--aws-sigv4", "aws:amz:vn:lgsp", "--user", "\(scenario.first.accessKey):\(scenario.first.secretKey)",
                   hub.url + "/v1/events"])

        let delivered = try await sender.send(to: [Scenario.firstUnit], subject: "Báo cáo quý I", dataType: "edoc", data: Data(repeating: 1, count: 100))
        let shared = try await sender.send(
            to: [Scenario.firstUnit, Scenario.secondUnit], subject: "Công văn đôn đốc", dataType: "edoc", data: Data(repeating: 2, count: 250))
        let expiring = try await sender.send(
            to: [Scenario.secondUnit], subject: "Giấy mời họp", dataType: "edoc", data: Data(repeating: 3, count: 40),
            policy: PolicyBody(deadline: Date().addingTimeInterval(2)))
        _ = try await sender.send(to: [Scenario.firstUnit], subject: "Chờ xử lý", dataType: "edoc", data: Data(repeating: 4, count: 7))
        for id in [delivered.id, shared.id] {
            _ = try await first.accept(id)
            let content = try await first.download(id)
            try await first.acknowledge(id, sha256: ContentDigest.of(content).hex)
        }
        try await second.reject(shared.id, reason: "Không thuộc thẩm quyền giải quyết")
        #expect(try await Self.eventually(10) { try await sender.packet(expiring.id).deliveries.first?.state == .expired })
        let streamed = try await stream
        #expect(streamed.text.contains("event: snapshot"), "\(streamed.stderr)")
        var history = try await scenario.admin.connectionHistory(unit: Scenario.firstUnit, from: from)
        #expect(try await Self.eventually(5) {
            history = try await scenario.admin.connectionHistory(unit: Scenario.firstUnit, from: from)
            return history.items.first?.disconnectedAt != nil
        })
        // Everything has happened: a period that ends now gives the same figures however often it is read.
        // Whole milliseconds: the API carries times to the millisecond.
        let to = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        try await Task.sleep(for: .milliseconds(50))

        let report = try await scenario.admin.unitReport(from: from, to: to)
        #expect(report.from.timeIntervalSince(from).magnitude < 0.001 && report.to.timeIntervalSince(to).magnitude < 0.001)
        #expect(report.observedUntil == report.to)
        let connection = try #require(history.items.first)
        #expect(history.items.count == 1)
        #expect(connection.channel == "sse")
        #expect(connection.appName == "Một cửa Hải Dương")
        #expect(connection.appId == scenario.first.app.id)
        let connected = Self.millis(try #require(connection.disconnectedAt).timeIntervalSince(connection.connectedAt))
        #expect((1500...6000).contains(connected), "the stream lasted \(connected) ms")
        let observed = Self.millis(report.to.timeIntervalSince(report.from))

        let times = [
            try await Self.deliveryMillis(sender, delivered.id, to: Scenario.firstUnit),
            try await Self.deliveryMillis(sender, shared.id, to: Scenario.firstUnit),
        ].sorted()
        let deliveryTime = DeliveryTimeBody(medianMillis: times[0], p95Millis: times[1])
        let idle = ConnectionStatsBody(connects: 0, disconnects: 0, connectedMillis: 0, observedMillis: observed, onlineRatio: 0)
        let expected = [
            UnitReportBody(
                unit: UnitCode(lenient: "000.00.00.H24")!, name: "Ủy ban nhân dân thành phố Hải Phòng", sent: Self.zero(), received: Self.zero(),
                connections: idle),
            UnitReportBody(
                unit: UnitCode(lenient: Scenario.sourceUnit)!, name: "Sở Tài chính",
                sent: TrafficBody(
                    packets: 4, bytes: 100 + 250 + 40 + 7,
                    deliveries: DeliveryOutcomesBody(delivered: 2, rejected: 1, expired: 1, undeliverable: 0, transformFailed: 0, open: 1),
                    deliveryTime: deliveryTime),
                received: Self.zero(), connections: idle),
            UnitReportBody(
                unit: UnitCode(lenient: Scenario.firstUnit)!, name: "Ủy ban nhân dân Phường Hải Dương", sent: Self.zero(),
                received: TrafficBody(
                    packets: 2, bytes: 350,
                    deliveries: DeliveryOutcomesBody(delivered: 2, rejected: 0, expired: 0, undeliverable: 0, transformFailed: 0, open: 1),
                    deliveryTime: deliveryTime),
                connections: ConnectionStatsBody(
                    connects: 1, disconnects: 1, connectedMillis: connected, observedMillis: observed, onlineRatio: Double(connected) / Double(observed))),
            UnitReportBody(
                unit: UnitCode(lenient: Scenario.secondUnit)!, name: "Ủy ban nhân dân Phường Thành Đông", sent: Self.zero(),
                received: Self.zero(DeliveryOutcomesBody(delivered: 0, rejected: 1, expired: 1, undeliverable: 0, transformFailed: 0, open: 0)),
                connections: idle),
        ]
        #expect(report.items == expected)

        // One unit: the same row.
        let one = try await scenario.admin.unitReport(from: from, to: to, unit: Scenario.firstUnit)
        #expect(one.items == [expected[2]])
        // An earlier period saw none of it.
        let before = try await scenario.admin.unitReport(from: from.addingTimeInterval(-3600), to: from)
        #expect(before.items.allSatisfy { $0.sent == Self.zero() && $0.received == Self.zero() && $0.connections.connects == 0 })

        // CSV: parsed by Python's csv module, row for row the JSON figures.
        let csv = try await scenario.admin.unitReportCSV(from: from, to: to)
        try await Self.checkCSV(csv, against: report, in: hub)

        // The CLI prints the hub's CSV as is, and the same JSON.
        let common = ["--url", hub.url, "--data", hub.dataPath, "--from", APICoding.formatDate(from), "--to", APICoding.formatDate(to)]
        let cliCSV = try await CLITests.lgsp(["report", "units", "--csv"] + common)
        #expect(cliCSV.status == 0, "\(cliCSV.stderr)")
        #expect(cliCSV.text == csv)
        let cliJSON = try await CLITests.lgsp(["report", "units", "--json"] + common)
        #expect(try APICoding.makeDecoder().decode(UnitReportResponse.self, from: cliJSON.stdout).items == expected)
        let table = try await CLITests.lgsp(["report", "units"] + common)
        #expect(table.text.contains("Sở Tài chính") && table.text.contains("2/1/1/0/1"), "\(table.text)")
        let connections = try await CLITests.lgsp(
            ["connections", "--unit", Scenario.firstUnit, "--since", APICoding.formatDate(from), "--url", hub.url, "--data", hub.dataPath])
        #expect(connections.status == 0, "\(connections.stderr)")
        #expect(connections.text.contains("sse") && connections.text.contains("Một cửa Hải Dương"), "\(connections.text)")

        // The unit's own app reads its own report (here with the CLI and its own credential), and no other.
        let asFirst = ["LGSP_URL": hub.url, "LGSP_ACCESS_KEY": scenario.first.accessKey, "LGSP_SECRET_KEY": scenario.first.secretKey]
        let own = try await CLITests.lgsp(
            ["report", "units", "--json", "--unit", Scenario.firstUnit, "--from", APICoding.formatDate(from), "--to", APICoding.formatDate(to)],
            environment: asFirst)
        #expect(own.status == 0, "\(own.stderr)")
        #expect(try APICoding.makeDecoder().decode(UnitReportResponse.self, from: own.stdout).items == [expected[2]])
        let other = try await CLITests.lgsp(
            ["report", "units", "--unit", Scenario.sourceUnit, "--from", APICoding.formatDate(from), "--to", APICoding.formatDate(to)],
            environment: asFirst)
        #expect(other.status != 0)
        #expect(other.stderr.contains("auth.forbidden"), "\(other.stderr)")
    }

    /// Parses `csv` with Python's csv module and checks the header and every field against `report`.
    static func checkCSV(_ csv: String, against report: UnitReportResponse, in hub: HubProcess) async throws {
        guard let python = ExternalTools.python ?? ExternalTools.which("python3") else {
            Issue.record("no Python to parse the CSV: run `make test` (or set LGSP_TEST_PYTHON)")
            return
        }
        let file = hub.data.path + "/report.csv"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: file))
        let script = """
            import csv, json, sys
            with open(sys.argv[1], encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f, strict=True))
            print(json.dumps(rows, ensure_ascii=False))
            """
        let result = try await ExternalTools.run(python, ["-c", script, file])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try JSONDecoder().decode([[String]].self, from: result.stdout)
        #expect(rows.first == csvHeader)
        #expect(rows.count == report.items.count + 1)
        for (row, item) in zip(rows.dropFirst(), report.items) {
            let fields = Dictionary(uniqueKeysWithValues: zip(csvHeader, row))
            func text(_ value: Int64?) -> String { value.map(String.init) ?? "" }
            let expected: [String: String] = [
                "unit": item.unit.rawValue, "name": item.name ?? "",
                "sent_packets": "\(item.sent.packets)", "sent_bytes": "\(item.sent.bytes)",
                "sent_delivered": "\(item.sent.deliveries.delivered)", "sent_rejected": "\(item.sent.deliveries.rejected)",
                "sent_expired": "\(item.sent.deliveries.expired)", "sent_undeliverable": "\(item.sent.deliveries.undeliverable)",
                "sent_transform_failed": "\(item.sent.deliveries.transformFailed)", "sent_open": "\(item.sent.deliveries.open)",
                "sent_median_ms": text(item.sent.deliveryTime.medianMillis), "sent_p95_ms": text(item.sent.deliveryTime.p95Millis),
                "received_packets": "\(item.received.packets)", "received_bytes": "\(item.received.bytes)",
                "received_delivered": "\(item.received.deliveries.delivered)", "received_rejected": "\(item.received.deliveries.rejected)",
                "received_expired": "\(item.received.deliveries.expired)", "received_undeliverable": "\(item.received.deliveries.undeliverable)",
                "received_transform_failed": "\(item.received.deliveries.transformFailed)", "received_open": "\(item.received.deliveries.open)",
                "received_median_ms": text(item.received.deliveryTime.medianMillis), "received_p95_ms": text(item.received.deliveryTime.p95Millis),
                "connects": "\(item.connections.connects)", "disconnects": "\(item.connections.disconnects)",
                "connected_ms": "\(item.connections.connectedMillis)", "observed_ms": "\(item.connections.observedMillis)",
            ]
            for (key, value) in expected {
                #expect(fields[key] == value, "\(item.unit) \(key)")
            }
            #expect(fields["from"].flatMap(APICoding.parseDate) == report.from)
            #expect(fields["to"].flatMap(APICoding.parseDate) == report.to)
            let ratio = try #require(fields["online_ratio"].flatMap(Double.init))
            #expect(abs(ratio - (item.connections.onlineRatio ?? -1)) < 0.000_001)
        }
    }

    @Test("who may read which report, the defaults taken from the hub's clock, and refusals of bad periods")
    func accessAndDefaults() async throws {
        let hub = try await HubProcess.start()
        defer { hub.shutdown() }
        let scenario = try await Scenario.make(hub)
        let raw = RawClient(url: hub.url)
        let admin = try hub.admin
        func get(_ target: String, as credential: (String, String), headers: [(String, String)] = []) async throws -> RawClient.Response {
            try await raw.send("GET", target, headers: headers, signing: .sigV4(accessKey: credential.0, secretKey: credential.1))
        }
        let asAdmin = (admin.accessKey, admin.secretKey)
        let asFirst = (scenario.first.accessKey, scenario.first.secretKey)

        let own = try await get("/v1/reports/units?unit=\(Scenario.firstUnit)", as: asFirst)
        #expect(own.status == 200, "\(own.text)")
        let ownReport = try APICoding.makeDecoder().decode(UnitReportResponse.self, from: own.body)
        #expect(ownReport.items.map(\.unit.rawValue) == [Scenario.firstUnit])
        // Defaults: the day up to the hub's now; the report says when that was.
        #expect(ownReport.to == ownReport.generatedAt)
        #expect(Self.millis(ownReport.to.timeIntervalSince(ownReport.from)) == 86_400_000)
        #expect(ownReport.observedUntil == ownReport.to)
        #expect(ownReport.generatedAt.timeIntervalSinceNow.magnitude < 5)
        #expect(try await get("/v1/reports/units/\(Scenario.firstUnit)/connections", as: asFirst).status == 200)

        for target in [
            "/v1/reports/units", "/v1/reports/units?unit=\(Scenario.sourceUnit)", "/v1/reports/units/\(Scenario.sourceUnit)/connections",
        ] {
            let refused = try await get(target, as: asFirst)
            #expect(refused.status == 403, "\(target): \(refused.text)")
            #expect(refused.problem?.code == ErrorCode.forbidden.rawValue)
        }
        let unknown = try await get("/v1/reports/units?unit=000.00.99.H24", as: asAdmin)
        #expect(unknown.status == 404)
        #expect(unknown.problem?.code == ErrorCode.unknownUnit.rawValue)
        let reversed = "from=" + PercentEncoding.encode("2026-12-01T00:00:00+07:00") + "&to=" + PercentEncoding.encode("2026-11-01T00:00:00+07:00")
        for query in [reversed, "from=yesterday", "format=xml", "unit=not-a-code"] {
            let refused = try await get("/v1/reports/units?" + query, as: asAdmin)
            #expect(refused.status == 400, "\(query): \(refused.text)")
            #expect(refused.problem?.code == ErrorCode.invalidQuery.rawValue, "\(query)")
        }
        #expect(try await raw.send("GET", "/v1/reports/units").problem?.code == ErrorCode.missingSignature.rawValue)

        // CSV by format or by Accept, with a header row and the Vietnamese names in UTF-8.
        for (target, headers) in [("/v1/reports/units?format=csv", []), ("/v1/reports/units", [("accept", "text/csv")])] {
            let csv = try await get(target, as: asAdmin, headers: headers)
            #expect(csv.status == 200)
            #expect(csv.headers.first(name: "content-type") == "text/csv; charset=utf-8; header=present")
            #expect(csv.headers.first(name: "content-disposition")?.hasPrefix("attachment; filename=\"lgsp-units-") == true)
            #expect(csv.text.hasPrefix(Self.csvHeader.joined(separator: ",") + "\r\n"))
            #expect(csv.text.contains(",Ủy ban nhân dân Phường Thành Đông,"))
        }
    }
}
