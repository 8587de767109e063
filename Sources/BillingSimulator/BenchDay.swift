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
    /// Each project's id and each domain's, made once: the simulator serves them on every row.
    private let projectIds: [String]
    private let domainIds: [String]

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
        projectIds = (0...(keys - 1) / 40).map { Self.hex(UInt64($0) &+ seed &* 31) }
        domainIds = (0..<8).map { Self.hex(UInt64($0) &+ seed) }
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
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
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
        return CostKey(
            domainId: domainIds[project % 8],
            projectId: index < keys ? projectIds[project] : Self.hex(UInt64(project) &+ seed &* 31),
            serviceId: String(index % 40 + 1))
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

    /// Writes row `position` of the day straight as bytes: the simulator makes a million of them for
    /// every bench run, and its time counts in the jobs' figures.
    private func appendRow(_ position: Int, day: CalendarDay, share: Double, to body: inout [UInt8]) {
        let index = row(at: position)
        let keyIndex = index % keys
        let part = index / keys
        let partsOfKeys = (rows - keyIndex + keys - 1) / keys
        let project = keyIndex / 40
        let service = keyIndex % 40 + 1
        let amount = usualAmount(keyIndex) / Double(partsOfKeys) * share
        let noise = SeededRandom.mix(UInt64(index) ^ seed)
        func text(_ text: StaticString) {
            body.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        func string(_ text: String) { body.append(contentsOf: text.utf8) }
        func number(_ value: UInt64) {
            if value >= 10 { number(value / 10) }
            body.append(UInt8(ascii: "0") + UInt8(value % 10))
        }
        /// `value` to two decimals, as `%.2f` writes it for the non-negative amounts made here.
        func cents(_ value: Double) {
            let cents = UInt64((value * 100).rounded())
            number(cents / 100)
            body.append(UInt8(ascii: "."))
            body.append(UInt8(ascii: "0") + UInt8(cents / 10 % 10))
            body.append(UInt8(ascii: "0") + UInt8(cents % 10))
        }
        text(#"{"meteringDate":""#); string(day.compact)
        text(#"","domainId":""#); string(domainIds[project % 8])
        text(#"","domainName":"Domain "#); number(UInt64(project % 8))
        text(#"","projectId":""#); string(projectIds[project])
        text(#"","projectName":"project-"#); number(UInt64(project))
        text(#"","serviceId":""#); number(UInt64(service))
        text(#"","serviceName":"Service "#); number(UInt64(service))
        text(#"","region":""#); string(Self.regions[part % 3])
        text(#"","pricingType":""#); string(Self.pricingTypes[(part / 3) % 3])
        text(#"","usageTime":"#)
        if noise % 5 == 0 { text("null") } else { text("\""); number(noise % 2400); text(".5\"") }
        text(#","usageSize":"#)
        if noise % 7 == 0 { text("null") } else { number(noise % 100) }
        text(#","generalAmount":"#); cents(amount * 1.1)
        text(#","discountAmount":"#)
        if noise % 3 == 0 { text("0") } else { cents(amount * 0.1) }
        text(#","expectAmount":"#)
        if noise % 4 == 0 { text("\""); cents(amount); text("\"") } else { cents(amount) }
        text("}")
    }

    static func hex(_ value: UInt64) -> String {
        let a = String(SeededRandom.mix(value), radix: 16), b = String(SeededRandom.mix(value &+ 1), radix: 16)
        return String(repeating: "0", count: 16 - a.count) + a + String(repeating: "0", count: 16 - b.count) + b
    }
}
