import CLibXML2
import Foundation
import LGSPCore

/// An XSD compiled once, shared by every thread that validates against it.
///
/// `import` and `include` may name only files under the folder given when compiling (the loader
/// of `XMLEntityLoader` refuses the network and other paths). A compiled schema is shared across
/// threads; each validation uses its own validation context (STACK.md pitfall 4).
public final class XMLSchema: @unchecked Sendable {
    let schema: xmlSchemaPtr
    /// The file it was compiled from.
    public let path: String

    /// Compiles the XSD at `path`, allowing imports from the files under `folder`.
    ///
    /// Failure: `mapping.missing_file` when the file does not exist, `mapping.invalid_schema` when it
    /// is not a valid XSD or imports what it may not (libxml2's reasons in the message).
    public init(contentsOf path: String, allowingImportsUnder folder: String) throws(LGSPError) {
        XMLLibrary.ensureInitialised()
        guard FileManager.default.fileExists(atPath: path) else {
            throw LGSPError(.missingMappingFile, "the XSD \(path) does not exist", details: ["file": path])
        }
        XMLEntityLoader.allow(folder: folder)
        lgsp_silence_thread_errors()
        let collector = XMLErrorCollector()
        guard let parser = xmlSchemaNewParserCtxt(path) else {
            throw LGSPError(.invalidSchema, "the XSD \(path) cannot be read")
        }
        defer { xmlSchemaFreeParserCtxt(parser) }
        xmlSchemaSetParserStructuredErrors(parser, XMLErrorCollector.callback, Unmanaged.passUnretained(collector).toOpaque())
        let compiled = withExtendedLifetime(collector) { xmlSchemaParse(parser) }
        guard let compiled else {
            throw LGSPError(.invalidSchema, "the XSD \(path) is not valid: \(collector.messages.joined(separator: "; "))",
                details: ["file": path])
        }
        self.schema = compiled
        self.path = path
    }

    deinit { xmlSchemaFree(schema) }

    /// Validates a document; `role` (`input`, `output`) names it in the message.
    ///
    /// Failure: `transform.schema_violation` listing up to 20 problems with their lines.
    public func validate(_ tree: XMLTree, role: String = "document") throws(LGSPError) {
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            throw LGSPError(.internalError, "libxml2 could not create a validation context")
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        let collector = XMLErrorCollector()
        xmlSchemaSetValidStructuredErrors(context, XMLErrorCollector.callback, Unmanaged.passUnretained(collector).toOpaque())
        let status = withExtendedLifetime(collector) { xmlSchemaValidateDoc(context, tree.document) }
        guard status == 0 else {
            let name = URL(fileURLWithPath: path).lastPathComponent
            let problems = collector.messages.isEmpty ? ["validation failed (libxml2 status \(status))"] : collector.messages
            throw LGSPError(.schemaViolation, "the \(role) does not satisfy \(name): \(problems.joined(separator: "; "))",
                details: ["schema": name])
        }
    }
}
