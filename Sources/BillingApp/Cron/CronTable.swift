import Foundation

/// Edits crontab text: adds, removes and lists this tool's entries, and leaves every other line alone.
///
/// Each entry ends with a marker comment (`# billing-alert:hourly`), which is how it is found again.
public struct CronTable: Sendable, Hashable {
    public static let markerPrefix = "# billing-alert:"

    public struct Entry: Sendable, Hashable {
        public var job: String
        public var minute: Int
        /// Nil runs every hour.
        public var hour: Int?
        public var command: String

        public init(job: String, minute: Int, hour: Int?, command: String) {
            self.job = job
            self.minute = minute
            self.hour = hour
            self.command = command
        }

        public var line: String {
            "\(minute) \(hour.map(String.init) ?? "*") * * * \(command) \(CronTable.markerPrefix)\(job)"
        }
    }

    public private(set) var lines: [String]

    public init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
    }

    public var text: String {
        lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// This tool's lines.
    public var ownLines: [String] {
        lines.filter(Self.isOwn)
    }

    /// Replaces this tool's entries with `entries`; adding twice leaves one copy.
    public mutating func install(_ entries: [Entry]) {
        removeOwn()
        lines += entries.map(\.line)
    }

    /// Removes this tool's entries only; returns how many.
    @discardableResult
    public mutating func removeOwn() -> Int {
        let before = lines.count
        lines.removeAll(where: Self.isOwn)
        return before - lines.count
    }

    static func isOwn(_ line: String) -> Bool {
        guard let range = line.range(of: markerPrefix, options: .backwards) else { return false }
        let job = line[range.upperBound...]
        return !job.isEmpty && job.allSatisfy { $0.isLetter || $0 == "-" }
    }
}

extension CronTable {
    /// The local (system time zone) minute and hour of `hour:minute` in the configured time zone.
    ///
    /// `offsetMinutes` is the configured zone's UTC offset minus the system zone's, e.g. 540 for KST on a
    /// UTC machine: 02:30 KST is 17:30 there.
    public static func localTime(hour: Int?, minute: Int, offsetMinutes: Int) -> (hour: Int?, minute: Int) {
        let shifted = (hour ?? 0) * 60 + minute - offsetMinutes
        let wrapped = ((shifted % 1440) + 1440) % 1440
        return (hour == nil ? nil : wrapped / 60, wrapped % 60)
    }
}
