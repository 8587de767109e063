import Foundation
import Synchronization
import Testing

@testable import BillingWire

/// The reader hands rows over a batch at a time to a sink on another thread: every row once, in order,
/// the first error in the rows' order, and no byte let go before the rows in it are taken.
@Suite struct RowHandOffTests {
    /// Where the last row taken ends, read by the test's release closure on the reader's thread.
    final class TakenEnd: Sendable {
        let offset = Mutex(0)
    }

    /// A sink that notes each row's id, the thread it was taken on, and where the row ends; it fails
    /// at the row numbered `failAt`.
    struct Recorder: BillingRowSink {
        var ids: [String] = []
        var threads: Set<UInt> = []
        var failAt: Int?
        var takenEnd = TakenEnd()

        mutating func take(_ row: RawBillingRow) throws(BillingResponseError) {
            if row.number == failAt { throw BillingResponseError(reason: "\(row.path) was refused by the sink") }
            ids.append(try row.text(.domainId) ?? "?")
            threads.insert(UInt(pthread_self()))
            takenEnd.offset.withLock { $0 = row.scanner.index }
        }
    }

    static func body(rows: Int, broken: Int? = nil) -> [UInt8] {
        let content = (0..<rows).map { number in
            number == broken ? #"{"domainId":"d\#(number)","expectAmount":1,}"# : #"{"domainId":"d\#(number)","expectAmount":1}"#
        }
        return Array(#"{"result":{"content":[\#(content.joined(separator: ","))]}}"#.utf8)
    }

    static func read(_ body: [UInt8], failAt: Int? = nil, passed: BytesPassed = .ignored, takenEnd: TakenEnd = TakenEnd())
        -> (sink: Recorder, result: Result<PageInfo, BillingResponseError>)
    {
        body.withUnsafeBufferPointer { bytes in
            RowHandOff.read(bytes, into: Recorder(failAt: failAt, takenEnd: takenEnd), passed: passed)
        }
    }

    /// Bodies that end on a batch's edge, one row past it, or with no rows at all.
    @Test(arguments: [0, 1, RowHandOff.batchRows, 2 * RowHandOff.batchRows, 2 * RowHandOff.batchRows + 1, 5 * RowHandOff.batchRows - 7])
    func everyRowIsTakenOnceInOrderOnAnotherThread(rows: Int) throws {
        let (sink, result) = Self.read(Self.body(rows: rows))
        #expect(try result.get().rowCount == rows)
        #expect(sink.ids == (0..<rows).map { "d\($0)" })
        if rows > 0 { #expect(sink.threads.count == 1 && !sink.threads.contains(UInt(pthread_self()))) }
    }

    /// The sink's error for a row comes before a reader's error for a later one, as it would from one
    /// thread; a reader's error comes after every row before it was taken.
    @Test func theFirstErrorInTheRowsOrderIsTheOneThrown() {
        let body = Self.body(rows: 3 * RowHandOff.batchRows, broken: 2 * RowHandOff.batchRows + 5)
        let sinkFirst = Self.read(body, failAt: 2 * RowHandOff.batchRows + 4)
        #expect(sinkFirst.result.failure?.reason == ".result.content[4100] was refused by the sink")
        var one = Recorder(failAt: 2 * RowHandOff.batchRows + 4)
        let serial = body.withUnsafeBufferPointer { bytes in
            Result { () throws(BillingResponseError) in try BillingPageReader.read(bytes, into: &one) }
        }
        #expect(serial.failure?.reason == sinkFirst.result.failure?.reason)

        // Without the sink's error, the reader's, as one thread gives it, after the rows before it.
        let readerOnly = Self.read(body)
        var all = Recorder()
        let serialReader = body.withUnsafeBufferPointer { bytes in
            Result { () throws(BillingResponseError) in try BillingPageReader.read(bytes, into: &all) }
        }
        #expect(readerOnly.result.failure?.reason == serialReader.failure?.reason)
        #expect(readerOnly.result.failure?.reason.contains("expected a member name") == true, "\(String(describing: readerOnly.result.failure))")
        #expect(readerOnly.sink.ids == all.ids && all.ids.count == 2 * RowHandOff.batchRows + 5)
        // A sink that fails at once stops the reading with its own error.
        #expect(Self.read(Self.body(rows: 4 * RowHandOff.batchRows), failAt: 0).result.failure?.reason == ".result.content[0] was refused by the sink")
    }

    /// The bytes passed are reported only up to rows the sink has already taken: a page let go
    /// while a row in it waits would be read again from the file.
    @Test func noBytesAreLetGoBeforeTheirRowsAreTaken() throws {
        let body = Self.body(rows: 6 * RowHandOff.batchRows)
        final class Releases: Sendable {
            let list = Mutex<[(Range<Int>, taken: Int)]>([])
        }
        let (takenEnd, releases) = (TakenEnd(), Releases())
        let passed = BytesPassed(every: 4_096) { stretch in
            let taken = takenEnd.offset.withLock { $0 }
            releases.list.withLock { $0.append((stretch, taken)) }
        }
        let (sink, result) = Self.read(body, passed: passed, takenEnd: takenEnd)
        #expect(try result.get().rowCount == 6 * RowHandOff.batchRows && sink.ids.count == 6 * RowHandOff.batchRows)
        let reports = releases.list.withLock { $0 }
        #expect(reports.count >= 4)
        #expect(reports.allSatisfy { $0.0.upperBound <= $0.taken }, "\(reports.filter { $0.0.upperBound > $0.taken }.prefix(3))")
        // Each stretch follows the one before.
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.0.upperBound == $1.0.lowerBound })
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
