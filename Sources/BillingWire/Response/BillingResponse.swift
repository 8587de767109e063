import BillingCore
import Foundation

/// One page of the cost-by-resource response: `{"result": {"content": [ROW, ...]}}`.
///
/// Unknown keys are ignored. Paging metadata (`totalPages`, `totalElements`, `last`) is kept when the
/// API sends it, inside `result` or beside it, and never required.
public struct BillingResponse: Sendable, Hashable {
    public var rows: [BillingRow]
    public var totalPages: Int?
    public var totalElements: Int?
    public var isLast: Bool?

    public init(rows: [BillingRow], totalPages: Int? = nil, totalElements: Int? = nil, isLast: Bool? = nil) {
        self.rows = rows
        self.totalPages = totalPages
        self.totalElements = totalElements
        self.isLast = isLast
    }

    /// Reads a response body with the fast reader; the error says what was wrong with it.
    public static func decode(_ body: some Collection<UInt8>) throws(BillingResponseError) -> BillingResponse {
        try BillingPageReader.withBytes(body, read)
    }

    private static func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(BillingResponseError) -> BillingResponse {
        var collector = RowCollector()
        let info = try BillingPageReader.read(bytes, into: &collector)
        return BillingResponse(rows: collector.rows, totalPages: info.totalPages, totalElements: info.totalElements, isLast: info.isLast)
    }

    /// Decodes a response body with Foundation's `JSONDecoder`: the reference the fast reader is held
    /// to, and the baseline the benchmark compares it with.
    public static func decodeWithFoundation(_ body: some DataProtocol) throws(BillingResponseError) -> BillingResponse {
        do {
            return try JSONDecoder().decode(BillingResponse.self, from: Data(body))
        } catch let error as DecodingError {
            throw BillingResponseError(error)
        } catch {
            throw BillingResponseError(reason: "\(error)")
        }
    }
}

extension BillingResponse: Decodable {
    private enum CodingKeys: String, CodingKey {
        case result, content, totalPages, totalElements, last
    }

    public init(from decoder: any Decoder) throws {
        let top = try decoder.container(keyedBy: CodingKeys.self)
        guard top.contains(.result), try !top.decodeNil(forKey: .result) else {
            throw DecodingError.keyNotFound(
                CodingKeys.result, .init(codingPath: [], debugDescription: "the body has no \"result\" object"))
        }
        let result = try top.nestedContainer(keyedBy: CodingKeys.self, forKey: .result)
        if result.contains(.content), try !result.decodeNil(forKey: .content) {
            rows = try result.decode([BillingRow].self, forKey: .content)
        } else {
            rows = []
        }
        func integer(_ key: CodingKeys) -> Int? {
            (try? result.decodeIfPresent(Int.self, forKey: key)) ?? (try? top.decodeIfPresent(Int.self, forKey: key))
                ?? nil
        }
        totalPages = integer(.totalPages)
        totalElements = integer(.totalElements)
        isLast = (try? result.decodeIfPresent(Bool.self, forKey: .last)) ?? (try? top.decodeIfPresent(Bool.self, forKey: .last)) ?? nil
    }
}

/// A response body that is not the contract's shape.
public struct BillingResponseError: Error, Sendable, CustomStringConvertible {
    public let reason: String

    init(reason: String) {
        self.reason = reason
    }

    init(_ error: DecodingError) {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "the body" : path
        }
        switch error {
        case .dataCorrupted(let context):
            reason = context.codingPath.isEmpty
                ? "it is not valid JSON" : "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            reason = "\(path(context)) has no \"\(key.stringValue)\" (\(context.debugDescription))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            reason = "\(path(context)): \(context.debugDescription)"
        @unknown default:
            reason = "\(error)"
        }
    }

    public var description: String { "the billing response is malformed: \(reason)" }
}
