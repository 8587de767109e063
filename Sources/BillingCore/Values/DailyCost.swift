/// One day's cost for one key: the sum of every API row for that day and key.
public struct DailyCost: Sendable, Hashable {
    public var date: CalendarDay
    public var key: CostKey
    public var domainName: String
    public var projectName: String
    public var serviceName: String
    public var usageTime: ExactDecimal
    public var usageSize: ExactDecimal
    public var generalAmount: ExactDecimal
    public var discountAmount: ExactDecimal
    public var expectAmount: ExactDecimal
    /// Sorted, without repeats.
    public var pricingTypes: [String]
    /// Sorted, without repeats.
    public var regions: [String]
    public var rowCount: Int
    /// Set when the day was judged an anomaly; such days are left out of baselines.
    public var isAnomaly: Bool
    /// The day's expectAmount per pricing type and region, sorted; shows which rows drove a change.
    public var parts: [Part] = []

    /// The cost of the rows with one pricing type in one region.
    public struct Part: Sendable, Hashable {
        public var pricingType: String
        public var region: String
        public var expectAmount: ExactDecimal

        public init(pricingType: String, region: String, expectAmount: ExactDecimal) {
            self.pricingType = pricingType
            self.region = region
            self.expectAmount = expectAmount
        }

        public var label: String {
            "\(pricingType.isEmpty ? "(no pricing type)" : pricingType) in \(region.isEmpty ? "(no region)" : region)"
        }
    }

    public init(
        date: CalendarDay, key: CostKey, domainName: String = "", projectName: String = "",
        serviceName: String = "", usageTime: ExactDecimal = .zero, usageSize: ExactDecimal = .zero,
        generalAmount: ExactDecimal = .zero, discountAmount: ExactDecimal = .zero,
        expectAmount: ExactDecimal = .zero, pricingTypes: [String] = [], regions: [String] = [],
        rowCount: Int = 0, isAnomaly: Bool = false
    ) {
        self.date = date
        self.key = key
        self.domainName = domainName
        self.projectName = projectName
        self.serviceName = serviceName
        self.usageTime = usageTime
        self.usageSize = usageSize
        self.generalAmount = generalAmount
        self.discountAmount = discountAmount
        self.expectAmount = expectAmount
        self.pricingTypes = pricingTypes
        self.regions = regions
        self.rowCount = rowCount
        self.isAnomaly = isAnomaly
    }
}
