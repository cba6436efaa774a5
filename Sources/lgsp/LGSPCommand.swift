import ArgumentParser

/// `lgsp`: the hub and its command-line tools.
@main
struct LGSPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lgsp",
        abstract: "Provincial integration and data-sharing platform (LGSP): the hub and its tools.",
        discussion: """
            Run the hub with `lgsp serve`. Admin commands (unit, app, grant) talk to a running hub through its admin API,
            with the credential from LGSP_ACCESS_KEY/LGSP_SECRET_KEY or <data>/admin.json. App commands (send, receive,
            packets) use the app's own credential from LGSP_ACCESS_KEY/LGSP_SECRET_KEY.
            """,
        version: "0.1.0",
        subcommands: [
            ServeCommand.self, UnitCommand.self, AppCommand.self, GrantCommand.self, ServiceCommand.self, AuthCommand.self, SendCommand.self, ReceiveCommand.self,
            PacketsCommand.self, TimeCommand.self, BenchCommand.self, MappingCommand.self,
            ReportCommand.self, ConnectionsCommand.self, PresenceCommand.self, AuditCommand.self, ReplayCommand.self, BackupCommand.self, RestoreCommand.self, MigrateCommand.self,
            UserCommand.self, SSOCommand.self,
            MaintenanceCommand.self, IncidentCommand.self,
            PeersCommand.self,
        ])
}
