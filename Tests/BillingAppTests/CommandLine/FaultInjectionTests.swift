import BillingCore
import BillingSimulator
import BillingTesting
import Foundation
import Logging
import PostgresStore
import Testing

@testable import BillingApp

/// Every way the stand-in Billing API can misbehave (`simulate-api --fault MODE`), against each store,
/// through the binary: a day is stored from a sound answer, then fetched again from a faulty one. The
/// second run either completes with the day's exact sums, or exits 1 with one line that says what
/// went wrong and leaves the store exactly as it was.
@Suite struct FaultInjectionTests {
    /// A finished day by the machine's clock, which the binary reads (it refuses a later day).
    static let day = CommandLineTests.earlier
    static let credentials = SimulatorServer.Credentials(id: "fault-id", secret: "fault-SECRET-4e5f")
    static let bill = SimulatedBill(configuration: .init(seed: 21, spikeProbability: 0))

    /// The day's expectAmount per key, summed from the simulator's rows (`ExpectedSums`): nothing of
    /// the code under test.
    static func expectedSums() throws -> [String: Decimal] {
        try ExpectedSums.of(bill.rows(for: day, accrued: 1), day: day, amounts: ["expectAmount"]).compactMapValues { $0["expectAmount"] }
    }

    /// A run gets time to spare on a loaded machine, but ends soon when the API stalls.
    func config(_ folder: TemporaryDirectory, baseURL: String, store: String, timeoutSeconds: Int) throws -> String {
        try folder.writeConfig(
            baseURL: baseURL, id: Self.credentials.id, secret: Self.credentials.secret,
            api: ["pageSize: 25", "maxAttempts: 2", "timeoutSeconds: \(timeoutSeconds)"], store: store)
    }

    func daily(
        _ folder: TemporaryDirectory, store: String, fault: SimulatorFault?, extra: [String] = []
    ) async throws -> CommandRunner.Result {
        var configuration = SimulatorServer.Configuration(credentials: Self.credentials, fault: fault)
        configuration.dripInterval = .milliseconds(500)
        let server = SimulatorServer(configuration: configuration, bill: Self.bill)
        return try await server.run { baseURL in
            try await CommandRunner(directory: folder).run(
                ["daily", "--config", try config(folder, baseURL: baseURL, store: store, timeoutSeconds: [.stall, .drip].contains(fault) ? 2 : 60),
                 "--date", Self.day.compact] + extra)
        }
    }

    /// What the store holds, to compare before and after: the SQLite file's bytes, or every row of
    /// every PostgreSQL table; and the archive's files.
    func snapshot(_ folder: TemporaryDirectory, _ kind: StoreKind, _ location: PostgresLocation?) async throws -> [String] {
        var lines: [String]
        switch kind {
        case .sqlite: lines = [try Data(contentsOf: URL(fileURLWithPath: folder.file("data/billing.sqlite"))).base64EncodedString()]
        case .postgres: lines = try await TestServices.dump(try #require(location))
        }
        let archive = folder.url.appendingPathComponent("data/archive")
        for case let file as URL in FileManager.default.enumerator(at: archive, includingPropertiesForKeys: nil) ?? .init() {
            lines.append(file.path + " " + ((try? Data(contentsOf: file))?.base64EncodedString() ?? "(folder)"))
        }
        return lines
    }

    func storedSums(_ location: AppConfiguration.StoreLocation) async throws -> [String: Decimal] {
        let app = BillingApp(configuration: .embeddedDefault(), logger: Logger(label: "fault-test"), output: { _ in })
        let costs = try await app.withStore(at: location) { try await $0.dailyCosts(in: Self.day...Self.day) }
        return Dictionary(uniqueKeysWithValues: costs.map {
            ("\($0.key.domainId)/\($0.key.projectId)/\($0.key.serviceId)", Decimal(string: $0.expectAmount.description)!)
        })
    }

    @Test(arguments: StoreKind.allCases, SimulatorFault.allCases)
    func aFaultyAnswerEitherCompletesExactlyOrChangesNothing(store kind: StoreKind, fault: SimulatorFault) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let run: (PostgresLocation?) async throws -> Void = { database in
            let url = database.map { "postgres://\($0.user)@\($0.host):\($0.port)/\($0.database)?sslmode=disable" }
                ?? "sqlite:" + folder.file("data/billing.sqlite")
            let location: AppConfiguration.StoreLocation = database.map { .postgres($0) } ?? .sqlite(path: folder.file("data/billing.sqlite"))
            let first = try await daily(folder, store: url, fault: nil)
            try #require(first.status == 0, "\(first.all)")
            let expected = try Self.expectedSums()
            #expect(try await storedSums(location) == expected)
            let before = try await snapshot(folder, kind, database)

            let result = try await daily(folder, store: url, fault: fault)
            if fault.isRecoverable {
                #expect(result.status == 0, "\(result.all)")
                #expect(try await storedSums(location) == expected)
                return
            }
            #expect(result.status == 1, "\(result.all)")
            let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
            #expect(errors.count == 1, "\(result.stderr)")
            for bad in ["NSCocoaErrorDomain", "Swift.", "Fatal", "Backtrac", Self.credentials.secret] {
                #expect(!result.all.contains(bad), "\(bad) in \(result.all)")
            }
            #expect(try await snapshot(folder, kind, database) == before, "the store or the archive changed")
        }
        try await kind.run(run)
    }

    /// Refused by default, an answer without the day's rows replaces them when the user says the day
    /// truly has no costs now.
    @Test func allowEmptyLetsAnEmptyAnswerReplaceTheDay() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = "sqlite:" + folder.file("data/billing.sqlite")
        #expect(try await daily(folder, store: store, fault: nil).status == 0)
        #expect(try await daily(folder, store: store, fault: .empty).status == 1)
        #expect(try await storedSums(.sqlite(path: folder.file("data/billing.sqlite"))).count > 10)
        let result = try await daily(folder, store: store, fault: .empty, extra: ["--allow-empty"])
        #expect(result.status == 0, "\(result.all)")
        #expect(try await storedSums(.sqlite(path: folder.file("data/billing.sqlite"))).isEmpty)
    }
}
