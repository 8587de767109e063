import BillingCore
import BillingPipeline
import BillingWire
import Foundation

/// The raw day's files in a local folder: written by `RawDayWriter`, read back through `MappedFile`.
public struct ScratchFolder: RawDayFiles {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func start(_ day: CalendarDay, fetchedAt: Date) throws -> any RawDayDraft {
        try RawDayWriter(directory: directory, date: day, fetchedAt: fetchedAt)
    }

    public func foldArchivedDay(_ file: URL, into aggregator: inout DailyAggregator) throws -> CalendarDay? {
        try RawDayDocument.fold(try MappedFile(path: file.path), into: &aggregator)
    }

    public func removeLeftovers(of day: CalendarDay) -> [String] {
        ScratchFiles.removeLeftovers(of: day, in: directory)
    }
}
