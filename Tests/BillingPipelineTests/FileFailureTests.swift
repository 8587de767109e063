import Foundation
import Testing

@testable import BillingPipeline

/// A full disk, a missing file and a refused write read as the system says them, never as
/// Foundation's "NSCocoaErrorDomain error 640".
@Suite struct FileFailureTests {
    @Test func aFullDiskSaysSo() throws {
        // /dev/full takes no byte: every write fails as on a full disk, through the same calls.
        let handle = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        defer { try? handle.close() }
        let error = #expect(throws: (any Error).self) {
            try handle.write(contentsOf: Data(repeating: 1, count: 1 << 16))
            try handle.synchronize()
        }
        let reason = FileFailure.reason(try #require(error))
        #expect(reason == "No space left on device")
    }

    @Test func foundationsFileErrorsReadAsTheSystemsReasons() throws {
        let missing = #expect(throws: (any Error).self) { try Data(contentsOf: URL(fileURLWithPath: "/nonexistent/billing.json")) }
        #expect(FileFailure.reason(try #require(missing)) == "No such file or directory")
        #expect(FileFailure.reason(CocoaError(.fileWriteOutOfSpace)) == "No space left on device")
        #expect(FileFailure.reason(CocoaError(.fileWriteNoPermission)) == "Permission denied")
        #expect(!FileFailure.reason(CocoaError(.fileWriteUnknown)).contains("NSCocoaErrorDomain"))
    }

    @Test func aRawDayThatCannotBeWrittenNamesTheFileAndTheReason() throws {
        let error = RawDayWriteError(path: "/data/incoming/billing_20261120.x.partial.json", reason: FileFailure.reason(CocoaError(.fileWriteOutOfSpace)))
        #expect(error.description.hasPrefix("cannot write the raw day to /data/incoming/billing_20261120.x.partial.json: No space left on device; nothing was stored"))
    }
}
