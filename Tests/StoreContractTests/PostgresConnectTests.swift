import BillingTesting
import Foundation
import Logging
import PostgresStore
import Testing

@Suite struct PostgresConnectTests {
    /// A server that takes the connection and never answers the sign-in is given up on at
    /// connect_timeout, with the reason, and without the password.
    @Test func aServerThatSaysNothingIsGivenUpOnAtTheConnectTimeout() async throws {
        let listener = try SilentListener()
        let location = try #require(
            PostgresLocation(url: "postgres://billing:pgSECRET@127.0.0.1:\(listener.port)/billing?sslmode=disable&connect_timeout=1"))
        #expect(location.connectTimeout == .seconds(1))
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: PostgresStoreError.self) {
            try await PostgresStore.withStore(location, logger: Logger(label: "test")) { _ in }
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("cannot connect to PostgreSQL at postgres://billing@127.0.0.1:\(listener.port)/billing"))
        // Whichever bound notices first: the driver's for the TCP connect, or the deadline for all of it.
        #expect(text.contains("within 1 s") || text.contains("Connect timeout (1 s)"))
        #expect(!text.contains("pgSECRET"))
        // Before the deadline covered sign-in, this waited for as long as the server kept quiet; the
        // bound is loose because a loaded test machine runs late.
        #expect(start.duration(to: clock.now) < .seconds(60))
    }

    @Test func aConnectTimeoutOutOfRangeIsNotALocation() {
        #expect(PostgresLocation(url: "postgres://u@h/db?connect_timeout=0") == nil)
        #expect(PostgresLocation(url: "postgres://u@h/db?connect_timeout=soon") == nil)
        #expect(PostgresLocation(url: "postgres://u@h/db")?.connectTimeout == .seconds(10))
    }
}
