import BillingCore
import BillingTesting
import Foundation
import Testing

@Suite struct DailyDigestTests {
    static let day = CalendarDay("20261125")!
    static let vm = CostKey(domainId: "dom-1", projectId: "prj-1", serviceId: "1")
    static let disk = CostKey(domainId: "dom-1", projectId: "prj-1", serviceId: "2")
    static let gone = CostKey(domainId: "dom-1", projectId: "prj-1", serviceId: "3")

    static func cost(_ day: CalendarDay, _ key: CostKey, _ amount: String) -> DailyCost {
        DailyCost(date: day, key: key, domainName: "Acme", projectName: "storefront", serviceName: "svc \(key.serviceId)", expectAmount: ExactDecimal(amount)!)
    }

    /// Seven earlier days: vm 100 each, disk 10 each, and `gone` 50 on the last three only.
    static let history: [DailyCost] = (1...7).flatMap { offset -> [DailyCost] in
        let earlier = day.adding(days: -offset)
        return [cost(earlier, vm, "100"), cost(earlier, disk, "10")] + (offset <= 3 ? [cost(earlier, gone, "50")] : [])
    }

    func digest(costs: [DailyCost], anomalies: [Anomaly] = [], feedback: [AnomalyFeedback] = [], silences: [Silence] = []) -> DailyDigest {
        DailyDigest(
            total: DailyTotal(date: Self.day, costs: costs, anomalyCount: 0), costs: costs, history: Self.history,
            anomalies: anomalies, feedback: feedback, silences: silences)
    }

    @Test func comparesTheTotalWithTheMedianOfTheWeekBefore() {
        let digest = digest(costs: [Self.cost(Self.day, Self.vm, "300"), Self.cost(Self.day, Self.disk, "10")])
        // Totals: 160 on three days, 110 on four: the median is 110.
        #expect(digest.usualTotal == 110)
        #expect(digest.total.expectAmount == ExactDecimal("310")!)
        #expect(DigestText.sentence(digest) == "The bill for 2026-11-25 was 310 KRW, 200.00 KRW (+182 %) above the usual 110.00 KRW.")
    }

    @Test func theTopMoversAreTheLargestChangesEitherWay() {
        let digest = digest(costs: [Self.cost(Self.day, Self.vm, "300"), Self.cost(Self.day, Self.disk, "10")])
        // vm rose by 200; gone's median over 7 days is 0 (absent on four of them), so it did not move;
        // disk did not move.
        #expect(digest.topMovers.map(\.key) == [Self.vm])
        #expect(digest.topMovers.first?.usual == 100)
        let fell = self.digest(costs: [Self.cost(Self.day, Self.disk, "10")])
        #expect(fell.topMovers.map(\.key) == [Self.vm])
        #expect(fell.topMovers.first?.change == -100)
    }

    /// The daily job finds the day's ten movers to store, and hands them to the digest, which keeps the
    /// first of them rather than going over every key again.
    @Test func moversFoundForALongerListGiveTheDigestTheSameTopMovers() {
        let keys = (0..<30).map { CostKey(domainId: "d", projectId: "p", serviceId: "\($0)") }
        let history = (1...7).flatMap { offset in keys.map { Self.cost(Self.day.adding(days: -offset), $0, "100") } }
        // Each key moves by a different amount, up or down, and a few tie.
        let costs = keys.enumerated().map { index, key in Self.cost(Self.day, key, "\(100 + (index % 2 == 0 ? 1 : -1) * (index / 3) * 7)") }
        let total = DailyTotal(date: Self.day, costs: costs, anomalyCount: 0)
        let movers = DailyDigest.movers(on: Self.day, costs: costs, history: CostHistory(history), top: DailyDigest.keptMovers)
        let found = DailyDigest(total: total, costs: costs, history: CostHistory(history), anomalies: [], feedback: [], silences: [])
        let given = DailyDigest(
            total: total, costs: costs, history: CostHistory(history), anomalies: [], feedback: [], silences: [], movers: movers)
        #expect(movers.count == DailyDigest.keptMovers)
        #expect(given.topMovers.count == 5)
        #expect(given.topMovers == found.topMovers)
        #expect(given == found)
    }

    @Test func openAnomaliesLeaveOutClosedAndSilencedOnesAndKeepTheLatestDetection() throws {
        let early = Fixtures.anomaly(date: "20261125", hour: 9, key: Self.vm)
        let whole = Fixtures.anomaly(date: "20261125", hour: Anomaly.wholeDay, key: Self.vm, observed: "400000")
        let planned = Fixtures.anomaly(date: "20261124", hour: Anomaly.wholeDay, key: Self.disk)
        let silenced = Fixtures.anomaly(date: "20261123", hour: Anomaly.wholeDay, key: Self.gone)
        let old = Fixtures.anomaly(date: "20261118", hour: Anomaly.wholeDay, key: Self.vm)
        let digest = digest(
            costs: [], anomalies: [old, silenced, planned, early, whole],
            feedback: [AnomalyFeedback(date: planned.date, key: Self.disk, verdict: .planned, note: nil, recordedAt: Date())],
            silences: [Silence(id: "s", matchers: try Silence.matchers(parsing: "service=3"), until: Self.day, reason: "r", createdAt: Date())])
        #expect(digest.openAnomalies == [whole])
        #expect(digest.silencedCount == 1)
    }

    /// The moves keep only the top few as they go; they must be the first few of every key's move
    /// sorted whole, ties in change broken by key, on a day with many equal changes and keys that come
    /// and go.
    @Test func theTopMovesAreTheFirstOfAllMovesSortedWhole() {
        var random = SystemRandomNumberGenerator()
        for trial in 0..<20 {
            var history = CostHistory()
            var today: [CostKey: Double] = [:]
            let keys = (0..<Int.random(in: 1...300, using: &random)).map { CostKey(domainId: "d\($0 % 3)", projectId: "p\($0 % 7)", serviceId: "\($0)") }
            var byKey: [CostKey: [Double]] = [:]
            for key in keys {
                for offset in 1...9 where Int.random(in: 0..<4, using: &random) > 0 {
                    // Whole hundreds, so that many keys tie.
                    let amount = Double(Int.random(in: 0...5, using: &random) * 100)
                    history.add(date: Self.day.adding(days: -offset), key: key, amount: amount, isAnomaly: false)
                    if offset <= 7 { byKey[key, default: []].append(amount) }
                }
                if Bool.random(using: &random) { today[key] = Double(Int.random(in: 0...5, using: &random) * 100) }
            }
            // Written out plainly: every key's median of the seven days (a day with some cost and none
            // for the key counting 0), every change, all sorted.
            let days = Set(history.entries.values.flatMap { $0.map(\.day) }.filter { $0 >= Int32(Self.day.daysSinceEpoch - 7) })
            var all: [(key: CostKey, change: Double)] = []
            for key in Set(byKey.keys).union(today.keys) {
                var amounts = byKey[key] ?? []
                amounts += Array(repeating: 0, count: days.count - amounts.count)
                amounts.sort()
                let median = amounts.isEmpty ? 0 : amounts.count % 2 == 1
                    ? amounts[amounts.count / 2] : (amounts[amounts.count / 2 - 1] + amounts[amounts.count / 2]) / 2
                let change = (today[key] ?? 0) - median
                if change != 0 { all.append((key, change)) }
            }
            all.sort { abs($0.change) != abs($1.change) ? abs($0.change) > abs($1.change) : $0.key < $1.key }
            for top in [0, 1, 10, 1_000] {
                let moves = DailyDigest.moves(on: Self.day, today: today, history: history, top: top)
                #expect(moves.map(\.key) == all.prefix(top).map(\.key), "trial \(trial), top \(top)")
                #expect(moves.map(\.change) == all.prefix(top).map(\.change))
            }
        }
    }

    @Test func withoutEarlierDaysItSaysSo() {
        let digest = DailyDigest(
            total: DailyTotal(date: Self.day, costs: [Self.cost(Self.day, Self.vm, "5")], anomalyCount: 0),
            costs: [Self.cost(Self.day, Self.vm, "5")], history: [], anomalies: [], feedback: [], silences: [])
        #expect(digest.usualTotal == nil)
        #expect(DigestText.sentence(digest).contains("no earlier day"))
    }
}
