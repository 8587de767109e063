import Foundation

/// Amounts as people read them: thousands separated, two decimals for statistics.
public enum AmountText {
    /// `12,345.67` from the exact value, every digit kept.
    public static func grouped(_ value: ExactDecimal) -> String {
        grouped(value.description)
    }

    /// `12,345.70` with exactly `places` decimals, rounded half away from zero.
    public static func grouped(_ value: ExactDecimal, places: Int) -> String {
        grouped(value.fixed(places: places))
    }

    /// `1,100.00` from a statistic.
    public static func grouped(_ value: Double, digits: Int = 2) -> String {
        grouped(String(format: "%.\(digits)f", value))
    }

    /// `12,345.67 KRW`.
    public static func krw(_ value: ExactDecimal) -> String { grouped(value) + " KRW" }
    public static func krw(_ value: Double) -> String { grouped(value) + " KRW" }

    private static func grouped(_ plain: String) -> String {
        let negative = plain.hasPrefix("-")
        let unsigned = negative ? String(plain.dropFirst()) : plain
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        var integer = String(parts.first ?? "0")
        var groups: [String] = []
        while integer.count > 3 {
            groups.insert(String(integer.suffix(3)), at: 0)
            integer.removeLast(3)
        }
        groups.insert(integer, at: 0)
        let body = groups.joined(separator: ",") + (parts.count > 1 ? "." + parts[1] : "")
        return negative ? "-" + body : body
    }
}
