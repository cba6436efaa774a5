/// The formats a mapping reads and writes.
public enum MappingFormat: String, Sendable, CaseIterable {
    case json
    case xml
}
