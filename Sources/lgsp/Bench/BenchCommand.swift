import ArgumentParser

/// `lgsp bench …`: benchmarks that print numbers (never asserted by tests).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure the hub (run against a release build).", subcommands: [ExchangeBenchCommand.self, MappingBenchCommand.self, AuthBenchCommand.self, ProxyBenchCommand.self, NotifyBenchCommand.self, ClusterBenchCommand.self])
}
