import ArgumentParser

/// `lgsp auth rotate-signing-key`: the hub's token-signing keys (Article 10 session keys).
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth", abstract: "The hub's session-token signing keys.", subcommands: [RotateSigningKey.self])

    struct RotateSigningKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-signing-key",
            abstract: "Sign new session tokens with a fresh key; tokens signed before stay valid until they expire (JWKS keeps the old key).")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            try await reportingFailures {
                let kid = try await client.adminClient().rotateSigningKey()
                Output.line("new signing key \(kid); GET /v1/auth/jwks lists it beside the previous ones")
            }
        }
    }
}
