import BillingCore
import BillingPipeline
import BillingWire
import Foundation

extension RawDayDocument {
    /// Folds an archived day's rows into `aggregator` from its file, mapped a window at a time, so a
    /// day of any size takes bounded memory; returns the date the document says it holds.
    public static func fold(_ file: MappedFile, into aggregator: inout DailyAggregator) throws(ArchiveDocumentError) -> CalendarDay? {
        do {
            return try file.withBytes { bytes, passed throws(BillingResponseError) in
                try aggregator.add(archivedDay: bytes, passed: passed)
            }.date.flatMap(CalendarDay.init)
        } catch {
            throw ArchiveDocumentError(reason: error.reason)
        }
    }
}

/// Writes an archived day to a file as its pages arrive, so a day of any size takes one page of
/// memory: `{"format", "date", "fetchedAt", "pages": [...], then the fetch's summary}`.
public final class RawDayWriter: RawDayDraft {
    public let file: URL
    private let handle: FileHandle
    private var pageCount = 0

    /// Starts a document for `date` in a new file in `directory`.
    public init(directory: URL, date: CalendarDay, fetchedAt: Date) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        file = directory.appendingPathComponent(ScratchFiles.partialPrefix(of: date) + UUID().uuidString + ScratchFiles.partialSuffix)
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw ArchiveDocumentError(reason: "cannot create \(file.path)")
        }
        handle = try FileHandle(forWritingTo: file)
        let header = [
            ("format", RawDayDocument.jsonString(RawDayDocument.format)),
            ("date", RawDayDocument.jsonString(date.compact)),
            ("fetchedAt", RawDayDocument.jsonString(fetchedAt.formatted(.iso8601))),
        ].map { "\"\($0.0)\":\($0.1),\n" }.joined()
        try handle.write(contentsOf: Data(("{" + header + "\"pages\":[").utf8))
    }

    public func append(page body: [UInt8]) throws {
        try writing {
            try handle.write(contentsOf: Data((pageCount == 0 ? "\n" : ",\n").utf8))
            try handle.write(contentsOf: body)
        }
        pageCount += 1
    }

    /// Runs `write`, naming the file and the system's reason when it fails (a full disk, most often).
    private func writing(_ write: () throws -> Void) throws {
        do {
            try write()
        } catch {
            throw RawDayWriteError(path: file.path, reason: FileFailure.reason(error))
        }
    }

    /// Writes the summary and closes the file, which then holds the whole document.
    public func finish(_ summary: FetchSummary) throws -> URL {
        let trailer = [
            ("endpoint", RawDayDocument.jsonString(summary.endpoint)),
            ("pageSize", String(summary.pageSize)),
            ("pageCount", String(summary.pageCount)),
            ("rowCount", String(summary.rowCount)),
        ].map { ",\n\"\($0.0)\":\($0.1)" }.joined()
        try writing {
            try handle.write(contentsOf: Data(("\n]" + trailer + "}\n").utf8))
            try handle.close()
        }
        return file
    }

    public func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(at: file)
    }

    deinit {
        try? handle.close()
    }
}

/// An archived day that cannot be read back.
public struct ArchiveDocumentError: Error, CustomStringConvertible {
    public let reason: String

    public var description: String {
        "the archived raw day cannot be read (\(reason)); fetch the day again with `billing-alert daily --date YYYYMMDD`"
    }
}

/// The files a run of a day makes in its scratch folder while it works (the raw day as it is written,
/// an archived day as it is downloaded), named so that a later run of the day finds those a crash
/// left behind.
public enum ScratchFiles {
    static let partialSuffix = ".partial.json"

    static func partialPrefix(of day: CalendarDay) -> String { "billing_\(day.compact)." }

    /// How a download of the object at `key` starts its name.
    public static func downloadPrefix(of key: String) -> String {
        ".download.\(key.split(separator: "/").last ?? "object")."
    }

    /// Removes the scratch files of `day` in `directory` and returns their paths. Only the run that
    /// holds the day's lock may call it: no live run owns them then.
    static func removeLeftovers(of day: CalendarDay, in directory: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let partial = partialPrefix(of: day)
        let download = downloadPrefix(of: RawDayDocument.key(for: day))
        return names.filter { ($0.hasPrefix(partial) && $0.hasSuffix(partialSuffix)) || $0.hasPrefix(download) }.compactMap { name in
            let file = directory.appendingPathComponent(name)
            return (try? FileManager.default.removeItem(at: file)) == nil ? nil : file.path
        }
    }
}
