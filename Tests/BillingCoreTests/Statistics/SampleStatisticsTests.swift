import Foundation
import Testing

@testable import BillingCore

@Suite struct SampleStatisticsTests {
    @Test func matchesHandComputedFigures() throws {
        // numpy: mean 5, std(ddof=1) 2.138..., percentile 50 -> 4.5, percentile 95 -> 8.3
        let stats = try #require(SampleStatistics([2, 4, 4, 4, 5, 5, 7, 9]))
        #expect(stats.count == 8)
        #expect(stats.mean == 5)
        #expect(abs(stats.std - 2.138089935299395) < 1e-12)
        #expect(stats.min == 2 && stats.max == 9)
        #expect(stats.p50 == 4.5)
        #expect(abs(stats.p95 - 8.3) < 1e-12)
    }

    @Test func aSingleSampleHasNoSpread() throws {
        let stats = try #require(SampleStatistics([42]))
        #expect(stats.std == 0 && stats.p50 == 42 && stats.p95 == 42)
    }

    @Test func anEmptySampleHasNoStatistics() {
        #expect(SampleStatistics([]) == nil)
    }
}
