import ArgumentParser
import Foundation
import LGSPAPI
import LGSPClient
import LGSPCore

/// `lgsp send --to C --file F …`: sends a packet with the app's credential.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send a file as a packet to one or more units (the app credential comes from LGSP_ACCESS_KEY/LGSP_SECRET_KEY).")

    @OptionGroup var client: ClientOptions
    @Option(help: "Recipient unit codes, comma-separated.") var to: String
    @Option(help: "The file to send.") var file: String
    @Option(help: "Subject (trích yếu).") var subject: String
    @Option(name: .customLong("data-type"), help: "Data type, e.g. edoc.") var dataType: String
    @Option(help: "normal, urgent, very_urgent or flash.") var priority: Priority = .normal
    @Option(name: .customLong("media-type"), help: "Media type (default: from the file extension).") var mediaType: String?
    @Option(name: .customLong("not-before"), help: "ISO 8601 time before which destinations are not offered the packet.") var notBefore: String?
    @Option(help: "ISO 8601 deadline after which undelivered deliveries expire.") var deadline: String?
    @Option(name: .customLong("idempotency-key"), help: "Makes a repeated send return the first packet.") var idempotencyKey: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingFailures {
            let policy = try PolicyBody(notBefore: notBefore.map(Self.date), deadline: deadline.map(Self.date))
            let bar = ProgressBar(label: "upload")
            let created = try await client.appClient().send(
                to: to.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }, subject: subject, dataType: dataType,
                file: file, mediaType: mediaType ?? MediaTypes.guess(file), priority: priority,
                policy: policy.notBefore == nil && policy.deadline == nil ? nil : policy, idempotencyKey: idempotencyKey,
                progress: { bar.update($0, $1) })
            if json { try Output.json(created); return }
            Output.line("sent packet \(created.id) (\(created.state.rawValue)) to \(created.deliveries.count) destination app(s)")
        }
    }

    static func date(_ text: String) throws -> Date {
        guard let date = APICoding.parseDate(text) else { throw ValidationError("'\(text)' is not an ISO 8601 time such as 2026-12-01T08:00:00+07:00") }
        return date
    }
}

extension Priority: ExpressibleByArgument {}

/// Media types from file extensions, and back.
enum MediaTypes {
    static let byExtension = [
        "pdf": "application/pdf", "xml": "application/xml", "json": "application/json", "txt": "text/plain; charset=utf-8",
        "zip": "application/zip", "doc": "application/msword", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "png": "image/png", "jpg": "image/jpeg", "csv": "text/csv",
    ]

    static func guess(_ file: String) -> String {
        byExtension[(file as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
    }

    static func fileExtension(_ mediaType: String) -> String {
        let base = mediaType.split(separator: ";").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? mediaType
        return byExtension.first { $0.value.hasPrefix(base) }?.key ?? "bin"
    }
}
