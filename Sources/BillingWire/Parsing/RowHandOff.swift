import Foundation
import Synchronization

/// Reads a body on the caller's thread and hands its rows, a batch at a time, to a sink that takes
/// them on a thread of its own: the reading and the folding of a large body share two cores, and the
/// sink still takes every row once, in order, as it would from one reader.
///
/// The reader fills one batch while the sink's thread takes the other. A row is a copy of where its
/// fields lie in the body, which stays in place until both are done. The reader reports the bytes
/// passed only up to the rows the sink has taken, so no page is let go while a row in it waits.
///
/// The first error in the rows' order is the one thrown: the sink's, for a row the reader had already
/// passed, comes before any the reader met after it.
enum RowHandOff {
    /// Rows a batch holds: enough that handing one over costs little beside reading it, few enough
    /// that two of them stay in the core's cache (a row is `BillingField.allCases.count` tokens).
    static let batchRows = 2_048

    /// Reads `bytes` (see `BillingPageReader.read`) with `sink` taking the rows on another thread;
    /// gives the sink back with what the reading came to.
    static func read<Sink: BillingRowSink & SendableMetatype>(
        _ bytes: UnsafeBufferPointer<UInt8>, into sink: consuming Sink, passed: BytesPassed
    ) -> (sink: Sink, result: Result<PageInfo, BillingResponseError>) {
        let line = Line(sink: sink)
        let taker = WorkerThread { line.takeBatches() }
        var reader = Reader(line: line, passed: passed)
        var result: Result<PageInfo, BillingResponseError>
        do throws(BillingResponseError) {
            result = .success(try BillingPageReader.read(bytes, into: &reader, passed: .ignored))
        } catch {
            result = .failure(error)
        }
        // The rows read before an error are taken too: one of them may hold an earlier one.
        reader.handOver(isLast: true)
        taker.join()
        if let failure = line.failure { result = .failure(failure) }
        return (line.sink.take()!, result)
    }

    /// One batch of rows: each row's field tokens, which fields it has, its number, and where it
    /// ends (where the reader's scanner stood when it handed the row over).
    private struct Batch {
        let tokens: UnsafeMutableBufferPointer<JSONToken>
        let seen: UnsafeMutableBufferPointer<UInt16>
        let numbers: UnsafeMutableBufferPointer<Int>
        let ends: UnsafeMutableBufferPointer<Int>
        var count = 0
        /// The body's scanner, and where the batch's rows are, for the sink and its errors.
        var scanner: JSONScanner?
        var resultPath = ""
        var isLast = false

        init() {
            tokens = .allocate(capacity: RowHandOff.batchRows * BillingField.allCases.count)
            seen = .allocate(capacity: RowHandOff.batchRows)
            numbers = .allocate(capacity: RowHandOff.batchRows)
            ends = .allocate(capacity: RowHandOff.batchRows)
        }

        /// Where the last row ends: every byte before it is read.
        var end: Int { count > 0 ? ends[count - 1] : 0 }

        func deallocate() {
            tokens.deallocate()
            seen.deallocate()
            numbers.deallocate()
            ends.deallocate()
        }
    }

    /// What the two threads share. Each batch belongs to one thread at a time, handed over by the
    /// semaphores, which also order what one thread wrote before the other reads it.
    private final class Line<Sink: BillingRowSink>: @unchecked Sendable {
        /// The sink's thread's while it runs; the caller's before and after.
        var sink: Sink?
        let batches: UnsafeMutablePointer<Batch>
        /// Signalled for each batch the reader hands over.
        let filled = DispatchSemaphore(value: 0)
        /// Signalled for each batch the sink's thread has taken; one batch is free at the start.
        let emptied = DispatchSemaphore(value: 1)
        /// The sink's first error: the sink's thread's until it ends.
        var failure: BillingResponseError?
        /// Whether `failure` is set, for the reader to stop early.
        let failed = Atomic<Bool>(false)

        init(sink: consuming Sink) {
            self.sink = sink
            batches = .allocate(capacity: 2)
            batches.initialize(to: Batch())
            (batches + 1).initialize(to: Batch())
        }

        deinit {
            for index in 0..<2 { batches[index].deallocate() }
            batches.deinitialize(count: 2)
            batches.deallocate()
        }

        /// The sink's thread: takes each batch as it is handed over, the last one included; after an
        /// error it only hands the batches back, so the reader never waits for nothing.
        func takeBatches() {
            var sink = self.sink.take()!
            defer { self.sink = sink }
            var index = 0
            while true {
                filled.wait()
                let batch = batches[index]
                if failure == nil, let scanner = batch.scanner {
                    do throws(BillingResponseError) {
                        try take(batch, scanner: scanner, into: &sink)
                    } catch {
                        failure = error
                        failed.store(true, ordering: .releasing)
                    }
                }
                index ^= 1
                emptied.signal()
                if batch.isLast { return }
            }
        }

        private func take(_ batch: Batch, scanner: JSONScanner, into sink: inout Sink) throws(BillingResponseError) {
            let fields = BillingField.allCases.count
            var scanner = scanner
            for row in 0..<batch.count {
                let tokens = UnsafeBufferPointer(rebasing: batch.tokens[row * fields..<(row + 1) * fields])
                scanner.index = batch.ends[row]
                try sink.take(
                    RawBillingRow(
                        scanner: scanner, tokens: tokens, seen: batch.seen[row], resultPath: batch.resultPath,
                        number: batch.numbers[row]))
            }
        }
    }

    /// The reader's side: copies each row into the batch it fills, and hands the batch over when it
    /// is full, when the rows' response changes, and at the end.
    private struct Reader<Sink: BillingRowSink>: BillingRowSink {
        let line: Line<Sink>
        var passed: BytesPassed
        var index = 0

        mutating func take(_ row: RawBillingRow) throws(BillingResponseError) {
            var count = line.batches[index].count
            if count == RowHandOff.batchRows || (count > 0 && row.resultPath != line.batches[index].resultPath) {
                handOver(isLast: false)
                // The sink's error stops the reading: it comes first in the rows' order.
                if line.failed.load(ordering: .acquiring) { throw BillingResponseError(reason: "the rows' sink failed") }
                count = 0
            }
            let fields = BillingField.allCases.count
            line.batches[index].tokens.baseAddress!.advanced(by: count * fields)
                .update(from: row.tokens.baseAddress!, count: fields)
            line.batches[index].seen[count] = row.seen
            line.batches[index].numbers[count] = row.number
            if count == 0 {
                line.batches[index].scanner = row.scanner
                line.batches[index].resultPath = row.resultPath
            }
            line.batches[index].ends[count] = row.scanner.index
            line.batches[index].count = count + 1
        }

        /// Hands the batch over and waits for the other one to be free.
        mutating func handOver(isLast: Bool) {
            line.batches[index].isLast = isLast
            line.filled.signal()
            guard !isLast else { return }
            index ^= 1
            line.emptied.wait()
            // The sink has taken this batch's rows: the bytes before its last one's end are done with.
            let taken = line.batches[index].end
            if taken >= passed.next { passed.report(taken) }
            line.batches[index].count = 0
            line.batches[index].scanner = nil
        }
    }
}
