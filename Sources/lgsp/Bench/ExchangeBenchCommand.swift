struct ExchangeBenchCommand: AsyncParsableCommand { static let configuration = CommandConfiguration(commandName: "exchange"); func run() async throws {} }
import ArgumentParser
