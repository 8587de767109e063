import BillingCore
import BillingWire
import Foundation

/// The raw day on local disk while a run works: written a page at a time as the pages arrive, before
/// it goes to the archive, and an archived copy read back a window at a time, so a day of any size
/// takes bounded memory.
public protocol RawDayFiles: Sendable {
    /// The folder the raw day is written in, and archived copies are downloaded into.
    var directory: URL { get }

    /// Starts `day`'s raw day in a new file.
    func start(_ day: CalendarDay, fetchedAt: Date) throws -> any RawDayDraft

    /// Folds the archived day in `file` into `aggregator`; returns the date the document says it holds.
    func foldArchivedDay(_ file: URL, into aggregator: inout DailyAggregator) throws -> CalendarDay?

    /// Removes what a run of `day` that died left in `directory` (its raw day half written, an archived
    /// copy half downloaded) and returns the paths removed. Only the run holding the day's lock calls it.
    func removeLeftovers(of day: CalendarDay) -> [String]
}

/// A raw day being written: pages appended as they arrive, then finished with the fetch's summary.
public protocol RawDayDraft: AnyObject {
    func append(page body: [UInt8]) throws

    /// Closes the document and returns its file, ready for the archive.
    func finish(_ summary: FetchSummary) throws -> URL

    /// Removes the file, finished or not: the caller is done with it.
    func discard()
}
