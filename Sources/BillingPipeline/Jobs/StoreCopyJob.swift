import BillingCore
import Foundation

/// Copies everything from one store into an empty one, then checks that row counts and sums match.
public struct StoreCopyJob: Sendable {
    /// Every day a store can hold.
    public static let allDays = CalendarDay(year: 1970, month: 1, day: 1)!...CalendarDay(year: 9999, month: 12, day: 31)!

    public init() {}

    /// `progress` hears each step as it starts, for a copy that may take minutes.
    public func copy(
        from source: any JobStore, to destination: any JobStore, now: Date, progress: (String) -> Void = { _ in }
    ) async throws -> StoreCopySummary {
        let existing = try await StoreCopySummary(destination)
        guard existing.isEmpty else { throw StoreCopyError.destinationNotEmpty(existing) }
        progress("reading the source (1 of 3)")
        let costs = try await source.dailyCosts(in: Self.allDays)
        var changes = StoreChanges(now: now)
        changes.replacedDays = Array(Set(costs.map(\.date))).sorted()
        changes.dailyCosts = costs
        for day in changes.replacedDays {
            let movers = try await source.movers(on: day)
            if !movers.isEmpty { changes.movers[day] = movers }
        }
        changes.baselines = try await source.baselines()
        changes.anomalies = try await source.anomalies(in: Self.allDays)
        changes.jobRuns = try await source.jobRuns(in: Self.allDays)
        changes.intraday = IntradaySnapshots(try await Self.intraday(source))
        changes.deliveries = try await source.deliveries(in: Self.allDays)
        changes.silences = try await source.silences()
        changes.feedback = try await source.feedback(in: Self.allDays)
        progress("writing \(costs.count) daily rows of \(changes.replacedDays.count) days and the rest in one transaction (2 of 3)")
        try await destination.commit(changes)
        progress("checking counts and sums (3 of 3)")
        let expected = try await StoreCopySummary(source)
        let copied = try await StoreCopySummary(destination)
        guard copied == expected else { throw StoreCopyError.mismatch(expected: expected, copied: copied) }
        return copied
    }
}

extension StoreCopyJob {
    static func intraday(_ store: any JobStore) async throws -> [IntradaySnapshot] {
        var snapshots: [IntradaySnapshot] = []
        for hour in 0..<24 { snapshots += try await store.intradaySnapshots(in: allDays, hour: hour) }
        return snapshots
    }
}

/// What a store holds, counted and summed, to prove a copy lost nothing.
public struct StoreCopySummary: Sendable, Hashable, CustomStringConvertible {
    public var dailyRows = 0
    public var dailyExpectAmount = ExactDecimal.zero
    public var dailyGeneralAmount = ExactDecimal.zero
    public var movers = 0
    public var baselines = 0
    public var anomalies = 0
    public var anomalyObserved = ExactDecimal.zero
    public var jobRuns = 0
    public var intradaySnapshots = 0
    public var deliveries = 0
    public var silences = 0
    public var feedback = 0

    init(_ store: any JobStore) async throws {
        let costs = try await store.dailyCosts(in: StoreCopyJob.allDays)
        dailyRows = costs.count
        dailyExpectAmount = costs.reduce(.zero) { $0 + $1.expectAmount }
        dailyGeneralAmount = costs.reduce(.zero) { $0 + $1.generalAmount }
        for day in Set(costs.map(\.date)) { movers += try await store.movers(on: day).count }
        baselines = try await store.baselines().count
        let anomalies = try await store.anomalies(in: StoreCopyJob.allDays)
        self.anomalies = anomalies.count
        anomalyObserved = anomalies.reduce(.zero) { $0 + $1.observed }
        jobRuns = try await store.jobRuns(in: StoreCopyJob.allDays).count
        intradaySnapshots = try await StoreCopyJob.intraday(store).count
        deliveries = try await store.deliveries(in: StoreCopyJob.allDays).count
        silences = try await store.silences().count
        feedback = try await store.feedback(in: StoreCopyJob.allDays).count
    }

    var isEmpty: Bool {
        dailyRows == 0 && baselines == 0 && anomalies == 0 && jobRuns == 0 && intradaySnapshots == 0 && deliveries == 0
            && silences == 0 && feedback == 0
    }

    public var description: String {
        "\(dailyRows) daily rows (expectAmount \(dailyExpectAmount), generalAmount \(dailyGeneralAmount)), \(movers) top movers, "
            + "\(baselines) baselines, "
            + "\(anomalies) anomalies (observed \(anomalyObserved)), \(jobRuns) job runs, \(intradaySnapshots) intraday snapshots, "
            + "\(deliveries) alert deliveries, \(silences) silences, \(feedback) feedback entries"
    }
}

public struct StoreCopyError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case destinationNotEmpty(StoreCopySummary)
        case mismatch(expected: StoreCopySummary, copied: StoreCopySummary)
    }

    private let code: Code

    static func destinationNotEmpty(_ summary: StoreCopySummary) -> Self { Self(code: .destinationNotEmpty(summary)) }
    static func mismatch(expected: StoreCopySummary, copied: StoreCopySummary) -> Self {
        Self(code: .mismatch(expected: expected, copied: copied))
    }

    public var description: String {
        switch code {
        case .destinationNotEmpty(let summary):
            return "the destination store is not empty (\(summary)); copy into a new, empty database, or drop its tables first"
        case .mismatch(let expected, let copied):
            return "the copy does not match its source: expected \(expected), found \(copied); the source is unchanged, so drop the destination's tables and copy again"
        }
    }
}
