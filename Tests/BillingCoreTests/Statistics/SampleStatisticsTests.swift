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

    @Test(arguments: [
        // scipy.stats.t.ppf(scipy.stats.norm.cdf(z), degrees)
        (3.0, 4.0, 6.620), (3.0, 12.0, 3.764), (3.0, 20.0, 3.422), (3.0, 50.0, 3.157), (2.5, 8.0, 3.210), (4.0, 12.0, 5.988),
    ])
    func theStudentQuantileHasTheNormalQuantilesTail(z: Double, degrees: Double, expected: Double) {
        let quantile = SampleStatistics.studentQuantile(normal: z, degrees: degrees)
        #expect(abs(quantile / expected - 1) < 0.01, "\(quantile)")
    }
}
