/// Folds API rows into one `DailyCost` per key for a single day.
///
/// Rows arrive page by page; `add(_:)` takes each as it comes, so memory grows with keys, not rows.
/// Rows dated another day are counted and left out: storing them would overwrite that day's complete
/// figures with a fragment.
public struct DailyAggregator: Sendable {
    public let date: CalendarDay
    public private(set) var rowCount = 0
    public private(set) var otherDayRowCount = 0
    private var costs: [CostKey: DailyCost] = [:]
    private var pricingTypes: [CostKey: Set<String>] = [:]
    private var regions: [CostKey: Set<String>] = [:]
    private var parts: [CostKey: [PartKey: ExactDecimal]] = [:]

    private struct PartKey: Hashable {
        var pricingType: String
        var region: String
    }

    public init(date: CalendarDay) {
        self.date = date
    }

    public mutating func add(_ row: BillingRow) {
        if let metered = row.meteringDate, !metered.isEmpty, CalendarDay(metered) != date {
            otherDayRowCount += 1
            return
        }
        rowCount += 1
        let key = row.key
        var cost = costs[key] ?? DailyCost(date: date, key: key)
        if cost.domainName.isEmpty, let name = row.domainName { cost.domainName = name }
        if cost.projectName.isEmpty, let name = row.projectName { cost.projectName = name }
        if cost.serviceName.isEmpty, let name = row.serviceName { cost.serviceName = name }
        cost.usageTime += row.usageTime ?? .zero
        cost.usageSize += row.usageSize ?? .zero
        cost.generalAmount += row.generalAmount ?? .zero
        cost.discountAmount += row.discountAmount ?? .zero
        cost.expectAmount += row.expectAmount ?? .zero
        cost.rowCount += 1
        costs[key] = cost
        if let type = row.pricingType, !type.isEmpty { pricingTypes[key, default: []].insert(type) }
        if let region = row.region, !region.isEmpty { regions[key, default: []].insert(region) }
        parts[key, default: [:]][PartKey(pricingType: row.pricingType ?? "", region: row.region ?? ""), default: .zero] +=
            row.expectAmount ?? .zero
    }

    public mutating func add(contentsOf rows: some Sequence<BillingRow>) {
        for row in rows { add(row) }
    }

    public var keyCount: Int { costs.count }

    /// The day's costs, sorted by key.
    public func dailyCosts() -> [DailyCost] {
        costs.values.map { cost in
            var cost = cost
            cost.pricingTypes = (pricingTypes[cost.key] ?? []).sorted()
            cost.regions = (regions[cost.key] ?? []).sorted()
            cost.parts = (parts[cost.key] ?? [:]).map { DailyCost.Part(pricingType: $0.key.pricingType, region: $0.key.region, expectAmount: $0.value) }
                .sorted { ($0.pricingType, $0.region) < ($1.pricingType, $1.region) }
            return cost
        }.sorted { $0.key < $1.key }
    }
}
