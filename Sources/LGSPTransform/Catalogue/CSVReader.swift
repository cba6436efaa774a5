import LGSPCore

/// Reads RFC 4180 CSV: comma-separated, `"` quoting with `""` for a quote, CRLF or LF line ends.
enum CSVReader {
    /// The records of `text`; a record is an array of fields. Blank lines are skipped.
    ///
    /// Failure: `mapping.invalid` naming `file` and the line of an unterminated quote.
    static func records(_ text: String, file: String) throws(LGSPError) -> [[String]] {
        var text = text
        var result: Result<[[String]], LGSPError> = .success([])
        text.withUTF8 { bytes in
            do throws(LGSPError) { result = .success(try records(bytes, file: file)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    private static func records(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(LGSPError) -> [[String]] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        var records: [[String]] = []
        var record: [String] = []
        var line = 1
        var index = 0
        let count = bytes.count
        func endRecord() {
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
            record = []
        }
        while index < count {
            // One field.
            if bytes[index] == quote {
                let quoteLine = line
                var field: [UInt8] = []
                index += 1
                var closed = false
                while index < count {
                    let byte = bytes[index]
                    if byte == quote {
                        if index + 1 < count, bytes[index + 1] == quote {
                            field.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    if byte == newline { line += 1 }
                    field.append(byte)
                    index += 1
                }
                guard closed else {
                    throw LGSPError(.invalidMapping, "\(file):\(quoteLine): a quoted CSV field is never closed",
                        details: ["mapping": file, "line": "\(quoteLine)"])
                }
                // Anything up to the next separator after the closing quote is kept (lenient).
                let start = index
                while index < count, bytes[index] != comma, bytes[index] != newline, bytes[index] != carriage { index += 1 }
                field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                record.append(String(decoding: field, as: UTF8.self))
            } else {
                let start = index
                while index < count, bytes[index] != comma, bytes[index] != newline, bytes[index] != carriage { index += 1 }
                record.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
            }
            // The separator after it.
            guard index < count else { break }
            switch bytes[index] {
            case comma:
                index += 1
                if index == count { record.append("") }
            case carriage:
                index += 1
                if index < count, bytes[index] == newline { index += 1 }
                line += 1
                endRecord()
            default:
                index += 1
                line += 1
                endRecord()
            }
        }
        if !record.isEmpty { endRecord() }
        return records
    }
}
