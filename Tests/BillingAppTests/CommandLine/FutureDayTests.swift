import BillingCore
import BillingSimulator
import BillingTesting
import Foundation
import Testing

/// Every job refuses a day after today in the configured time zone, as backfill does, before it
/// touches the API or the store.
@Suite struct FutureDayTests {
    @Test(arguments: ["daily", "hourly", "reprocess"])
    func aDayThatHasNotBegunIsRefusedBeforeAnythingIsTouched(job: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let seoul = TimeZone(identifier: "Asia/Seoul")!
        let tomorrow = CalendarDay.containing(Date(), in: seoul).day.adding(days: 1)
        let server = SimulatorServer(configuration: .init(credentials: CommandLineTests.credentials), bill: SimulatedBill())
        let result = try await server.run { baseURL in
            let path = try CommandLineTests().config(folder, baseURL: baseURL, secret: CommandLineTests.credentials.secret)
            return try await CommandRunner(directory: folder).run([job, "--config", path, "--date", tomorrow.compact])
        }
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: \(tomorrow) has not begun yet (today is "))
        #expect(result.stderr.contains("in Asia/Seoul"))
        #expect(server.requests.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.file("data/billing.sqlite")))
    }
}
