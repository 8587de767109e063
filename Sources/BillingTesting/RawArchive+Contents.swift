import BillingPipeline
import Foundation

extension RawArchive {
    /// The object at `key` as bytes, read through `withFile` (downloads go to a folder of their own,
    /// removed afterwards); nil when there is none.
    public func contents(of key: String) async throws -> Data? {
        let downloads = FileManager.default.temporaryDirectory.appendingPathComponent("billing-alert-test-reads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: downloads) }
        return try await withFile(key, downloadingInto: downloads) { try Data(contentsOf: $0) }
    }
}
