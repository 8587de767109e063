import BillingCore
import BillingPipeline
import BillingSimulator
import BillingTesting
import BillingWire
import Foundation
import Logging
import Testing

@testable import KakaoBilling

/// The client against the simulator misbehaving on purpose (`SimulatorFault`), on loopback.
@Suite struct KakaoBillingClientFaultTests {
    let base = KakaoBillingClientTests()

    func server(_ fault: SimulatorFault, rows: Int = 25) -> SimulatorServer {
        var configuration = SimulatorServer.Configuration(credentials: KakaoBillingClientTests.credentials, fault: fault)
        configuration.dripInterval = .milliseconds(200)
        return SimulatorServer(configuration: configuration, rows: KakaoBillingClientTests.rows(rows))
    }

    @Test func aRedirectToAnotherOriginIsRefusedAndTheCredentialsStayHome() async throws {
        let server = server(.redirect)
        let error = await #expect(throws: KakaoBillingError.self) {
            try await server.run { try await base.fetch(base.client($0)) }
        }
        let text = error?.description ?? ""
        #expect(text.contains("redirected the request to another address (http://localhost:"))
        #expect(text.contains("billingApi.baseUrl"))
        #expect(!text.contains(KakaoBillingClientTests.credentials.secret))
        #expect(error?.isRetryable == false)
        // Only the first request arrived; nothing reached the other origin.
        #expect(server.requests.count == 1)
        #expect(server.requests.allSatisfy { $0.host?.hasPrefix("127.0.0.1:") == true })
    }

    @Test func aRedirectWithinTheOriginIsFollowed() async throws {
        let server = server(.sameOriginRedirect)
        let (summary, aggregator, pages) = try await server.run { try await base.fetch(base.client($0)) }
        #expect(pages == [0, 1, 2])
        #expect(summary.rowCount == 25)
        #expect(aggregator.dailyCosts().reduce(ExactDecimal.zero) { $0 + $1.expectAmount } == ExactDecimal(25))
        #expect(server.requests.count == 6)
        #expect(server.requests.allSatisfy { $0.sentSecret && $0.host?.hasPrefix("127.0.0.1:") == true })
    }

    /// Headers and half a body, then silence; or a byte every 200 ms: either way the try ends at the
    /// timeout, body included, and the job gives up after its tries.
    @Test(arguments: [SimulatorFault.stall, .drip])
    func aBodyThatDoesNotArriveInTimeEndsTheTryAtTheTimeout(fault: SimulatorFault) async throws {
        let server = server(fault)
        let sleeper = RecordingSleeper()
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: KakaoBillingError.self) {
            try await server.run { try await base.fetch(base.client($0, attempts: 2, timeout: .seconds(1), sleeper: sleeper)) }
        }
        let elapsed = start.duration(to: clock.now)
        #expect(error?.description.contains("did not send a complete answer within 1 s (2 tries)") == true)
        #expect(error?.isRetryable == true)
        #expect(server.requests.count == 2)
        #expect(sleeper.recorded.count == 1)
        // Two tries of one second each; the old client waited 90 s for each stalled try.
        #expect(elapsed < .seconds(60))
    }

    /// The same page twice, or pages that hold more than asked and overlap the next: either would count
    /// rows twice (35 rows instead of 25, exit 0, before the check).
    @Test(arguments: [
        (SimulatorFault.duplicatePage, "page 1 for 20261120 repeats page 0 row for row"),
        (.overlap, "page 0 for 20261120 held 15 rows, more than the 10 asked for"),
    ])
    func pagesThatWouldCountRowsTwiceAreRefused(fault: SimulatorFault, message: String) async throws {
        let server = server(fault)
        var pagesHandedOn: [Int] = []
        let error = await #expect(throws: KakaoBillingError.self) {
            try await server.run { url in
                var aggregator = DailyAggregator(date: KakaoBillingClientTests.day)
                _ = try await base.client(url).fetchPages(
                    for: KakaoBillingClientTests.day, read: { try aggregator.add(pageBody: $0.body) }
                ) {
                    pagesHandedOn.append($0.number)
                }
            }
        }
        #expect(error?.description.contains(message) == true, "\(error.map { "\($0)" } ?? "no error")")
        #expect(error?.description.contains("nothing was stored") == true)
        #expect(!pagesHandedOn.contains(fault == .duplicatePage ? 1 : 0))
    }

    @Test func aPageOfOtherRowsThatHappenToRepeatTheWrapperIsNotARepeat() async throws {
        // Pages of distinct rows are no repeat, whatever their wrappers share.
        let server = SimulatorServer(
            configuration: .init(credentials: KakaoBillingClientTests.credentials, pagingMetadata: true),
            rows: KakaoBillingClientTests.rows(30))
        let (summary, _, pages) = try await server.run { try await base.fetch(base.client($0)) }
        #expect(summary.rowCount == 30 && pages == [0, 1, 2])
    }
}
