import Testing

@testable import BillingCore

/// One test per pattern a real bill shows: no alert where none is wanted, an alert where one is.
@Suite struct SeasonalDetectorTests {
    let detector = SeasonalDetector()
    /// A Monday.
    let start = CalendarDay("20250602")!

    /// A bounded wobble of about `amplitude`, the same every run.
    func wobble(_ day: Int, _ amplitude: Double) -> Double {
        1 + amplitude * [0.3, -0.5, 0.8, -0.2, 0.1, -0.9, 0.6, -0.4, 0.9, -0.7, 0.2][day % 11]
    }

    func series(_ days: Int, _ value: (Int, CalendarDay) -> Double) -> DailySeries {
        DailySeries(start: start, values: (0..<days).map { value($0, start.adding(days: $0)) })
    }

    /// Judges the day after `history` at `observed`.
    func judge(_ history: DailySeries, _ observed: Double) -> Assessment {
        detector.assess(observed: observed, on: history.day(at: history.count), history: history)
    }

    /// The value the history's pattern would give the next day.
    func next(_ history: DailySeries, _ value: (Int, CalendarDay) -> Double) -> Double {
        value(history.count, history.day(at: history.count))
    }

    @Test func weekendsThatCostLessAreNormalAndAnExpensiveWeekendIsNot() {
        let pattern = { (index: Int, day: CalendarDay) in 100_000 * (day.isWeekend ? 0.4 : 1) * wobble(index, 0.04) }
        for days in [54, 55, 56, 57] {  // Saturday, Sunday, Monday, Tuesday next
            let history = series(days, pattern)
            #expect(!judge(history, next(history, pattern)).isAnomaly, "day \(days)")
        }
        let saturday = series(54, pattern)
        #expect(saturday.day(at: 54).isoWeekday == 6)
        let expensive = judge(saturday, 100_000)
        #expect(expensive.isAnomaly, "a Saturday at a weekday's cost is 2.5 times a usual Saturday")
        #expect(abs((expensive.expected ?? 0) - 40_000) < 4_000)
    }

    @Test func steadyGrowthIsNormalAndASpikeOnTopIsNot() {
        let pattern = { (index: Int, _: CalendarDay) in 50_000 * (1 + 0.012 * Double(index)) * wobble(index, 0.03) }
        let history = series(70, pattern)
        #expect(!judge(history, next(history, pattern)).isAnomaly)
        #expect(!judge(history, next(history, pattern) * 1.12).isAnomaly)
        #expect(judge(history, next(history, pattern) * 2).isAnomaly)
    }

    @Test func aChargeOnTheSameDayEachMonthIsNormalAndADoubleChargeIsNot() {
        let pattern = { (index: Int, day: CalendarDay) in 30_000 * wobble(index, 0.04) + (day.day == 5 ? 400_000 : 0) }
        // History through 2025-09-04; the next day is the 5th.
        let history = series(start.days(until: CalendarDay("20250905")!), pattern)
        #expect(history.day(at: history.count).day == 5)
        #expect(!judge(history, next(history, pattern)).isAnomaly)
        #expect(judge(history, 30_000 + 1_300_000).isAnomaly)
        // The same charge on another day of the month is unusual.
        let dayAfter = series(start.days(until: CalendarDay("20250906")!), pattern)
        #expect(judge(dayAfter, 430_000).isAnomaly)
    }

    @Test func aNewLevelIsAlertedOnceThenAccepted() {
        let before = { (index: Int, _: CalendarDay) in 80_000 * wobble(index, 0.04) }
        let shifted = { (index: Int, day: CalendarDay) in before(index, day) * (index >= 60 ? 2.2 : 1) }
        #expect(judge(series(60, shifted), next(series(60, shifted), shifted)).isAnomaly, "the day the level changes")
        for day in 61..<75 {
            let history = series(day, shifted)
            #expect(!judge(history, next(history, shifted)).isAnomaly, "day \(day - 60) after the change")
        }
    }

    @Test func aMondayBatchJobIsNormalAndATripleRunIsNot() {
        let pattern = { (index: Int, day: CalendarDay) in day.isoWeekday == 1 ? 300_000 * wobble(index, 0.05) : 0 }
        let monday = series(63, pattern)
        #expect(monday.day(at: 63).isoWeekday == 1)
        #expect(!judge(monday, next(monday, pattern)).isAnomaly)
        #expect(judge(monday, 900_000).isAnomaly)
        let tuesday = series(64, pattern)
        #expect(!judge(tuesday, 0).isAnomaly)
        #expect(judge(tuesday, 250_000).isAnomaly, "the batch running on a Tuesday too")
    }

    @Test func tinyAmountsNeverAlertBelowTheMinimumImpact() {
        let pattern = { (index: Int, _: CalendarDay) in 120 * wobble(index, 0.03) }
        let history = series(60, pattern)
        let fivefold = judge(history, 600)
        #expect(!fivefold.isAnomaly)
        #expect((fivefold.zScore ?? 0) > 10, "statistically extreme, yet under 1,000 of impact")
        let strict = SeasonalDetector(settings: .init(minImpact: 100))
        #expect(strict.assess(observed: 600, on: history.day(at: 60), history: history).isAnomaly)
    }

    @Test func aNoisyServiceNeedsABiggerJump() {
        let pattern = { (index: Int, _: CalendarDay) in 200_000 * wobble(index, 0.3) }
        for day in 40..<70 {
            let history = series(day, pattern)
            #expect(!judge(history, next(history, pattern)).isAnomaly, "day \(day)")
        }
        let history = series(70, pattern)
        #expect(!judge(history, 200_000 * 1.6).isAnomaly)
        #expect(judge(history, 200_000 * 3.5).isAnomaly)
    }

    @Test func aNewServiceIsNotJudgedUntilItHasAFewDaysThenItIs() {
        let pattern = { (index: Int, _: CalendarDay) in index < 40 ? 0 : 60_000 * wobble(index, 0.04) }
        let young = series(43, pattern)
        let early = judge(young, 600_000)
        #expect(!early.isJudged && !early.isAnomaly)
        let settled = series(52, pattern)
        #expect(!judge(settled, next(settled, pattern)).isAnomaly)
        #expect(judge(settled, 180_000).isAnomaly)
    }

    @Test func aCostBelowExpectedIsNeverAnAnomaly() {
        let history = series(60) { index, _ in 100_000 * wobble(index, 0.03) }
        let drop = judge(history, 1_000)
        #expect(!drop.isAnomaly && (drop.zScore ?? 0) < 0)
    }

    @Test func explainsItselfWithTheExpectedRangeAndTheRuleThatFired() throws {
        let history = series(60) { index, _ in 100_000 * wobble(index, 0.03) }
        let spike = judge(history, 400_000)
        let expected = try #require(spike.expected)
        #expect(spike.isAnomaly)
        #expect(try #require(spike.low) < expected && expected < (try #require(spike.high)))
        #expect(try #require(spike.impact) == 400_000 - expected)
        #expect(spike.reason.contains("impact and z and ratio"))
    }

    @Test func aMonthlyChargeInAKeysFirstWeeksRaisesNoAlertOnItsOrdinaryDaysAfter() {
        // A key that starts on a Monday, costs about 100,000 a day, and is charged 1,200,000 more on the
        // 10th of each month, the first time in its second week.
        let charged = { (index: Int, day: CalendarDay) in 100_000 * wobble(index, 0.06) + (day.day == 10 ? 1_200_000 : 0) }
        let days = series(90, charged)
        #expect(days.values.firstIndex { $0 > 500_000 } == 8)
        let flagged = Backtester(detector: .seasonal(detector)).flags(days, in: days.start...days.day(at: 89)).map(\.day)
        #expect(flagged.allSatisfy { $0.day == 10 }, "alerts on ordinary days: \(flagged.filter { $0.day != 10 })")
    }
}

@Suite struct DetectionRuleTests {
    @Test func parsesAndOrWithAndBindingTighter() throws {
        let rule = try #require(DetectionRule("impact and z or impact and ratio"))
        #expect(rule.alternatives == [[.impact, .z], [.impact, .ratio]])
        #expect(rule.holds([.impact, .ratio]))
        #expect(!rule.holds([.z, .ratio]))
        #expect(rule.description == "impact and z or impact and ratio")
    }

    @Test(arguments: ["", "z and", "z nand ratio", "price and z", "and z"])
    func refusesWhatIsNotARule(text: String) {
        #expect(DetectionRule(text) == nil)
    }

    @Test func anyOfTheThresholdsCanBeEnough() {
        let detector = SeasonalDetector(settings: .init(zScore: 100, ratio: 1.1, minImpact: 0, rule: DetectionRule("z or ratio")!))
        let history = DailySeries(start: CalendarDay("20250101")!, values: Array(repeating: 10_000, count: 30))
        #expect(detector.assess(observed: 11_500, on: CalendarDay("20250131")!, history: history).isAnomaly)
        let strict = SeasonalDetector(settings: .init(zScore: 100, ratio: 1.1, minImpact: 0, rule: DetectionRule("z and ratio")!))
        #expect(!strict.assess(observed: 11_500, on: CalendarDay("20250131")!, history: history).isAnomaly)
    }
}
