import CLibXML2
import LGSPCore

/// One-time set-up of libxml2 and helpers shared by the XML types.
enum XMLLibrary {
    /// Initialises libxml2 once (required before using it from several threads) and installs the
    /// external entity loader that serves only allow-listed local files.
    static let initialised: Void = {
        xmlInitParser()
        XMLEntityLoader.install()
    }()

    static func ensureInitialised() { _ = initialised }

    /// The text of a libxml2 error without its trailing newline, with the line when it has one.
    static func describe(_ error: UnsafePointer<xmlError>?) -> (message: String, line: Int?) {
        guard let error else { return ("unknown XML error", nil) }
        var message = error.pointee.message.map { String(cString: $0) } ?? "unknown XML error"
        while message.last?.isNewline == true || message.last == " " { message.removeLast() }
        let line = error.pointee.line > 0 ? Int(error.pointee.line) : nil
        return (message, line)
    }

    /// A Swift string from a libxml2 string that libxml2 allocated; frees it.
    static func take(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String? {
        guard let pointer else { return nil }
        defer { lgsp_xml_free(pointer) }
        return String(cString: pointer)
    }

    /// A Swift string from a libxml2 string it still owns.
    static func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

/// Collects the structured errors libxml2 reports through a callback (`userData` is the collector).
final class XMLErrorCollector {
    var messages: [String] = []
    var limit = 20

    /// The C callback; pass `Unmanaged.passUnretained(collector).toOpaque()` as user data.
    static let callback: xmlStructuredErrorFunc = { userData, error in
        guard let userData, let error else { return }
        let collector = Unmanaged<XMLErrorCollector>.fromOpaque(userData).takeUnretainedValue()
        guard collector.messages.count < collector.limit else { return }
        let (message, line) = XMLLibrary.describe(UnsafePointer(error))
        collector.messages.append(line.map { "line \($0): \(message)" } ?? message)
    }
}
