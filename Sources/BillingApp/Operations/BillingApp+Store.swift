import BillingPipeline
import Foundation

extension BillingApp {
    /// Opens the configured store, which brings its schema up to date.
    public func migrateStore() async throws {
        try await withStore { _ in }
        output("store: schema up to date at \(configuration.store)")
    }

    /// Copies everything from one store into an empty one and checks the counts and sums.
    public func copyStore(from source: AppConfiguration.StoreLocation, to destination: AppConfiguration.StoreLocation) async throws {
        let summary = try await withStore(at: source) { from in
            try await withStore(at: destination) { to in
                try await StoreCopyJob().copy(from: from, to: to, now: Date()) { output("store copy: " + $0) }
            }
        }
        output("copied \(source) to \(destination): \(summary); counts and sums match")
    }

    /// A store URL as `store.url` takes it (`sqlite:PATH` or `postgres://...`).
    public func storeLocation(_ url: String, option: String) throws -> AppConfiguration.StoreLocation {
        let loader = ConfigLoader()
        return try ConfigLoader.store(url, key: option, origin: "the command line", password: loader.storePassword)
    }
}
