/// The short id people type to refer to one anomaly, such as `20261124-3f9a1c2b`: its date, then a
/// hash of its domain, project and service.
///
/// Every detection of one key on one day (each hour, and the whole day) shares the id, because they
/// are the same anomaly; the date in front lets a store find it without scanning.
public struct AnomalyID: Sendable, Hashable, CustomStringConvertible {
    public var date: CalendarDay
    public var keyHash: String

    public init(date: CalendarDay, key: CostKey) {
        self.date = date
        keyHash = String(Self.fnv1a("\(key.domainId)\u{1}\(key.projectId)\u{1}\(key.serviceId)").prefix(8))
    }

    /// Reads `YYYYMMDD-xxxxxxxx`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.lowercased().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let date = CalendarDay(String(parts[0])), parts[1].count == 8,
            parts[1].allSatisfy(\.isHexDigit)
        else { return nil }
        self.date = date
        keyHash = String(parts[1])
    }

    public var description: String { "\(date.compact)-\(keyHash)" }

    /// FNV-1a over the UTF-8 bytes, as 16 hex digits: stable across runs, machines and versions.
    public static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension Anomaly {
    public var id: AnomalyID { AnomalyID(date: date, key: key) }
}
