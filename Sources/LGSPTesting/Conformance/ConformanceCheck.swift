import Testing

/// One named check of a conformance suite, run with `@Test(arguments:)` against each backend.
public struct ConformanceCheck<Fixture: Sendable>: Sendable, CustomTestStringConvertible {
    public let name: String
    public let run: @Sendable (Fixture) async throws -> Void

    public init(_ name: String, _ run: @escaping @Sendable (Fixture) async throws -> Void) {
        self.name = name
        self.run = run
    }

    public var testDescription: String { name }
}
