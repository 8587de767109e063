/// What a cost belongs to: one service in one project of one domain (organization).
public struct CostKey: Sendable, Hashable, Comparable, Codable {
    public var domainId: String
    public var projectId: String
    public var serviceId: String

    public init(domainId: String, projectId: String, serviceId: String) {
        self.domainId = domainId
        self.projectId = projectId
        self.serviceId = serviceId
    }

    public static func < (lhs: CostKey, rhs: CostKey) -> Bool {
        (lhs.domainId, lhs.projectId, lhs.serviceId) < (rhs.domainId, rhs.projectId, rhs.serviceId)
    }
}

extension CostKey: CustomStringConvertible {
    public var description: String { "\(domainId)/\(projectId)/\(serviceId)" }
}
