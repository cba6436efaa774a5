import Foundation
import HTTPTypes
import Hummingbird
import LGSPCore
import Mustache
import NIOCore

/// Renders console pages from the Mustache templates shipped as resources
/// (`Resources/console/templates/*.mustache`), every page inside `layout`. Mustache escapes every
/// `{{value}}` for HTML; the only unescaped output (`{{{…}}}`) is SVG the console draws itself from numbers.
struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary
    let catalogue: ConsoleCatalogue
    let stylesheet: ByteBuffer

    init() throws {
        guard let folder = Bundle.module.url(forResource: "console", withExtension: nil) else {
            throw LGSPError(.internalError, "the console's resources are missing from the build")
        }
        let templateFolder = folder.appendingPathComponent("templates")
        var templates: [String: MustacheTemplate] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: templateFolder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: templateFolder.appendingPathComponent(name), encoding: .utf8)
            templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
        }
        library = MustacheLibrary(templates: templates)
        catalogue = try ConsoleCatalogue(folder: folder)
        stylesheet = ByteBuffer(data: try Data(contentsOf: folder.appendingPathComponent("console.css")))
    }

    /// A full HTML page: `template` with `data`, plus what the layout needs under `page` and the
    /// language's strings under `t`.
    func render(_ template: String, data: [String: Any], layout: [String: Any], language: ConsoleLanguage, status: HTTPResponse.Status) -> Response {
        var context = Self.annotated(data) as? [String: Any] ?? data
        context["t"] = catalogue.table(language)
        context["page"] = Self.annotated(layout)
        context["lang"] = language.rawValue
        let html = library.render(context, withTemplate: template) ?? "template \(template) is missing"
        return Self.html(html, status: status)
    }

    /// Adds `<key>_any` (true when the list is not empty) beside every list and `<key>_set` beside every string
    /// in dictionaries, at any depth:
    /// Mustache iterates a list in a section, and tables want their header once, only when there are rows.
    static func annotated(_ value: Any) -> Any {
        if let dictionary = value as? [String: Any] {
            var result: [String: Any] = [:]
            for (key, item) in dictionary {
                result[key] = annotated(item)
                if let list = item as? [Any] { result[key + "_any"] = !list.isEmpty }
                // An empty string is true in a Mustache section: `<key>_set` says whether there is text.
                if let text = item as? String { result[key + "_set"] = !text.isEmpty }
            }
            return result
        }
        if let list = value as? [Any] { return list.map(annotated) }
        return value
    }

    /// An HTML answer with the console's security headers: nothing cached, no framing, no scripts.
    static func html(_ html: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                .xFrameOptions: "DENY", .xContentTypeOptions: "nosniff", .consoleReferrerPolicy: "same-origin",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}

extension HTTPField.Name {
    /// (`X-Frame-Options` is declared beside the SSO routes; the others come with HTTPTypes.)
    static let consoleReferrerPolicy = HTTPField.Name("Referrer-Policy")!
}
