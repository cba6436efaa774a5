/// The few facts the S3 blob store reads from S3's XML answers (`ListBucketResult`,
/// `InitiateMultipartUploadResult`, `ListMultipartUploadsResult`, `Error`): the text of named
/// elements, in document order.
///
/// S3 answers are flat, machine-written documents without DTDs, comments or CDATA, and the store
/// only needs leaf text; a full XML parser (and its entity-expansion risks) is not needed for that.
/// Text is unescaped for the five predefined entities and numeric character references.
enum S3XML {
    /// The texts of every `<name>…</name>` element (no attributes expected), in order; for a repeated
    /// group such as `<Contents>`, the raw inner XML of each (read further with `text`).
    static func texts(_ name: String, in xml: String) -> [String] {
        var out: [String] = []
        let open = "<\(name)>"
        let close = "</\(name)>"
        var rest = xml[...]
        while let start = rest.range(of: open) {
            guard let end = rest[start.upperBound...].range(of: close) else { break }
            let inner = rest[start.upperBound..<end.lowerBound]
            out.append(inner.contains("<") ? String(inner) : unescape(inner))
            rest = rest[end.upperBound...]
        }
        return out
    }

    /// The text of the first `<name>` element.
    static func text(_ name: String, in xml: String) -> String? { texts(name, in: xml).first }

    /// XML text with `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and `&#…;` references replaced.
    static func unescape(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semi) <= 10 else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let scalar: UInt32? =
                    entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst(), radix: 10) : nil
                if let scalar, let character = Unicode.Scalar(scalar) {
                    out.unicodeScalars.append(character)
                } else {
                    out += rest[amp...semi]
                }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
