import BillingCore

/// One row of the Billing API's cost-by-resource response.
///
/// Every field may be missing or null, and numbers may arrive as JSON numbers or as numeric strings;
/// decoding keeps what is there and leaves the rest nil.
public struct BillingRow: Sendable, Hashable {
    public var meteringDate: String?
    public var domainId: String?
    public var domainName: String?
    public var projectId: String?
    public var projectName: String?
    public var serviceId: String?
    public var serviceName: String?
    public var region: String?
    public var pricingType: String?
    public var usageTime: ExactDecimal?
    public var usageSize: ExactDecimal?
    public var generalAmount: ExactDecimal?
    public var discountAmount: ExactDecimal?
    public var expectAmount: ExactDecimal?

    public init(
        meteringDate: String? = nil, domainId: String? = nil, domainName: String? = nil,
        projectId: String? = nil, projectName: String? = nil, serviceId: String? = nil,
        serviceName: String? = nil, region: String? = nil, pricingType: String? = nil,
        usageTime: ExactDecimal? = nil, usageSize: ExactDecimal? = nil,
        generalAmount: ExactDecimal? = nil, discountAmount: ExactDecimal? = nil,
        expectAmount: ExactDecimal? = nil
    ) {
        self.meteringDate = meteringDate
        self.domainId = domainId
        self.domainName = domainName
        self.projectId = projectId
        self.projectName = projectName
        self.serviceId = serviceId
        self.serviceName = serviceName
        self.region = region
        self.pricingType = pricingType
        self.usageTime = usageTime
        self.usageSize = usageSize
        self.generalAmount = generalAmount
        self.discountAmount = discountAmount
        self.expectAmount = expectAmount
    }

    /// The row's key; a missing id becomes the empty string, so such rows still add up under one key.
    public var key: CostKey {
        CostKey(domainId: domainId ?? "", projectId: projectId ?? "", serviceId: serviceId ?? "")
    }
}
