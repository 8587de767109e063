/// The domains, projects and services a simulated bill covers, derived from the seed.
struct SimulatedOrganization: Sendable {
    struct Service: Sendable {
        var id: String
        var name: String
        /// KRW per day for a project of scale 1.
        var dailyCost: Double
        /// Multiplier on Saturdays and Sundays.
        var weekendFactor: Double
        var pricingTypes: [String]
        /// Runs only on these ISO weekdays (1 = Monday); nil means every day.
        var activeWeekdays: Set<Int>?
    }

    struct Project: Sendable {
        var domainId: String
        var domainName: String
        var id: String
        var name: String
        var scale: Double
        var services: [Service]
    }

    static let catalog: [Service] = [
        Service(id: "1", name: "Virtual Machine", dailyCost: 180_000, weekendFactor: 0.75, pricingTypes: ["ON_DEMAND", "RESERVED"]),
        Service(id: "2", name: "Block Storage", dailyCost: 42_000, weekendFactor: 1.0, pricingTypes: ["ON_DEMAND"]),
        Service(id: "3", name: "Object Storage", dailyCost: 15_500, weekendFactor: 1.0, pricingTypes: ["ON_DEMAND"]),
        Service(id: "4", name: "Load Balancer", dailyCost: 12_000, weekendFactor: 1.0, pricingTypes: ["ON_DEMAND"]),
        Service(id: "5", name: "Kubernetes Engine", dailyCost: 95_000, weekendFactor: 0.8, pricingTypes: ["ON_DEMAND", "SPOT"]),
        Service(id: "6", name: "MySQL", dailyCost: 61_000, weekendFactor: 0.9, pricingTypes: ["ON_DEMAND"]),
        Service(id: "7", name: "Data Transfer", dailyCost: 21_000, weekendFactor: 0.6, pricingTypes: ["ON_DEMAND"]),
        Service(id: "8", name: "Batch GPU", dailyCost: 240_000, weekendFactor: 1.0, pricingTypes: ["ON_DEMAND"], activeWeekdays: [1]),
    ]

    static let regions = [("kr-central-2", 0.7), ("kr-central-1", 0.3)]

    let projects: [Project]

    init(seed: UInt64) {
        let domains = [("Acme Commerce", ["storefront", "payments", "data-platform"]), ("Beta Labs", ["research", "staging"])]
        var projects: [Project] = []
        for (domainName, projectNames) in domains {
            var random = SeededRandom(seed, "domain", domainName)
            let domainId = random.hex(32)
            for projectName in projectNames {
                var projectRandom = SeededRandom(seed, "project", domainName, projectName)
                let services = Self.catalog.filter { service in
                    service.id == "1" || service.id == "2" || projectRandom.unit() < 0.55
                }
                projects.append(
                    Project(
                        domainId: domainId, domainName: domainName, id: projectRandom.hex(32), name: projectName,
                        scale: projectRandom.uniform(0.3...1.8), services: services))
            }
        }
        self.projects = projects
    }
}
