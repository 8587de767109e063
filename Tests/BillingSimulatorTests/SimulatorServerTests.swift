import AsyncHTTPClient
import BillingCore
import Foundation
import Testing

@testable import BillingSimulator

@Suite struct SimulatorServerTests {
    func get(_ url: String, headers: [(String, String)] = []) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        // Generous: these check answers, not speed, and share two cores with the whole suite.
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    @Test func servesTheContractsPath() async throws {
        let server = SimulatorServer(bill: SimulatedBill())
        let (status, body) = try await server.run { base in
            try await get(base + "/open/billing/public/v2/cost/resources?from=20261120&to=20261120&page=0&size=3")
        }
        #expect(status == 200)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let content = try #require((json["result"] as? [String: Any])?["content"] as? [[String: Any]])
        #expect(content.count == 3)
        #expect(content[0]["meteringDate"] as? String == "20261120")
    }

    @Test func refusesBadQueriesWith400() async throws {
        let server = SimulatorServer(bill: SimulatedBill())
        let status = try await server.run { base in
            try await get(base + "/open/billing/public/v2/cost/resources?from=2026&to=20261120&page=0&size=3").0
        }
        #expect(status == 400)
    }

    @Test func laterDaysAreEmptyAndTodayIsPartial() async throws {
        let now = Date(timeIntervalSince1970: TimeInterval(CalendarDay("20261120")!.daysSinceEpoch * 86_400 + 3 * 3600))  // 12:00 KST
        let server = SimulatorServer(configuration: .init(now: { now }), bill: SimulatedBill())
        let (tomorrow, today) = try await server.run { base in
            (
                try await get(base + "/open/billing/public/v2/cost/resources?from=20261121&to=20261121&page=0&size=10000").1,
                try await get(base + "/open/billing/public/v2/cost/resources?from=20261120&to=20261120&page=0&size=10000").1
            )
        }
        #expect(tomorrow.contains(#""content":[]"#))
        #expect(!today.contains(#""content":[]"#))
    }

    @Test func requiresTheConfiguredCredentials() async throws {
        let server = SimulatorServer(configuration: .init(credentials: .init(id: "a", secret: "b")), bill: SimulatedBill())
        let (wrong, right) = try await server.run { base in
            let url = base + "/open/billing/public/v2/cost/resources?from=20261120&to=20261120&page=0&size=1"
            return (
                try await get(url, headers: [("Credential-ID", "a"), ("Credential-Secret", "x")]).0,
                try await get(url, headers: [("Credential-ID", "a"), ("Credential-Secret", "b")]).0
            )
        }
        #expect(wrong == 401 && right == 200)
    }
}
