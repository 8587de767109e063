import Foundation
import Testing

@testable import BillingCore

@Suite struct RarityTests {
    @Test func countsTheEarlierDaysThatStoodAsHigh() throws {
        // 19 earlier days, one of them at least as high: (19 + 1) / (1 + 1) = 10.
        let history = Array(repeating: 0.01, count: 18) + [0.8]
        let rarity = try #require(Rarity(of: 0.7, among: history))
        #expect(rarity.days == 10 && rarity.historyDays == 19 && !rarity.isHighest)
        #expect(rarity.text == "about once in 10 days")
        let highest = try #require(Rarity(of: 0.9, among: history))
        #expect(highest.days == 20 && highest.isHighest)
        #expect(highest.text == "the highest in 19 days")
        #expect(Rarity(of: 0.9, among: Array(repeating: 0, count: 6)) == nil, "under a week of history says nothing")
    }

    /// 100,000 a day with a wobble of a few percent, and every `every`-th day at `high` times 100,000.
    func series(days: Int, every: Int, high: Double) -> DailySeries {
        let wobble: [Double] = [0.02, -0.01, 0.03, -0.02, 0.0, 0.01, -0.03]
        let multiples: [Double] = (0..<days).map { day in day % every == every - 1 ? high : 1 + wobble[day % 7] }
        return DailySeries(start: CalendarDay("20250602")!, values: multiples.map { 100_000 * $0 })
    }

    @Test func aDayAsHighAsTheKeysUsualPeaksIsRareOnlyAsOftenAsTheyCome() throws {
        // A key that doubles every 10th day: another double is about once in 10 days for it.
        let history = series(days: 98, every: 10, high: 2)
        let day = history.day(at: history.count)
        let assessment = SeasonalDetector().assess(observed: 200_000, on: day, history: history)
        let rarity = try #require(assessment.rarity)
        #expect((9...11).contains(rarity.days), "\(rarity)")
        // Asked for days at least once in 30, the detector holds it back and says why.
        var settings = SeasonalDetector.Settings()
        settings.minRarityDays = 30
        let strict = SeasonalDetector(settings: settings).assess(observed: 200_000, on: day, history: history)
        #expect(!strict.isAnomaly)
        #expect(strict.reason.hasPrefix("not rare enough for this key"))
        // Four times the usual was never seen: the highest of the 97 days judged.
        let fourfold = SeasonalDetector(settings: settings).assess(observed: 400_000, on: day, history: history)
        #expect(fourfold.rarity?.isHighest == true)
        #expect(fourfold.isAnomaly)
    }

    @Test func aSteadyKeysJumpIsTheHighestItsHistoryHolds() throws {
        let history = series(days: 60, every: 1000, high: 1)
        let assessment = SeasonalDetector().assess(observed: 160_000, on: history.day(at: 60), history: history)
        #expect(assessment.isAnomaly)
        let rarity = try #require(assessment.rarity)
        #expect(rarity.isHighest && rarity.historyDays == 59)
    }
}
