import BillingTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import PostgresStore

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

@Suite(.needs(.postgres)) struct PostgresSessionTests {
    /// The store's own connection does without JIT compilation, whatever the database's default is,
    /// and leaves that default alone for other sessions.
    @Test func theStoresSessionRunsWithoutJITAndLeavesTheServersSettingAlone() async throws {
        try await TestServices.withFreshDatabase { location in
            try await TestServices.execute(location, "ALTER DATABASE \"\(location.database)\" SET jit = on")
            let logger = Logger(label: "test")
            try await PostgresStore.withStore(location, logger: logger) { store in
                var setting: String?
                for try await value in try await store.connection.query("SHOW jit", logger: logger).decode(String.self) { setting = value }
                #expect(setting == "off")
            }
            #expect(try await TestServices.firstText(of: "SHOW jit", in: location) == "on")
        }
    }
}

/// History comes as arrays in PostgreSQL's binary form, read without PostgresNIO's array decoding: the
/// server's own bytes for arrays of each kind, and for arrays the store must refuse.
@Suite(.needs(.postgres)) struct BinaryArrayTests {
    static func serverBytes(_ sql: String) async throws -> [ByteBuffer] {
        try await TestServices.withFreshDatabase { location in
            try await PostgresStore.withStore(location, logger: Logger(label: "test")) { store in
                var columns: [ByteBuffer] = []
                for try await row in try await store.connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test")) {
                    for cell in row { columns.append(try cell.decode(ByteBuffer.self)) }
                }
                return columns
            }
        }
    }

    @Test func readsEachKindOfArrayAsTheServerSendsIt() async throws {
        let columns = try await Self.serverBytes(
            """
            SELECT ARRAY[9223372036854775807, -1, 0]::int8[], ARRAY[0.1, -2.5e-300, 'Infinity']::float8[], ARRAY[true, false]::bool[],
                '{}'::int8[], ARRAY[5]::int8[]
            """)
        var keys = try BinaryArray(columns[0], of: .int8, column: "k")
        #expect(keys.count == 3)
        #expect(try [keys.nextInt64(), keys.nextInt64(), keys.nextInt64()] == [.max, -1, 0])
        #expect(throws: PostgresStoreError.self) { try keys.nextInt64() }
        var amounts = try BinaryArray(columns[1], of: .float8, column: "a")
        #expect(try [amounts.nextDouble(), amounts.nextDouble(), amounts.nextDouble()] == [0.1, -2.5e-300, .infinity])
        var flags = try BinaryArray(columns[2], of: .bool, column: "f")
        #expect(try [flags.nextBool(), flags.nextBool()] == [true, false])
        #expect(try BinaryArray(columns[3], of: .int8, column: "e").count == 0)
        var one = try BinaryArray(columns[4], of: .int8, column: "o")
        #expect(try one.nextInt64() == 5)
    }

    @Test func refusesANullAnotherTypeAnotherShapeOrCutBytes() async throws {
        let columns = try await Self.serverBytes(
            "SELECT ARRAY[1, NULL]::int8[], ARRAY[1.5]::float8[], ARRAY[[1, 2], [3, 4]]::int8[], ARRAY[1, 2]::int8[]")
        let null = #expect(throws: PostgresStoreError.self) { try BinaryArray(columns[0], of: .int8, column: "billing_history.key_id") }
        #expect(null?.description.contains("billing_history.key_id") == true)
        #expect(throws: PostgresStoreError.self) { try BinaryArray(columns[1], of: .int8, column: "k") }
        #expect(throws: PostgresStoreError.self) { try BinaryArray(columns[2], of: .int8, column: "k") }
        let cut = columns[3].getSlice(at: columns[3].readerIndex, length: columns[3].readableBytes - 1)!
        #expect(throws: PostgresStoreError.self) { try BinaryArray(cut, of: .int8, column: "k") }
        #expect(throws: PostgresStoreError.self) { try BinaryArray(columns[3].getSlice(at: 0, length: 6)!, of: .int8, column: "k") }
    }
}
