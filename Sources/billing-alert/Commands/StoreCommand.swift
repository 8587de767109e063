import ArgumentParser
import BillingApp

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Manage the store: bring its schema up to date, or copy it into another.",
        subcommands: [Migrate.self, Copy.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply the store's pending migrations (every command does this too).")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await options.withApp { try await $0.migrateStore() }
        }
    }

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every row from one store into an empty one, then check that counts and sums match.",
            discussion: "For example: store copy --from sqlite:data/billing.sqlite --to postgres://billing@db:5432/billing (the password in the URL, or in BILLING_ALERT_STORE_PASSWORD).")

        @OptionGroup var options: GlobalOptions
        @Option(help: "The source: sqlite:PATH or postgres://USER@HOST:PORT/DB.") var from: String
        @Option(help: "The destination, which must be empty: sqlite:PATH or postgres://USER@HOST:PORT/DB.") var to: String

        func run() async throws {
            try await options.withApp { app in
                try await app.copyStore(from: app.storeLocation(from, option: "--from"), to: app.storeLocation(to, option: "--to"))
            }
        }
    }
}
