import BillingCore

/// A job that cannot go on; the text says what to do about it.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case archivedDayMissing(CalendarDay, key: String)
        case archivedDayMismatch(CalendarDay, found: CalendarDay, key: String)
    }

    private let code: Code

    static func archivedDayMissing(_ day: CalendarDay, key: String) -> PipelineError {
        PipelineError(code: .archivedDayMissing(day, key: key))
    }

    static func archivedDayMismatch(_ day: CalendarDay, found: CalendarDay, key: String) -> PipelineError {
        PipelineError(code: .archivedDayMismatch(day, found: found, key: key))
    }

    public var description: String {
        switch code {
        case .archivedDayMissing(let day, let key):
            return "the archive has no raw data for \(day) (looked for \(key)); run `billing-alert daily --date \(day)` to fetch it"
        case .archivedDayMismatch(let day, let found, let key):
            return "the archived file \(key) holds \(found), not \(day); move it aside and run `billing-alert daily --date \(day)`"
        }
    }
}
