import Foundation
import Testing

@testable import BillingCore

@Suite struct CalendarDayTests {
    @Test func parsesCompactAndDashedForms() throws {
        let compact = try #require(CalendarDay("20240229"))
        let dashed = try #require(CalendarDay("2024-02-29"))
        #expect(compact == dashed)
        #expect(compact.compact == "20240229")
        #expect(compact.iso == "2024-02-29")
    }

    @Test func writesFourDigitsOfYearAndTwoOfMonthAndDay() throws {
        #expect(try #require(CalendarDay("00010203")).compact == "00010203")
        #expect(try #require(CalendarDay("00990708")).iso == "0099-07-08")
        #expect(try #require(CalendarDay("99991231")).compact == "99991231")
        #expect(CalendarDay(daysSinceEpoch: 0).iso == "1970-01-01")
        // Days counted past the years four digits hold are still written whole.
        #expect(CalendarDay(daysSinceEpoch: 2_932_897).compact == "100000101")
    }

    @Test(arguments: ["20230229", "20241301", "2024022", "2024-0229", "abcdefgh", "20240100", ""])
    func rejectsImpossibleDays(text: String) {
        #expect(CalendarDay(text) == nil)
    }

    @Test func countsDaysAcrossMonthsYearsAndLeapDays() throws {
        let day = try #require(CalendarDay("20231231"))
        #expect(day.adding(days: 1).compact == "20240101")
        #expect(day.adding(days: 60).compact == "20240229")
        #expect(day.adding(days: -365).compact == "20221231")
        #expect(CalendarDay(daysSinceEpoch: 0).compact == "19700101")
        #expect(try #require(CalendarDay("19700101")).daysSinceEpoch == 0)
        #expect(day.days(until: day.adding(days: 45)) == 45)
    }

    @Test func knowsTheWeekday() throws {
        #expect(try #require(CalendarDay("20261126")).isoWeekday == 4)  // a Thursday
        #expect(try #require(CalendarDay("20261129")).isWeekend)
        #expect(try #require(CalendarDay("19691231")).isoWeekday == 3)
    }

    @Test func placesAnInstantOnTheKSTDayAndHour() throws {
        let seoul = try #require(TimeZone(identifier: "Asia/Seoul"))
        // 2026-11-25T15:30:00Z is 2026-11-26 00:30 in Seoul.
        let instant = Date(timeIntervalSince1970: 1_795_620_600)
        let (day, hour) = CalendarDay.containing(instant, in: seoul)
        #expect(day.compact == "20261126")
        #expect(hour == 0)
        let utc = CalendarDay.containing(instant, in: try #require(TimeZone(identifier: "UTC")))
        #expect(utc.day.compact == "20261125")
        #expect(utc.hour == 15)
    }
}
