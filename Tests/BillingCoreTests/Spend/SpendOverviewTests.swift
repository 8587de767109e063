import Testing

@testable import BillingCore

@Suite struct SpendOverviewTests {
    func total(_ day: String, _ service: String, _ amount: String) -> ServiceDayTotal {
        ServiceDayTotal(date: CalendarDay(day)!, serviceId: service, serviceName: "Service \(service)", amount: ExactDecimal(amount)!, keyCount: 1)
    }

    @Test func monthToDateAgainstTheSameDaysOfLastMonthToTheCent() {
        // March 1-3 against February 1-3; February 4 and March's days after the 3rd stay out.
        let totals = [
            total("20260201", "a", "100.10"), total("20260202", "a", "0"), total("20260203", "b", "0.20"), total("20260204", "a", "999"),
            total("20260301", "a", "150.05"), total("20260302", "b", "0.10"), total("20260303", "a", "49.95"), total("20260304", "a", "5000"),
        ]
        let overview = SpendOverview(totals: totals, through: CalendarDay("20260303")!)
        #expect(overview.monthToDate == ExactDecimal("200.10")!)
        #expect(overview.lastMonthSameDays == ExactDecimal("100.30")!)
        #expect(abs(overview.changeFromLastMonth! - (200.10 / 100.30 - 1)) < 1e-12)
        // Under a week of days: no forecast.
        #expect(overview.forecast == nil)
    }

    @Test func noChangeIsStatedWhenLastMonthHasFewerDaysStored() {
        // February has a cost on the 3rd only; March on the 1st to the 3rd.
        let totals = [total("20260203", "a", "10"), total("20260301", "a", "10"), total("20260302", "a", "10"), total("20260303", "a", "10")]
        let overview = SpendOverview(totals: totals, through: CalendarDay("20260303")!)
        #expect(overview.monthDaysWithCost == 3 && overview.lastMonthDaysWithCost == 1)
        #expect(overview.changeFromLastMonth == nil)
    }

    @Test func theThirtyFirstComparesWithTheLastDayOfAShorterMonth() {
        let totals = [total("20260228", "a", "7"), total("20260331", "a", "1")]
        let overview = SpendOverview(totals: totals, through: CalendarDay("20260331")!)
        #expect(overview.lastMonthSameDays == ExactDecimal("7")!)
    }

    @Test func theForecastAddsTheDaysLeftAtATypicalDayWithARangeFromCheapToDearDays() throws {
        // November 1-20 at 100 a day but two days at 40 and two at 400: 20 days so far, 10 left.
        let amounts = (1...20).map { day in day == 5 || day == 6 ? "40" : day == 12 || day == 13 ? "400" : "100" }
        let totals = amounts.enumerated().map { total(String(format: "202611%02d", $0.offset + 1), "a", $0.element) }
        let forecast = try #require(SpendOverview(totals: totals, through: CalendarDay("20261120")!).forecast)
        let soFar = 16 * 100.0 + 2 * 40 + 2 * 400
        #expect(forecast.daysLeft == 10)
        // The median of the last 14 days (the 7th-20th) is 100.
        #expect(forecast.expected == soFar + 10 * 100)
        // Over the 20 days there are: the 10th percentile lies 0.9 of the way from 40 to 100, the 90th
        // 0.1 of the way from 100 to 400.
        #expect(abs(forecast.low - (soFar + 10 * 94)) < 1e-9)
        #expect(abs(forecast.high - (soFar + 10 * 130)) < 1e-9)
    }

    @Test func theChartNamesTheLargestServicesAndAddsTheRestAsOther() {
        let totals = [
            total("20261118", "small", "1"), total("20261119", "big", "500"), total("20261119", "mid", "50"), total("20261120", "tiny", "0.5"),
            total("20261120", "mid", "60"),
        ]
        let overview = SpendOverview(totals: totals, through: CalendarDay("20261120")!, chartDays: 90, topServices: 2)
        #expect(overview.services == ["Service big", "Service mid", "Other services"])
        // From the first day with a cost, not 90 days of nothing.
        #expect(overview.days.map(\.date.compact) == ["20261118", "20261119", "20261120"])
        #expect(overview.days.map(\.amounts) == [[0, 0, 1], [500, 50, 0], [0, 60, ExactDecimal("0.5")!]])
    }
}
