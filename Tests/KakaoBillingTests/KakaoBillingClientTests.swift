import BillingCore
import BillingPipeline
import BillingSimulator
import BillingTesting
import BillingWire
import Foundation
import Logging
import Testing

@testable import KakaoBilling

/// The client against a real HTTP server on loopback that speaks the contract.
@Suite struct KakaoBillingClientTests {
    static let day = CalendarDay("20261120")!
    static let credentials = SimulatorServer.Credentials(id: "test-id", secret: "s3cr3t-value-never-printed")

    /// `count` simple rows for the day, each with expectAmount 1.
    static func rows(_ count: Int) -> @Sendable (CalendarDay, Double) -> [String] {
        { day, _ in
            (0..<count).map { index in
                #"{"meteringDate":"\#(day.compact)","domainId":"d","projectId":"p","serviceId":"\#(index % 3)","expectAmount":1}"#
            }
        }
    }

    func client(
        _ baseURL: String, pageSize: Int = 10, maxPages: Int = 100, attempts: Int = 5,
        secret: String = credentials.secret, timeout: Duration = .seconds(10),
        sleeper: RecordingSleeper = RecordingSleeper()
    ) -> KakaoBillingClient {
        KakaoBillingClient(
            configuration: KakaoBillingConfiguration(
                baseURL: baseURL, credentialId: Self.credentials.id, credentialSecret: secret, pageSize: pageSize,
                maxPages: maxPages, timeout: timeout, retry: RetryPolicy(maxAttempts: attempts)),
            logger: Logger(label: "test"), sleep: sleeper.sleep, jitter: { 0.5 })
    }

    func fetch(_ client: KakaoBillingClient) async throws -> (FetchSummary, DailyAggregator, [Int]) {
        var aggregator = DailyAggregator(date: Self.day)
        var pages: [Int] = []
        let summary = try await client.fetchPages(for: Self.day, read: { try aggregator.add(pageBody: $0.body) }) { page in
            pages.append(page.number)
        }
        return (summary, aggregator, pages)
    }

    @Test func pagesUntilAShortPage() async throws {
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), rows: Self.rows(25))
        let (summary, aggregator, pages) = try await server.run { try await fetch(client($0)) }
        #expect(pages == [0, 1, 2])
        #expect(summary.rowCount == 25 && summary.pageCount == 3)
        #expect(aggregator.dailyCosts().reduce(ExactDecimal.zero) { $0 + $1.expectAmount } == ExactDecimal(25))
        #expect(server.requests.map(\.page) == [0, 1, 2])
        #expect(server.requests.allSatisfy { $0.from == "20261120" && $0.to == "20261120" && $0.size == 10 })
    }

    @Test func aDayThatIsAnExactMultipleOfThePageSizeEndsOnAnEmptyPage() async throws {
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), rows: Self.rows(20))
        let (summary, _, pages) = try await server.run { try await fetch(client($0)) }
        #expect(pages == [0, 1, 2])
        #expect(summary.rowCount == 20)
    }

    @Test func pagingMetadataSavesTheEmptyPageWhenPresent() async throws {
        let server = SimulatorServer(
            configuration: .init(credentials: Self.credentials, pagingMetadata: true), rows: Self.rows(20))
        let (summary, _, pages) = try await server.run { try await fetch(client($0)) }
        #expect(pages == [0, 1])
        #expect(summary.rowCount == 20)
    }

    @Test func aPageCapStopsEndlessPaging() async throws {
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), rows: Self.rows(50))
        let error = await #expect(throws: KakaoBillingError.self) {
            try await server.run { try await fetch(client($0, maxPages: 2)) }
        }
        #expect(error?.description.contains("billingApi.maxPages") == true)
    }

    @Test func waitsAsRetryAfterSaysOn429ThenSucceeds() async throws {
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), rows: Self.rows(5))
        server.fail([.status(429, retryAfter: "7")])
        let sleeper = RecordingSleeper()
        let (summary, _, _) = try await server.run { try await fetch(client($0, sleeper: sleeper)) }
        #expect(summary.rowCount == 5)
        #expect(sleeper.recorded == [.seconds(7)])
        #expect(server.requests.count == 2)
    }

    @Test func backsOffExponentiallyWithJitterOn5xxThenSucceeds() async throws {
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), rows: Self.rows(5))
        server.fail([.status(500), .status(502), .status(503)])
        let sleeper = RecordingSleeper()
        let (summary, _, _) = try await server.run { try await fetch(client($0, sleeper: sleeper)) }
        #expect(summary.rowCount == 5)
        // 1 s, 2 s, 4 s steps, each halved by the fixed jitter of 0.5.
        #expect(sleeper.recorded == [.milliseconds(500), .seconds(1), .seconds(2)])
    }

    @Test func givesUpAfterTheLastTryWithARetryableError() async throws {
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), rows: Self.rows(5))
        server.fail(Array(repeating: .status(500), count: 3))
        let error = await #expect(throws: KakaoBillingError.self) {
            try await server.run { try await fetch(client($0, attempts: 3)) }
        }
        #expect(error?.isRetryable == true)
        #expect(error?.description.contains("3 tries") == true)
    }

    @Test func acceptsNumericStringsNullsAndMissingFields() async throws {
        let body: @Sendable (CalendarDay, Double) -> [String] = { _, _ in
            [
                #"{"meteringDate":"20261120","domainId":"d","projectId":"p","serviceId":"1","serviceName":"VM","expectAmount":"100.10","generalAmount":"120","region":null,"pricingType":"ON_DEMAND"}"#,
                #"{"meteringDate":"20261120","domainId":"d","projectId":"p","serviceId":1,"expectAmount":0.2,"generalAmount":null,"usageTime":"3","unknownField":{"nested":[1,2]}}"#,
                #"{"meteringDate":null,"domainId":"d","projectId":"p","serviceId":"1","expectAmount":0,"usageSize":null}"#,
                #"{"domainId":"d","projectId":"p","serviceId":"1","expectAmount":" 5 "}"#,
            ]
        }
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), rows: body)
        let (_, aggregator, _) = try await server.run { try await fetch(client($0)) }
        let costs = aggregator.dailyCosts()
        #expect(costs.count == 1)
        #expect(costs[0].expectAmount == ExactDecimal("105.3"))
        #expect(costs[0].generalAmount == ExactDecimal(120))
        #expect(costs[0].usageTime == ExactDecimal(3))
        #expect(costs[0].serviceName == "VM")
        #expect(costs[0].pricingTypes == ["ON_DEMAND"] && costs[0].regions.isEmpty)
    }

    @Test(arguments: [401, 403])
    func refusedCredentialsNameTheConfigKeysAndNeverTheSecret(status: Int) async throws {
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), rows: Self.rows(5))
        server.fail([.status(status)])
        let error = await #expect(throws: KakaoBillingError.self) {
            try await server.run { try await fetch(client($0)) }
        }
        let text = error?.description ?? ""
        #expect(error?.isAuthenticationFailure == true)
        #expect(text.contains("billingApi.credentialId") && text.contains("billingApi.credentialSecret"))
        #expect(!text.contains(Self.credentials.secret))
        #expect(server.requests.count == 1, "refused credentials must not be retried")
    }

    @Test func aWrongSecretIsRefusedByTheServer() async throws {
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), rows: Self.rows(5))
        let error = await #expect(throws: KakaoBillingError.self) {
            try await server.run { try await fetch(client($0, secret: "wrong-secret-xyz")) }
        }
        #expect(error?.isAuthenticationFailure == true)
        #expect(!(error?.description.contains("wrong-secret-xyz") ?? true))
    }

    @Test func aMalformedPageFailsBeforeItReachesTheCaller() async throws {
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), rows: Self.rows(25))
        server.fail([.malformedBody], onPage: 1)
        var pagesSeen: [Int] = []
        let error = await #expect(throws: KakaoBillingError.self) {
            try await server.run { url in
                var aggregator = DailyAggregator(date: Self.day)
                _ = try await client(url).fetchPages(for: Self.day, read: { try aggregator.add(pageBody: $0.body) }) {
                    pagesSeen.append($0.number)
                }
            }
        }
        #expect(pagesSeen == [0])
        #expect(error?.description.contains("page 1") == true)
        #expect(error?.isRetryable == false)
    }

    /// A refused connection fails the try at once and the client's own policy retries it: with a 30 s
    /// deadline a try does not wait it out (a pool retrying the connection would, 30 s a try).
    @Test func anUnreachableServerIsRetriedThenReported() async throws {
        let sleeper = RecordingSleeper()
        let started = ContinuousClock.now
        let error = await #expect(throws: KakaoBillingError.self) {
            try await fetch(client("http://127.0.0.1:1", attempts: 2, timeout: .seconds(30), sleeper: sleeper))
        }
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(error?.isRetryable == true)
        #expect(error?.description.contains("billingApi.baseUrl") == true)
        // Why, in plain words: not the network library's "(error set) ... (errno: 111)".
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("Connection refused") && !text.contains("within"), "\(text)")
        #expect(!["errno", "error set", "Error("].contains { text.contains($0) }, "\(text)")
        #expect(sleeper.recorded.count == 1)
    }

    @Test func missingCredentialsSayWhereToSetThem() async throws {
        let client = KakaoBillingClient(
            configuration: KakaoBillingConfiguration(credentialId: "", credentialSecret: ""), logger: Logger(label: "test"))
        let error = await #expect(throws: KakaoBillingError.self) { try await fetch(client) }
        #expect(error?.description.contains("BILLING_API_CREDENTIAL_ID") == true)
    }
}
