import Foundation

/// A calendar day with no time zone, such as a metering date (`YYYYMMDD`, a day in KST).
///
/// Arithmetic counts days since 1970-01-01 in the proleptic Gregorian calendar, so it needs no
/// `Calendar` and never reads the clock.
public struct CalendarDay: Sendable, Hashable, Comparable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYYMMDD` or `YYYY-MM-DD`.
    public init?(_ text: String) {
        let digits = text.count == 10 && text.dropFirst(4).first == "-" && text.dropFirst(7).first == "-"
            ? text.replacingOccurrences(of: "-", with: "") : text
        guard digits.count == 8, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let year = Int(digits.prefix(4)), let month = Int(digits.dropFirst(4).prefix(2)),
            let day = Int(digits.suffix(2))
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day `count` days since 1970-01-01.
    public init(daysSinceEpoch count: Int) {
        // Howard Hinnant's civil_from_days.
        let z = count + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The day and hour that `instant` falls on in `timeZone`.
    public static func containing(_ instant: Date, in timeZone: TimeZone) -> (day: CalendarDay, hour: Int) {
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        return (CalendarDay(daysSinceEpoch: days), secondOfDay / 3600)
    }

    public var daysSinceEpoch: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public func adding(days: Int) -> CalendarDay {
        CalendarDay(daysSinceEpoch: daysSinceEpoch + days)
    }

    public func days(until other: CalendarDay) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }

    /// 1 is Monday, 7 is Sunday (ISO 8601).
    public var isoWeekday: Int {
        let weekday = (daysSinceEpoch + 3) % 7  // 1970-01-01 was a Thursday.
        return (weekday < 0 ? weekday + 7 : weekday) + 1
    }

    public var isWeekend: Bool { isoWeekday >= 6 }

    /// `YYYYMMDD`, the API's and the store's format.
    public var compact: String {
        digits(separator: nil)
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        digits(separator: UInt8(ascii: "-"))
    }

    /// The date's digits, written by hand: the stores format a date for every row they write, and
    /// `String(format:)` took a tenth of a daily run.
    private func digits(separator: UInt8?) -> String {
        // A day counted far from 1970 may fall outside the years four digits hold.
        guard (0...9999).contains(year) else {
            return String(format: separator == nil ? "%04d%02d%02d" : "%04d-%02d-%02d", year, month, day)
        }
        let count = separator == nil ? 8 : 10
        return String(unsafeUninitializedCapacity: count) { buffer in
            var index = 0
            func put(_ value: Int, width: Int) {
                var divisor = width == 4 ? 1000 : 10
                while divisor > 0 {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value / divisor % 10)
                    index += 1
                    divisor /= 10
                }
            }
            put(year, width: 4)
            if let separator { buffer[index] = separator; index += 1 }
            put(month, width: 2)
            if let separator { buffer[index] = separator; index += 1 }
            put(day, width: 2)
            return index
        }
    }

    /// Every day from `self` through `last`, both included.
    public func through(_ last: CalendarDay) -> [CalendarDay] {
        guard self <= last else { return [] }
        return (daysSinceEpoch...last.daysSinceEpoch).map(CalendarDay.init(daysSinceEpoch:))
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension CalendarDay: CustomStringConvertible {
    public var description: String { compact }
}
