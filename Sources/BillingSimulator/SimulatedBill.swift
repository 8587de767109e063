import Foundation
import BillingCore

/// Realistic, deterministic billing rows for any day: several domains, projects and services, a row
/// per pricing type and region, weekday and weekend patterns, steady growth, noise, and a few spikes.
public struct SimulatedBill: Sendable {
    /// A planned anomaly: the service's cost on `day` is multiplied by `factor`.
    public struct Spike: Sendable, Hashable {
        public var day: CalendarDay
        public var serviceId: String
        /// Nil spikes the service in every project.
        public var projectName: String?
        public var factor: Double
        /// The KST hour the higher cost starts; the hours before it cost as usual.
        public var fromHour: Int

        public init(day: CalendarDay, serviceId: String, projectName: String? = nil, factor: Double, fromHour: Int = 0) {
            self.day = day
            self.serviceId = serviceId
            self.projectName = projectName
            self.factor = factor
            self.fromHour = fromHour
        }
    }

    public struct Configuration: Sendable {
        public var seed: UInt64
        /// Chance per key and day of a random spike of 3x to 6x.
        public var spikeProbability: Double
        public var spikes: [Spike]
        /// Relative growth per day.
        public var growthPerDay: Double

        public init(seed: UInt64 = 1, spikeProbability: Double = 0.004, spikes: [Spike] = [], growthPerDay: Double = 0.002) {
            self.seed = seed
            self.spikeProbability = spikeProbability
            self.spikes = spikes
            self.growthPerDay = growthPerDay
        }
    }

    public let configuration: Configuration
    let organization: SimulatedOrganization
    private static let growthEpoch = CalendarDay(year: 2025, month: 1, day: 1)!

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.organization = SimulatedOrganization(seed: configuration.seed)
    }

    /// The day's rows as JSON objects, in the API's shape.
    ///
    /// `accrued` is the part of the day that has been billed: 1 for a finished day, less for today.
    public func rows(for day: CalendarDay, accrued: Double = 1) -> [String] {
        guard accrued > 0 else { return [] }
        var rows: [String] = []
        for project in organization.projects {
            for service in project.services {
                let cents = dailyCents(project: project, service: service, day: day, accrued: accrued)
                guard cents > 0 else { continue }
                rows += self.rows(project: project, service: service, day: day, totalCents: cents)
            }
        }
        return rows
    }

    /// The number of keys (domain, project, service) the simulated organization has.
    public var keyCount: Int {
        organization.projects.reduce(0) { $0 + $1.services.count }
    }

    private func dailyCents(
        project: SimulatedOrganization.Project, service: SimulatedOrganization.Service, day: CalendarDay,
        accrued: Double
    ) -> Int {
        if let weekdays = service.activeWeekdays, !weekdays.contains(day.isoWeekday) { return 0 }
        var random = SeededRandom(configuration.seed, "cost", project.id, service.id, day.compact)
        var cost = service.dailyCost * project.scale
        if day.isWeekend { cost *= service.weekendFactor }
        cost *= 1 + configuration.growthPerDay * Double(Self.growthEpoch.days(until: day))
        cost *= random.uniform(0.94...1.06)
        if random.unit() < configuration.spikeProbability { cost *= random.uniform(3...6) }
        // The day accrues evenly over its hours; a spike multiplies the hours from its start on.
        let hours = min(accrued, 1) * 24
        var billed = hours
        for spike in configuration.spikes
        where spike.day == day && spike.serviceId == service.id && (spike.projectName ?? project.name) == project.name {
            let start = Double(min(max(spike.fromHour, 0), 24))
            billed += max(0, hours - start) * (spike.factor - 1)
        }
        return Int((max(cost, 0) * billed / 24 * 100).rounded())
    }

    private func rows(
        project: SimulatedOrganization.Project, service: SimulatedOrganization.Service, day: CalendarDay,
        totalCents: Int
    ) -> [String] {
        var random = SeededRandom(configuration.seed, "rows", project.id, service.id, day.compact)
        var parts: [(pricingType: String, region: String, share: Double)] = []
        for (index, pricingType) in service.pricingTypes.enumerated() {
            let typeShare = service.pricingTypes.count == 1 ? 1 : (index == 0 ? 0.65 : 0.35 / Double(service.pricingTypes.count - 1))
            for (region, regionShare) in SimulatedOrganization.regions {
                parts.append((pricingType, region, typeShare * regionShare))
            }
        }
        var remaining = totalCents
        return parts.enumerated().map { index, part in
            let expect = index == parts.count - 1 ? remaining : Int((Double(totalCents) * part.share).rounded())
            remaining -= expect
            let discount = part.pricingType == "RESERVED" ? expect * 3 / 7 : (part.pricingType == "SPOT" ? expect : 0)
            let fields: [(String, String)] = [
                ("meteringDate", Self.string(day.compact)),
                ("domainId", Self.string(project.domainId)),
                ("domainName", Self.string(project.domainName)),
                ("projectId", Self.string(project.id)),
                ("projectName", Self.string(project.name)),
                ("serviceId", Self.string(service.id)),
                ("serviceName", Self.string(service.name)),
                ("region", Self.string(part.region)),
                ("pricingType", Self.string(part.pricingType)),
                ("usageTime", Self.amount(Int(24 * 100 * project.scale * part.share * 10), asString: random.unit() < 0.2)),
                ("usageSize", random.unit() < 0.1 ? "null" : Self.amount(Int(random.uniform(1...500) * 100), asString: false)),
                ("generalAmount", Self.amount(expect + discount, asString: random.unit() < 0.25)),
                ("discountAmount", Self.amount(discount, asString: false)),
                ("expectAmount", Self.amount(expect, asString: random.unit() < 0.25)),
            ]
            return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        }
    }

    private static func string(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Cents as a decimal number, sometimes quoted, as the API sends either.
    private static func amount(_ cents: Int, asString: Bool) -> String {
        let text = ExactDecimal(significand: Int128(cents), scale: 2).description
        return asString ? "\"\(text)\"" : text
    }
}
