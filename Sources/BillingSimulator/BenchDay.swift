import BillingCore
import Foundation

/// A day of billing rows in the contract's shape, of any size, made on demand page by page: `rows`
/// rows over `keys` keys (several rows per key, one per pricing type and region), each about 350
/// bytes, amounts as numbers, numeric strings and nulls. Nothing is held but the page being made.
public struct BenchDay: Sendable {
    /// The order of the day's rows.
    public enum Order: String, Sendable, CaseIterable {
        /// Every key once, then every key again: one row per key in each round.
        case rounds
        /// A key's rows one after another.
        case grouped
        /// Each row's key far from the row before's, in no order a reader could guess.
        case scattered
    }

    public let rows: Int
    public let keys: Int
    public let order: Order
    public let seed: UInt64
    /// A step about 0.618 of the day long that shares no factor with the row count, so stepping by it
    /// visits every row once, for `.scattered`.
    private let scatterStride: UInt64

    public init(rows: Int, keys: Int, order: Order = .rounds, seed: UInt64 = 42) {
        precondition(rows > 0 && keys > 0 && keys <= rows, "a bench day needs at least one row per key")
        self.rows = rows
        self.keys = keys
        self.order = order
        self.seed = seed
        var stride = UInt64(Double(rows) * 0.618_033_988_7) | 1
        func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 { b == 0 ? a : gcd(b, a % b) }
        while gcd(stride, UInt64(rows)) != 1 { stride += 2 }
        scatterStride = stride
    }

    static let pricingTypes = ["ON_DEMAND", "RESERVED", "SPOT"]
    static let regions = ["kr-central-2", "kr-central-1", "kr-west-1"]

    /// Page `number` of a response with `size` rows per page, `share` of the day's amounts (1 for a
    /// whole day, less for today so far).
    public func page(_ number: Int, size: Int, day: CalendarDay, share: Double = 1) -> [UInt8] {
        var body = Array(#"{"result":{"content":["#.utf8)
        body.reserveCapacity(size * 360 + 64)
        let start = min(number * size, rows)
        let end = min(start + size, rows)
        for index in start..<end {
            if index > start { body.append(UInt8(ascii: ",")) }
            appendRow(index, day: day, share: share, to: &body)
        }
        body.append(contentsOf: Array(#"]},"requestId":"bench"}"#.utf8))
        return body
    }

    /// Writes the whole day as one response, `{"result":{"content":[...]}}`, a page of rows at a time.
    public func writeResponse(to file: URL, day: CalendarDay) throws {
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(#"{"result":{"content":["#.utf8))
        var chunk: [UInt8] = []
        for index in 0..<rows {
            if index > 0 { chunk.append(UInt8(ascii: ",")) }
            appendRow(index, day: day, share: 1, to: &chunk)
            if chunk.count > 1 << 22 {
                try handle.write(contentsOf: chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: chunk + Array("]}}\n".utf8))
    }

    /// Key `index`'s (domain, project, service): 40 services per project, projects spread over 8 domains.
    public func key(_ index: Int) -> CostKey {
        let project = index / 40
        return CostKey(domainId: Self.hex(UInt64(project % 8) &+ seed), projectId: Self.hex(UInt64(project) &+ seed &* 31), serviceId: String(index % 40 + 1))
    }

    /// What key `index` usually costs in a whole day.
    public func usualAmount(_ index: Int) -> Double {
        Double(1_000 + SeededRandom.mix(UInt64(index) ^ seed) % 200_000)
    }

    /// A whole day's cost for key `index` on a day `daysBack` before the bench day: the usual amount
    /// give or take 5 %, for seeding history.
    public func historicalAmount(_ index: Int, daysBack: Int) -> ExactDecimal {
        let noise = Double(SeededRandom.mix(UInt64(index) &* 1_000_003 &+ UInt64(daysBack) ^ seed) % 1_000) / 10_000 - 0.05
        return ExactDecimal(String(format: "%.2f", usualAmount(index) * (1 + noise)))!
    }

    /// Which row (numbered round by round: row n is key n % keys's part n / keys) comes at `position`.
    public func row(at position: Int) -> Int {
        switch order {
        case .rounds:
            return position
        case .grouped:
            // The first rows % keys keys have one part more than the others.
            let base = rows / keys, longer = rows % keys
            let (key, part) = position < longer * (base + 1)
                ? position.quotientAndRemainder(dividingBy: base + 1)
                : { let (key, part) = (position - longer * (base + 1)).quotientAndRemainder(dividingBy: base); return (longer + key, part) }()
            return part * keys + key
        case .scattered:
            return Int(UInt64(rows).dividingFullWidth(UInt64(position).multipliedFullWidth(by: scatterStride)).remainder)
        }
    }

    private func appendRow(_ position: Int, day: CalendarDay, share: Double, to body: inout [UInt8]) {
        let index = row(at: position)
        let keyIndex = index % keys
        let part = index / keys
        let partsOfKey = (rows - keyIndex + keys - 1) / keys
        let key = key(keyIndex)
        let project = keyIndex / 40
        let amount = usualAmount(keyIndex) / Double(partsOfKey) * share
        let general = String(format: "%.2f", amount * 1.1)
        let expect = String(format: "%.2f", amount)
        let noise = SeededRandom.mix(UInt64(index) ^ seed)
        let usage = noise % 5 == 0 ? "null" : "\"\(noise % 2400).5\""
        let discount = noise % 3 == 0 ? "0" : String(format: "%.2f", amount * 0.1)
        let text = #"{"meteringDate":"\#(day.compact)","domainId":"\#(key.domainId)","domainName":"Domain \#(project % 8)","# +
            #""projectId":"\#(key.projectId)","projectName":"project-\#(project)","serviceId":"\#(key.serviceId)","# +
            #""serviceName":"Service \#(key.serviceId)","region":"\#(Self.regions[part % 3])","pricingType":"\#(Self.pricingTypes[(part / 3) % 3])","# +
            #""usageTime":\#(usage),"usageSize":\#(noise % 7 == 0 ? "null" : String(noise % 100)),"generalAmount":\#(general),"# +
            #""discountAmount":\#(discount),"expectAmount":\#(noise % 4 == 0 ? "\"\(expect)\"" : expect)}"#
        body.append(contentsOf: text.utf8)
    }

    static func hex(_ value: UInt64) -> String {
        let a = String(SeededRandom.mix(value), radix: 16), b = String(SeededRandom.mix(value &+ 1), radix: 16)
        return String(repeating: "0", count: 16 - a.count) + a + String(repeating: "0", count: 16 - b.count) + b
    }
}
