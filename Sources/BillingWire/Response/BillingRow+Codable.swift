import BillingCore
import Foundation

/// Lenient decoding: ids may be numbers, amounts may be strings, anything may be null or absent.
extension BillingRow: Codable {
    private enum CodingKeys: String, CodingKey {
        case meteringDate, domainId, domainName, projectId, projectName, serviceId, serviceName
        case region, pricingType, usageTime, usageSize, generalAmount, discountAmount, expectAmount
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String? {
            guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
            if let value = try? container.decode(String.self, forKey: key) { return value }
            // Ids and dates sometimes arrive as numbers; keep their exact digits.
            return try container.decode(ExactDecimal.self, forKey: key).description
        }
        func number(_ key: CodingKeys) throws -> ExactDecimal? {
            guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
            if let text = try? container.decode(String.self, forKey: key),
                text.trimmingCharacters(in: .whitespaces).isEmpty
            {
                return nil
            }
            return try container.decode(ExactDecimal.self, forKey: key)
        }
        self.init(
            meteringDate: try text(.meteringDate), domainId: try text(.domainId),
            domainName: try text(.domainName), projectId: try text(.projectId),
            projectName: try text(.projectName), serviceId: try text(.serviceId),
            serviceName: try text(.serviceName), region: try text(.region),
            pricingType: try text(.pricingType), usageTime: try number(.usageTime),
            usageSize: try number(.usageSize), generalAmount: try number(.generalAmount),
            discountAmount: try number(.discountAmount), expectAmount: try number(.expectAmount))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(meteringDate, forKey: .meteringDate)
        try container.encodeIfPresent(domainId, forKey: .domainId)
        try container.encodeIfPresent(domainName, forKey: .domainName)
        try container.encodeIfPresent(projectId, forKey: .projectId)
        try container.encodeIfPresent(projectName, forKey: .projectName)
        try container.encodeIfPresent(serviceId, forKey: .serviceId)
        try container.encodeIfPresent(serviceName, forKey: .serviceName)
        try container.encodeIfPresent(region, forKey: .region)
        try container.encodeIfPresent(pricingType, forKey: .pricingType)
        try container.encodeIfPresent(usageTime, forKey: .usageTime)
        try container.encodeIfPresent(usageSize, forKey: .usageSize)
        try container.encodeIfPresent(generalAmount, forKey: .generalAmount)
        try container.encodeIfPresent(discountAmount, forKey: .discountAmount)
        try container.encodeIfPresent(expectAmount, forKey: .expectAmount)
    }
}
