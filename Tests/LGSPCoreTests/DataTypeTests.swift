import Foundation
import LGSPCore
import Testing

@Suite("DataType")
struct DataTypeTests {
    @Test(
        "valid data type names are kept as written",
        arguments: ["edoc", "citizen-record", "a", "0", "v1.2_beta-3", String(repeating: "x", count: 64), "9lives"])
    func init_acceptsValidName(text: String) throws {
        #expect(try DataType(text).rawValue == text)
    }

    @Test(
        "invalid names are refused with directory.invalid_data_type on field dataType",
        arguments: [
            "", "Edoc", "EDOC", "-edoc", ".edoc", "_edoc", "e doc", "edoc!", "hồ-sơ", "edoc/x", "*",
            String(repeating: "x", count: 65), " edoc",
        ])
    func init_refusesInvalidName(text: String) {
        let error = #expect(throws: LGSPError.self) { try DataType(text) }
        #expect(error?.code == .invalidDataType)
        #expect(error?.field == "dataType")
        #expect(error?.message.contains("'\(text)'") == true)
    }

    @Test("data types order by name and decode only valid names")
    func ordering_andCoding() throws {
        let names = try ["edoc", "citizen-record", "aa"].map { try DataType($0) }.sorted().map(\.rawValue)
        #expect(names == ["aa", "citizen-record", "edoc"])
        #expect(try JSONDecoder().decode(DataType.self, from: Data(#""edoc""#.utf8)) == DataType("edoc"))
        #expect(throws: LGSPError.self) { try JSONDecoder().decode(DataType.self, from: Data(#""Edoc""#.utf8)) }
    }
}

@Suite("DataTypeSet")
struct DataTypeSetTests {
    @Test("'*' means every data type", arguments: ["*", " * ", "edoc,*", "*,edoc"])
    func parsing_starMeansAll(text: String) throws {
        let set = try DataTypeSet(parsing: text)
        #expect(set == .all)
        #expect(set.contains(try DataType("anything")))
        #expect(set.items == ["*"])
    }

    @Test(
        "a comma-separated list gives exactly those types, sorted and without blanks",
        arguments: [
            ("edoc", ["edoc"]),
            ("edoc,citizen-record", ["citizen-record", "edoc"]),
            (" edoc , citizen-record ,, ", ["citizen-record", "edoc"]),
            ("edoc,edoc", ["edoc"]),
            ("", []),
        ])
    func parsing_listGivesThoseTypes(text: String, items: [String]) throws {
        let set = try DataTypeSet(parsing: text)
        #expect(set.items == items)
        for item in items { #expect(set.contains(try DataType(item))) }
        #expect(!set.contains(try DataType("other")))
    }

    @Test(
        "an invalid name in the list is refused with directory.invalid_data_type",
        arguments: ["edoc,Bad", "edoc, x y", "-x"])
    func parsing_refusesInvalidName(text: String) {
        let error = #expect(throws: LGSPError.self) { try DataTypeSet(parsing: text) }
        #expect(error?.code == .invalidDataType)
    }

    @Test("Codable uses the list form")
    func codable_usesListForm() throws {
        let set = try DataTypeSet(parsing: "edoc,citizen-record")
        let data = try JSONEncoder().encode(set)
        #expect(String(decoding: data, as: UTF8.self) == #"["citizen-record","edoc"]"#)
        #expect(try JSONDecoder().decode(DataTypeSet.self, from: data) == set)
        #expect(try JSONDecoder().decode(DataTypeSet.self, from: Data(#"["*"]"#.utf8)) == .all)
    }
}
