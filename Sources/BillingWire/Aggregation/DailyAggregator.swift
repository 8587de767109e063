import BillingCore

/// Folds API rows into one `DailyCost` per key for a single day.
///
/// Pages are folded as they arrive, straight from their bytes (`add(pageBody:)`), so memory grows with
/// keys, not rows. Rows dated another day are counted and left out: storing them would overwrite that
/// day's complete figures with a fragment.
///
/// A row of the day must name its key (domainId, projectId and serviceId, none of them null or empty)
/// and carry an expectAmount: a row without them would be stored under an empty id, or count as zero.
/// Every amount, and every sum for a key, one of its parts or the whole day, stays within
/// `ExactDecimal.billLimitDigits` digits. A row that breaks either rule is an error that names it.
public struct DailyAggregator: Sendable {
    public let date: CalendarDay
    public private(set) var rowCount = 0
    public private(set) var otherDayRowCount = 0
    /// The day's expectAmount so far, across keys.
    public private(set) var expectAmount = ExactDecimal.zero
    private let compactDate: [UInt8]
    /// `compactDate` as one little-endian word, compared with a row's date in one step.
    private let compactDateWord: UInt64
    private var keys = ByteKeyIndex()
    /// Each key's sums, by its number; its (pricing type, region) parts beside, by the same number.
    /// Apart, so the costs handed over are these, sorted in place, not a copy made beside them.
    private var sums: [DailyCost] = []
    private var partSlots: [[PartSlot]] = []
    /// Pricing types and regions, numbered.
    private var labels = NumberedTexts()
    /// Ids and names too long to be stored inside a `String`, each made once and shared by every key
    /// that has it: a bill's keys share a few domains and projects, and 125,000 copies of their ids
    /// would be 125,000 allocations.
    private var sharedTexts = NumberedTexts()
    private var scratch: [UInt8] = []
    /// The key of the row before: the next row's key is often the same one or the one after it.
    private var lastSlot = -1

    /// A key's sum for one pricing type and region, by their label numbers. The amount comes first
    /// and the numbers are narrow, so a slot is 32 bytes rather than 48: a day holds eight slots a key.
    struct PartSlot: Sendable {
        var expectAmount: ExactDecimal
        private let labels: (pricingType: Int32, region: Int32)

        init(pricingType: Int, region: Int, expectAmount: ExactDecimal) {
            self.expectAmount = expectAmount
            labels = (Int32(pricingType), Int32(region))
        }

        var pricingType: Int { Int(labels.pricingType) }
        var region: Int { Int(labels.region) }
    }

    public init(date: CalendarDay) {
        self.date = date
        compactDate = Array(date.compact.utf8)
        compactDateWord = compactDate.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    public var keyCount: Int { sums.count }

    /// Reads a response body and folds its rows; the body is checked whole, so a malformed page
    /// throws (and the caller discards the day).
    ///
    /// `passed` hears, as the reading goes, which bytes will not be read again.
    public mutating func add(pageBody: some Collection<UInt8>, passed: BytesPassed = .ignored) throws(BillingResponseError) -> PageInfo {
        // The sink takes the aggregator over while the body is read (so its storage is not copied),
        // and hands it back however the reading ends.
        var sink = Sink(aggregator: self)
        self = DailyAggregator(date: date)
        defer { self = sink.aggregator }
        return try BillingPageReader.withBytes(pageBody) { bytes throws(BillingResponseError) in
            try BillingPageReader.read(bytes, into: &sink, passed: passed)
        }
    }

    /// The same, with the rows folded on a second thread while this one reads on (`RowHandOff`) when
    /// `threads` is 2 or more and the body is large enough to gain: the costs, counts and errors are
    /// those one thread makes, since the rows are folded one by one in their order either way.
    public mutating func add(
        pageBody: some Collection<UInt8>, passed: BytesPassed = .ignored, threads: Int
    ) throws(BillingResponseError) -> PageInfo {
        try add(pageBody: pageBody, passed: passed, threads: threads, handingOffFrom: Self.bytesWorthAHandOff)
    }

    /// Below this, a body is read and folded on one thread: starting a thread costs more than the
    /// folding of so few rows (about 2,700 of the contract's rows) saves.
    static let bytesWorthAHandOff = 1 << 20

    /// The threads `add(pageBody:passed:threads:)` reads a body of `bytes` bytes on: 2 or 1.
    public static func threadsReading(bodyOf bytes: Int, threads: Int) -> Int {
        handsOff(bodyOf: bytes, threads: threads, from: bytesWorthAHandOff) ? 2 : 1
    }

    private static func handsOff(bodyOf bytes: Int, threads: Int, from minimum: Int) -> Bool {
        threads > 1 && bytes >= minimum
    }

    mutating func add(
        pageBody: some Collection<UInt8>, passed: BytesPassed = .ignored, threads: Int, handingOffFrom minimum: Int
    ) throws(BillingResponseError) -> PageInfo {
        try BillingPageReader.withBytes(pageBody) { bytes throws(BillingResponseError) in
            guard Self.handsOff(bodyOf: bytes.count, threads: threads, from: minimum) else { return try add(pageBody: bytes, passed: passed) }
            let sink = Sink(aggregator: self)
            self = DailyAggregator(date: date)
            let (back, result) = RowHandOff.read(bytes, into: consume sink, passed: passed)
            self = back.aggregator
            return try result.get()
        }
    }

    /// Folds every page of an archived day (see `RawDayDocument`); returns the date it says it holds.
    public mutating func add(
        archivedDay: some Collection<UInt8>, passed: BytesPassed = .ignored
    ) throws(BillingResponseError) -> (date: String?, pageCount: Int) {
        var sink = Sink(aggregator: self)
        self = DailyAggregator(date: date)
        defer { self = sink.aggregator }
        return try BillingPageReader.withBytes(archivedDay) { bytes throws(BillingResponseError) in
            try BillingPageReader.readArchivedDay(bytes, into: &sink, passed: passed)
        }
    }

    public mutating func add(_ row: BillingRow) throws(BillingResponseError) {
        if let metered = row.meteringDate, !metered.isEmpty, CalendarDay(metered) != date {
            otherDayRowCount += 1
            return
        }
        // Named only for an error: most rows need no name.
        func place() -> String { "the row of \(row.domainId ?? "?") / \(row.projectId ?? "?") / \(row.serviceId ?? "?")" }
        for (field, id) in [(BillingField.domainId, row.domainId), (.projectId, row.projectId), (.serviceId, row.serviceId)] {
            guard let id else { throw BillingResponseError(reason: "\(place()) has no \(field)") }
            guard !id.isEmpty else { throw BillingResponseError(reason: "\(place()) has an empty \(field)") }
        }
        guard row.expectAmount != nil else { throw BillingResponseError(reason: "\(place()) has no expectAmount") }
        scratch.removeAll(keepingCapacity: true)
        Self.appendKey(row.domainId ?? "", row.projectId ?? "", row.serviceId ?? "", to: &scratch)
        let slot = scratch.withUnsafeBufferPointer { keys.number(of: $0) }
        if slot == sums.count {
            sums.append(DailyCost(date: date, key: row.key))
            partSlots.append(Self.newParts())
        }
        do {
            try fold(
                slot: slot, names: (row.domainName, row.projectName, row.serviceName),
                amounts: (row.usageTime, row.usageSize, row.generalAmount, row.discountAmount, row.expectAmount),
                pricingType: labels.number(of: row.pricingType ?? ""), region: labels.number(of: row.region ?? ""))
        } catch {
            throw error.explained(at: place())
        }
    }

    public mutating func add(contentsOf rows: some Sequence<BillingRow>) throws(BillingResponseError) {
        for row in rows { try add(row) }
    }

    /// The day's costs, sorted by key.
    public func dailyCosts() -> [DailyCost] {
        var lists = LabelLists()
        return Self.keyOrder(of: sums).map { complete(sums[$0], parts: partSlots[$0], lists: &lists) }
    }

    /// The same costs, handed over: the aggregator keeps its counts but lets go of its keys and their
    /// parts as the costs are made, in the array its sums were in, so a day of 125,000 keys is not
    /// held twice.
    public mutating func takeDailyCosts() -> [DailyCost] {
        var costs = sums
        var parts = partSlots
        (sums, partSlots) = ([], [])
        keys = ByteKeyIndex()
        lastSlot = -1
        var lists = LabelLists()
        for index in costs.indices {
            costs[index] = complete(costs[index], parts: parts[index], lists: &lists)
            parts[index] = []
        }
        parts = []
        Self.arrange(&costs, in: Self.keyOrder(of: costs))
        return costs
    }

    /// The keys' numbers in key order: the costs are arranged in that order, in place, rather than
    /// sorted, which would take a buffer of half of them where the numbers take a few bytes a key.
    private static func keyOrder(of costs: [DailyCost]) -> [Int] {
        costs.indices.sorted { costs[$0].key < costs[$1].key }
    }

    /// Puts `costs[order[n]]` at `n` for every `n`, moving each cost once: one cycle of the order at a
    /// time, each taking one cost out while the others move up behind it.
    static func arrange<T>(_ costs: inout [T], in order: [Int]) {
        precondition(order.count == costs.count, "an order for every element")
        var placed = [Bool](repeating: false, count: costs.count)
        costs.withUnsafeMutableBufferPointer { costs in
            for start in costs.indices where !placed[start] {
                guard order[start] != start else {
                    placed[start] = true
                    continue
                }
                let first = (costs.baseAddress! + start).move()
                var at = start
                while order[at] != start {
                    (costs.baseAddress! + at).initialize(to: (costs.baseAddress! + order[at]).move())
                    placed[at] = true
                    at = order[at]
                }
                (costs.baseAddress! + at).initialize(to: first)
                placed[at] = true
            }
        }
    }

    /// A key's sums with its lists and parts, from its part slots.
    private func complete(_ sums: DailyCost, parts: [PartSlot], lists: inout LabelLists) -> DailyCost {
        var cost = sums
        cost.pricingTypes = lists.list(of: parts.lazy.map(\.pricingType), texts: labels.texts)
        cost.regions = lists.list(of: parts.lazy.map(\.region), texts: labels.texts)
        cost.parts = parts.map {
            DailyCost.Part(pricingType: labels[$0.pricingType], region: labels[$0.region], expectAmount: $0.expectAmount)
        }.sorted { ($0.pricingType, $0.region) < ($1.pricingType, $1.region) }
        return cost
    }

    /// A new key's part slots: room for the usual few pricing types and regions, so they grow in
    /// one allocation.
    private static func newParts() -> [PartSlot] {
        var parts: [PartSlot] = []
        parts.reserveCapacity(8)
        return parts
    }

    /// `partCount`, when given, is the key's number of parts, read early by the caller.
    @inline(__always)
    private mutating func fold(
        slot index: Int, names: (String?, String?, String?),
        amounts: (ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?), pricingType: Int, region: Int,
        partCount: Int? = nil
    ) throws(AmountPastLimit) {
        rowCount += 1
        try sums[index].fold(names: names, amounts: amounts)
        // The row's amounts are within the limit now, so these sums cannot overflow before their check.
        expectAmount += amounts.4 ?? .zero
        guard expectAmount.isWithinBillLimit else { throw AmountPastLimit(field: .expectAmount, of: .day) }
        let part = addPart(slot: index, pricingType: pricingType, region: region, amount: amounts.4 ?? .zero, partCount: partCount)
        guard part.isWithinBillLimit else { throw AmountPastLimit(field: .expectAmount, of: .part) }
    }

    /// Adds `amount` to the key's part of `pricingType` and `region`, made when it has none; returns
    /// the part's sum. `partCount`, when given, is the key's number of parts, read early by the caller.
    @inline(__always)
    private mutating func addPart(slot index: Int, pricingType: Int, region: Int, amount: ExactDecimal, partCount: Int? = nil) -> ExactDecimal {
        let count = partCount ?? partSlots[index].count
        if let part = (0..<count).first(where: { partSlots[index][$0].pricingType == pricingType && partSlots[index][$0].region == region }) {
            partSlots[index][part].expectAmount += amount
            return partSlots[index][part].expectAmount
        }
        // Grow by a little, not by doubling: a key has a handful of parts, and 125,000 keys' spare
        // capacity would outweigh their data.
        if partSlots[index].count == partSlots[index].capacity {
            partSlots[index].reserveCapacity(partSlots[index].count + 2)
        }
        partSlots[index].append(PartSlot(pricingType: pricingType, region: region, expectAmount: amount))
        return amount
    }

    /// A key's pricing types or regions, sorted, without repeats or empty ones. Keys share a handful
    /// of such lists, so each is made once and shared: 125,000 keys' own copies of the same few
    /// labels would weigh more than their amounts.
    private struct LabelLists {
        private var made: [UInt64: [String]] = [:]

        mutating func list(of numbers: some Sequence<Int>, texts: [String]) -> [String] {
            var set: UInt64 = 0
            for number in numbers {
                // Past 64 labels a set no longer fits a word: such lists are made each time.
                guard number < 64 else { return Self.make(numbers, texts) }
                set |= 1 << UInt64(number)
            }
            if let list = made[set] { return list }
            let list = Self.make(numbers, texts)
            made[set] = list
            return list
        }

        private static func make(_ numbers: some Sequence<Int>, _ texts: [String]) -> [String] {
            Set(numbers).map { texts[$0] }.filter { !$0.isEmpty }.sorted()
        }
    }

    private static func appendKey(_ domain: String, _ project: String, _ service: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: domain.utf8)
        bytes.append(0xFF)  // never part of UTF-8, so no id can run into the next
        bytes.append(contentsOf: project.utf8)
        bytes.append(0xFF)
        bytes.append(contentsOf: service.utf8)
    }

    /// Folds rows from the reader without making strings of ids, dates or labels already seen.
    private struct Sink: BillingRowSink {
        var aggregator: DailyAggregator

        mutating func take(_ row: RawBillingRow) throws(BillingResponseError) {
            guard try isOfTheDay(row) else {
                aggregator.otherDayRowCount += 1
                return
            }
            if let slot = predictedSlot(row) {
                // The key's parts live apart from it: reading their count before the amounts are parsed
                // lets that read arrive while they are.
                let partCount = aggregator.partSlots[slot].count
                try fold(row, slot: slot, values: try values(of: row), partCount: partCount)
                return
            }
            // A key seen before has its ids; a new one must show them.
            for field in [BillingField.domainId, .projectId, .serviceId] {
                try Self.requireID(row, field)
            }
            aggregator.scratch.removeAll(keepingCapacity: true)
            try appendText(row, .domainId)
            aggregator.scratch.append(0xFF)
            try appendText(row, .projectId)
            aggregator.scratch.append(0xFF)
            try appendText(row, .serviceId)
            // Start the key's table read, then read the amounts while it arrives.
            let hash = aggregator.scratch.withUnsafeBufferPointer { ByteKeyIndex.hash($0) }
            let firstEntry = aggregator.keys.firstEntry(for: hash)
            let values = try values(of: row)
            let slot = aggregator.scratch.withUnsafeBufferPointer {
                aggregator.keys.number(of: $0, hash: hash, firstEntry: firstEntry)
            }
            if slot == aggregator.sums.count {
                let key = CostKey(
                    domainId: try sharedText(row, .domainId) ?? "", projectId: try sharedText(row, .projectId) ?? "",
                    serviceId: try sharedText(row, .serviceId) ?? "")
                aggregator.sums.append(DailyCost(date: aggregator.date, key: key))
                aggregator.partSlots.append(DailyAggregator.newParts())
            }
            try fold(row, slot: slot, values: values)
        }

        /// The row's key when it is the previous row's or the one first seen after it, found by comparing
        /// their bytes, without hashing or a table read.
        @inline(__always)
        private func predictedSlot(_ row: RawBillingRow) -> Int? {
            let last = aggregator.lastSlot
            guard last >= 0 else { return nil }
            let domain = row.token(.domainId), project = row.token(.projectId), service = row.token(.serviceId)
            guard domain.kind == .string, !domain.hasEscapes, project.kind == .string, !project.hasEscapes,
                service.kind == .string, !service.hasEscapes
            else { return nil }
            let (d, p, s) = (row.bytes(of: domain), row.bytes(of: project), row.bytes(of: service))
            if aggregator.keys.holds(last + 1, d, p, s) { return last + 1 }
            if aggregator.keys.holds(last, d, p, s) { return last }
            return nil
        }

        /// What a row adds to its key: its amounts, and its pricing type and region, numbered.
        private struct RowValues {
            var amounts: (ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?)
            var pricingType: Int
            var region: Int
        }

        @inline(__always)
        private mutating func values(of row: RawBillingRow) throws(BillingResponseError) -> RowValues {
            let expect = try row.decimal(.expectAmount)
            guard expect != nil else { throw Self.missing(row, .expectAmount) }
            return RowValues(
                amounts: (
                    try row.decimal(.usageTime), try row.decimal(.usageSize), try row.decimal(.generalAmount),
                    try row.decimal(.discountAmount), expect),
                pricingType: try label(row, .pricingType), region: try label(row, .region))
        }

        private static func requireID(_ row: RawBillingRow, _ field: BillingField) throws(BillingResponseError) {
            let token = row.token(field)
            switch token.kind {
            case .absent, .null: throw missing(row, field)
            case .string where token.start == token.end: throw missing(row, field)
            case .string, .number: return
            }
        }

        /// A row without a value it must have: the field absent, null, or an empty string.
        private static func missing(_ row: RawBillingRow, _ field: BillingField) -> BillingResponseError {
            let token = row.token(field)
            let what = switch token.kind {
            case .absent: "has no \(field)"
            case .null: "has \(field): null"
            case .string, .number: "has an empty \(field)"
            }
            return BillingResponseError(reason: "\(row.path) \(what)")
        }

        @inline(__always)
        private mutating func fold(_ row: RawBillingRow, slot: Int, values: RowValues, partCount: Int? = nil) throws(BillingResponseError) {
            aggregator.lastSlot = slot
            // A name is read only until the key has one.
            let names = (
                aggregator.sums[slot].domainName.isEmpty ? try sharedText(row, .domainName) : nil,
                aggregator.sums[slot].projectName.isEmpty ? try sharedText(row, .projectName) : nil,
                aggregator.sums[slot].serviceName.isEmpty ? try sharedText(row, .serviceName) : nil)
            do {
                try aggregator.fold(
                    slot: slot, names: names, amounts: values.amounts, pricingType: values.pricingType, region: values.region,
                    partCount: partCount)
            } catch {
                throw error.explained(at: row.path)
            }
        }

        private func isOfTheDay(_ row: RawBillingRow) throws(BillingResponseError) -> Bool {
            let token = row.token(.meteringDate)
            if token.kind == .string, !token.hasEscapes {
                let bytes = row.bytes(of: token)
                if bytes.isEmpty { return true }
                if bytes.count == 8, UnsafeRawBufferPointer(bytes).loadUnaligned(as: UInt64.self) == aggregator.compactDateWord {
                    return true
                }
            }
            guard let metered = try row.text(.meteringDate), !metered.isEmpty else { return true }
            return CalendarDay(metered) == aggregator.date
        }

        /// Appends the field's text as UTF-8: in place when it is a plain string.
        @inline(__always)
        private mutating func appendText(_ row: RawBillingRow, _ field: BillingField) throws(BillingResponseError) {
            let token = row.token(field)
            if token.kind == .string, !token.hasEscapes {
                aggregator.scratch.append(contentsOf: row.bytes(of: token))
            } else if let text = try row.text(field) {
                aggregator.scratch.append(contentsOf: text.utf8)
            }
        }

        /// The field's text (see `RawBillingRow.text`), the one `String` made for the same text before
        /// when it is too long to be stored inline.
        @inline(__always)
        private mutating func sharedText(_ row: RawBillingRow, _ field: BillingField) throws(BillingResponseError) -> String? {
            let token = row.token(field)
            guard token.kind == .string, !token.hasEscapes, token.end - token.start > 15 else { return try row.text(field) }
            let number = aggregator.sharedTexts.number(of: row.bytes(of: token)) { row.scanner.text(of: token) }
            return aggregator.sharedTexts[number]
        }

        @inline(__always)
        private mutating func label(_ row: RawBillingRow, _ field: BillingField) throws(BillingResponseError) -> Int {
            let token = row.token(field)
            guard token.kind == .string, !token.hasEscapes else { return aggregator.labels.number(of: try row.text(field) ?? "") }
            return aggregator.labels.number(of: row.bytes(of: token)) { row.scanner.text(of: token) }
        }
    }
}

extension DailyCost {
    /// Adds one row's amounts, and takes its names where this cost has none yet.
    @inline(__always)
    mutating func fold(
        names: (String?, String?, String?), amounts: (ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?)
    ) throws(AmountPastLimit) {
        if domainName.isEmpty, let name = names.0 { domainName = name }
        if projectName.isEmpty, let name = names.1 { projectName = name }
        if serviceName.isEmpty, let name = names.2 { serviceName = name }
        try Self.add(amounts.0, to: &usageTime, .usageTime)
        try Self.add(amounts.1, to: &usageSize, .usageSize)
        try Self.add(amounts.2, to: &generalAmount, .generalAmount)
        try Self.add(amounts.3, to: &discountAmount, .discountAmount)
        try Self.add(amounts.4, to: &expectAmount, .expectAmount)
        rowCount += 1
    }

    /// Adds an amount within the limit to a sum within the limit: the sum cannot overflow, and is
    /// checked after.
    @inline(__always)
    private static func add(_ value: ExactDecimal?, to sum: inout ExactDecimal, _ field: BillingField) throws(AmountPastLimit) {
        guard let value else { return }
        guard value.isWithinBillLimit else { throw AmountPastLimit(field: field, of: .row) }
        sum += value
        guard sum.isWithinBillLimit else { throw AmountPastLimit(field: field, of: .key) }
    }
}

/// An amount, or a sum of amounts, past `ExactDecimal.billLimitDigits` digits.
struct AmountPastLimit: Error {
    enum Scope { case row, key, part, day }

    let field: BillingField
    let scope: Scope

    init(field: BillingField, of scope: Scope) {
        self.field = field
        self.scope = scope
    }

    /// The error for the row at `place`.
    func explained(at place: String) -> BillingResponseError {
        let limit = "10^\(ExactDecimal.billLimitDigits)"
        let what = switch scope {
        case .row: "\(place).\(field) is \(limit) or more, beyond any bill"
        case .key: "\(place) takes its key's \(field) to \(limit) or more, beyond any bill"
        case .part: "\(place) takes its pricing type and region's \(field) to \(limit) or more, beyond any bill"
        case .day: "\(place) takes the day's \(field) to \(limit) or more, beyond any bill"
        }
        return BillingResponseError(reason: what)
    }
}
