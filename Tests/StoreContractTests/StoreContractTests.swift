import BillingCore
import BillingPipeline
import BillingTesting
import Foundation
import Testing

/// The store's contract, run against every implementation: SQLite (file and memory) and PostgreSQL.
@Suite struct StoreContractTests {
    static let day = CalendarDay("20261120")!
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func cost(_ service: String, _ amount: String, day: CalendarDay = day, anomaly: Bool = false) -> DailyCost {
        var cost = DailyCost(
            date: day, key: CostKey(domainId: "d", projectId: "p", serviceId: service), domainName: "Acme",
            projectName: "web", serviceName: "Service \(service)", usageTime: ExactDecimal("1.25")!,
            usageSize: ExactDecimal("0.5")!, generalAmount: ExactDecimal("99999999999999.99")!,
            discountAmount: ExactDecimal("0.01")!, expectAmount: ExactDecimal(amount)!,
            pricingTypes: ["ON_DEMAND", "RESERVED"], regions: ["kr-central-2"], rowCount: 4, isAnomaly: anomaly)
        cost.parts = [
            DailyCost.Part(pricingType: "ON_DEMAND", region: "kr-central-2", expectAmount: ExactDecimal("0.01")!),
            DailyCost.Part(pricingType: "RESERVED", region: "kr-central-2", expectAmount: ExactDecimal(amount)! - ExactDecimal("0.01")!),
        ]
        return cost
    }

    func save(_ store: any BillingStore, day: CalendarDay = day, _ costs: [DailyCost], at now: Date = now) async throws {
        var changes = StoreChanges(now: now)
        changes.replacedDays = [day]
        changes.dailyCosts = costs
        try await store.commit(changes)
    }

    @Test(arguments: StoreKind.allCases)
    func keepsMoneyExactAndEveryField(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let cost = Self.cost("1", "12345678901234.5678")
            try await save(store, [cost])
            #expect(try await store.dailyCosts(in: Self.day...Self.day) == [cost])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func replacingADayDropsKeysThatAreGoneAndUpdatesTheRest(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let other = Self.day.adding(days: 1)
            try await save(store, [Self.cost("1", "10"), Self.cost("2", "20")])
            try await save(store, day: other, [Self.cost("1", "5", day: other)])
            try await save(store, [Self.cost("1", "11")])
            let stored = try await store.dailyCosts(in: Self.day...other)
            #expect(stored.map(\.expectAmount) == [ExactDecimal(11), ExactDecimal(5)])
            #expect(stored.map(\.date) == [Self.day, other])
            try await save(store, [])
            #expect(try await store.dailyCosts(in: Self.day...other).map(\.date) == [other])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anUnreadableStoredValueIsAnErrorNamingTheColumn(kind: StoreKind) async throws {
        try await kind.withStore { store, probe in
            try await save(store, [Self.cost("1", "10")])
            try await probe.execute("UPDATE billing_daily SET regions = 'kr-central-2'")
            let error = await #expect(throws: (any Error).self) { try await store.dailyCosts(in: Self.day...Self.day) }
            #expect("\(error.map { "\($0)" } ?? "")".contains("unreadable value in regions (kr-central-2)"))
            try await probe.execute("UPDATE billing_daily SET regions = '[]', date = '2026112'")
            let date = await #expect(throws: (any Error).self) {
                try await store.dailyCosts(in: CalendarDay("20261101")!...CalendarDay("20261130")!)
            }
            #expect("\(date.map { "\($0)" } ?? "")".contains("unreadable value in date (2026112)"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func savingTheSameDayTwiceLeavesTheRowsIdenticalTimestampsIncluded(kind: StoreKind) async throws {
        try await kind.withStore { store, probe in
            try await save(store, [Self.cost("1", "10"), Self.cost("2", "20")], at: Self.now)
            let first = try await probe.dailyTimestamps()
            try await save(store, [Self.cost("1", "10"), Self.cost("2", "20")], at: Self.now.addingTimeInterval(3600))
            #expect(try await probe.dailyTimestamps() == first)
            try await save(store, [Self.cost("1", "10.5"), Self.cost("2", "20")], at: Self.now.addingTimeInterval(7200))
            let changed = try await probe.dailyTimestamps()
            #expect(changed[1] == first[1], "an unchanged row keeps its timestamps")
            #expect(changed[0] != first[0], "a changed row gets a new updated_at")
            #expect(changed[0].split(separator: " ")[1] == first[0].split(separator: " ")[1], "created_at stays")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func baselinesAreReplacedWhole(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            #expect(try await store.baselineWindowEnd() == nil)
            let calculator = BaselineCalculator(windowDays: 7)
            var changes = StoreChanges(now: Self.now)
            changes.baselines = calculator.baselines(
                from: [Self.cost("1", "10"), Self.cost("2", "20")], window: calculator.window(endingOn: Self.day), computedAt: Self.now)
            try await store.commit(changes)
            changes.baselines = calculator.baselines(
                from: [Self.cost("2", "30")], window: calculator.window(endingOn: Self.day), computedAt: Self.now)
            try await store.commit(changes)
            let stored = try await store.baselines()
            #expect(stored.count == 1)
            #expect(stored.first?.key.serviceId == "2" && stored.first?.mean == 30 && stored.first?.sampleCount == 1)
            #expect(stored.first?.windowStart == Self.day.adding(days: -6) && stored.first?.computedAt == Self.now)
            #expect(try await store.baselineWindowEnd() == Self.day)
            // One key's baseline alone: the one stored, or none for a key whose baseline was replaced away.
            #expect(try await store.baseline(of: Self.cost("2", "0").key) == stored.first)
            #expect(try await store.baseline(of: Self.cost("1", "0").key) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAnomalyIsOneRowPerDateHourAndKeyAndKeepsItsNotificationState(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let anomaly = Fixtures.anomaly()
            var changes = StoreChanges(now: Self.now)
            changes.anomalies = [anomaly]
            try await store.commit(changes)
            var sent = StoreChanges(now: Self.now)
            sent.notifications = [
                AnomalyNotification(
                    date: anomaly.date, hour: anomaly.hour, key: anomaly.key, state: NotificationState(status: .sent, at: Self.now, detail: "ok"))
            ]
            try await store.commit(sent)
            var again = anomaly
            again.observed = ExactDecimal(300_000)
            again.explanation = AnomalyExplanation(
                expected: 1, low: 0.5, high: 2, impact: 299_999, reason: "because", driver: "ON_DEMAND in kr-central-2 (+1)",
                rarity: Rarity(days: 40, historyDays: 97))
            changes.anomalies = [again]
            try await store.commit(changes)
            let stored = try await store.anomalies(in: anomaly.date...anomaly.date)
            #expect(stored.count == 1)
            #expect(stored.first?.observed == ExactDecimal(300_000))
            #expect(stored.first?.notification == NotificationState(status: .sent, at: Self.now, detail: "ok"))
            #expect(stored.first?.zScore == anomaly.zScore && stored.first?.ratio == anomaly.ratio)
            #expect(stored.first?.detectedAt == anomaly.detectedAt && stored.first?.domainName == "Acme")
            #expect(stored.first?.explanation == again.explanation)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aZScoreOfNoneStaysNone(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            var anomaly = Fixtures.anomaly()
            anomaly.zScore = nil
            var changes = StoreChanges(now: Self.now)
            changes.anomalies = [anomaly]
            try await store.commit(changes)
            #expect(try await store.anomalies(in: anomaly.date...anomaly.date).first?.zScore == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aFailedCommitLeavesTheStoreAsItWas(kind: StoreKind) async throws {
        try await kind.withStore { store, probe in
            try await save(store, [Self.cost("1", "10")])
            try await probe.refuseHour99()
            var changes = StoreChanges(now: Self.now)
            changes.replacedDays = [Self.day]
            changes.dailyCosts = [Self.cost("2", "20")]
            changes.anomalies = [Fixtures.anomaly(), Fixtures.anomaly()]
            changes.anomalies[1].hour = 99
            changes.jobRuns = [JobRun(job: .daily, date: Self.day, rowCount: 1, keyCount: 1, finishedAt: Self.now)]
            await #expect(throws: (any Error).self) { try await store.commit(changes) }
            #expect(try await store.dailyCosts(in: Self.day...Self.day).map(\.key.serviceId) == ["1"])
            #expect(try await store.anomalies(in: Self.day.adding(days: -30)...Self.day.adding(days: 30)).isEmpty)
            #expect(try await store.completedDays(of: .daily, in: Self.day...Self.day).isEmpty)
            // The store still works after the failure.
            try await save(store, [Self.cost("3", "30")])
            #expect(try await store.dailyCosts(in: Self.day...Self.day).map(\.key.serviceId) == ["3"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func remembersWhichDaysAJobFinished(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            var changes = StoreChanges(now: Self.now)
            changes.jobRuns = [JobRun(job: .daily, date: Self.day, rowCount: 4, keyCount: 1, finishedAt: Self.now)]
            try await store.commit(changes)
            changes.jobRuns = [JobRun(job: .daily, date: Self.day, rowCount: 5, keyCount: 2, finishedAt: Self.now)]
            try await store.commit(changes)
            #expect(try await store.jobRuns(in: Self.day...Self.day) == [JobRun(job: .daily, date: Self.day, rowCount: 5, keyCount: 2, finishedAt: Self.now)])
            let range = Self.day.adding(days: -3)...Self.day.adding(days: 3)
            #expect(try await store.completedDays(of: .daily, in: range) == [Self.day])
            #expect(try await store.completedDays(of: .hourly, in: range).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func readsOnlyTheDaysAskedForInOrder(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            for offset in [3, 0, 2, 1] {
                let day = Self.day.adding(days: offset)
                try await save(store, day: day, [Self.cost("2", "2", day: day), Self.cost("1", "1", day: day)])
            }
            let stored = try await store.dailyCosts(in: Self.day.adding(days: 1)...Self.day.adding(days: 2))
            #expect(stored.map { "\($0.date.compact)/\($0.key.serviceId)" } == ["20261121/1", "20261121/2", "20261122/1", "20261122/2"])
        }
    }

    /// A day judged again holds exactly the anomalies of the new judgement: the others go, with the
    /// deliveries still owed for them; what was delivered stays delivered, and other hours stay as they are.
    @Test(arguments: StoreKind.allCases)
    func aDayJudgedAgainHoldsOnlyTheAnomaliesThatStillStand(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let keys = (1...4).map { CostKey(domainId: "d", projectId: "p", serviceId: "\($0)") }
            let day = Anomaly.wholeDay
            var first = StoreChanges(now: Self.now)
            first.anomalies = keys.map { Fixtures.anomaly(hour: day, key: $0) } + [Fixtures.anomaly(hour: 14, key: keys[0])]
            first.rejudged = [JudgedHour(date: CalendarDay("20261125")!, hour: day)]
            first.deliveries = [
                Delivery(date: CalendarDay("20261125")!, hour: day, key: keys[0], channel: "slack", status: .pending, attempts: 0),
                Delivery(date: CalendarDay("20261125")!, hour: day, key: keys[1], channel: "slack", status: .sent, attempts: 1),
                Delivery(date: CalendarDay("20261125")!, hour: day, key: keys[2], channel: "slack", status: .failed, attempts: 1),
                Delivery(date: CalendarDay("20261125")!, hour: 14, key: keys[0], channel: "slack", status: .pending, attempts: 0),
            ]
            try await store.commit(first)

            var again = StoreChanges(now: Self.now.addingTimeInterval(60))
            again.anomalies = [Fixtures.anomaly(hour: day, key: keys[3], observed: "260000")]
            again.rejudged = [JudgedHour(date: CalendarDay("20261125")!, hour: day)]
            try await store.commit(again)

            let stored = try await store.anomalies(in: CalendarDay("20261125")!...CalendarDay("20261125")!)
            #expect(stored.map { "\($0.hour) \($0.key.serviceId) \($0.observed)" }.sorted() == ["14 1 250000.5", "24 4 260000"])
            let deliveries = try await store.deliveries(in: CalendarDay("20261125")!...CalendarDay("20261125")!)
            #expect(deliveries.map { "\($0.hour) \($0.key.serviceId) \($0.status)" }.sorted() == [
                "14 1 pending", "24 1 withdrawn", "24 2 sent", "24 3 withdrawn",
            ])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func keepsOneDeliveryPerAnomalyAndChannel(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let anomaly = Fixtures.anomaly()
            var changes = StoreChanges(now: Self.now)
            changes.deliveries = ["slack", "webhook"].map {
                Delivery(date: anomaly.date, hour: anomaly.hour, key: anomaly.key, channel: $0, status: .pending, attempts: 0)
            }
            try await store.commit(changes)
            changes.deliveries = [
                Delivery(date: anomaly.date, hour: anomaly.hour, key: anomaly.key, channel: "slack", status: .rejected, attempts: 1, lastError: "HTTP 400")
            ]
            try await store.commit(changes)
            let stored = try await store.deliveries(in: anomaly.date...anomaly.date)
            #expect(stored.map(\.channel) == ["slack", "webhook"])
            #expect(stored.map(\.status) == [.rejected, .pending] && stored.first?.lastError == "HTTP 400" && stored.first?.attempts == 1)
            #expect(try await store.deliveries(in: anomaly.date.adding(days: 1)...anomaly.date.adding(days: 2)).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func keepsSilencesUntilRemoved(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let silence = Silence(
                id: "a1b2c3d4", matchers: try Silence.matchers(parsing: "service=Virtual*,project=pay ments"),
                until: Self.day, reason: "migration; don't page", createdAt: Self.now)
            var changes = StoreChanges(now: Self.now)
            changes.silences = [silence, Silence(id: "00000001", matchers: silence.matchers, until: Self.day, reason: "x", createdAt: Self.now)]
            try await store.commit(changes)
            #expect(try await store.silences().map(\.id) == ["00000001", "a1b2c3d4"])
            #expect(try await store.silences().last == silence)
            changes = StoreChanges(now: Self.now)
            changes.removedSilences = ["00000001"]
            try await store.commit(changes)
            #expect(try await store.silences() == [silence])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func keepsOneVerdictPerAnomalyAndFlagsItsDay(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await save(store, [Self.cost("1", "10", anomaly: true), Self.cost("2", "20", anomaly: true)])
            let key = CostKey(domainId: "d", projectId: "p", serviceId: "1")
            var changes = StoreChanges(now: Self.now)
            changes.feedback = [AnomalyFeedback(date: Self.day, key: key, verdict: .planned, note: "batch", recordedAt: Self.now)]
            try await store.commit(changes)
            let later = Self.now.addingTimeInterval(60)
            changes = StoreChanges(now: later)
            changes.feedback = [AnomalyFeedback(date: Self.day, key: key, verdict: .notAnomaly, note: nil, recordedAt: later)]
            changes.anomalyFlags = [AnomalyFlag(date: Self.day, key: key, isAnomaly: false)]
            try await store.commit(changes)
            let stored = try await store.feedback(in: Self.day...Self.day)
            #expect(stored == [AnomalyFeedback(date: Self.day, key: key, verdict: .notAnomaly, note: nil, recordedAt: later)])
            #expect(try await store.feedback(in: Self.day.adding(days: 1)...Self.day.adding(days: 1)).isEmpty)
            #expect(try await store.dailyCosts(in: Self.day...Self.day).map(\.isAnomaly) == [false, true])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func keepsEveryRowOfADayLargerThanOneWriteBatch(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let costs = (0..<4_500).map { Self.cost(String(format: "%05d", $0), "\($0).25", anomaly: $0 % 7 == 0) }
            try await save(store, costs)
            #expect(try await store.dailyCosts(in: Self.day...Self.day) == costs)
            var changes = StoreChanges(now: Self.now)
            changes.baselines = costs.map {
                Baseline(key: $0.key, statistics: SampleStatistics([1, 2, 3])!, windowStart: Self.day, windowEnd: Self.day, computedAt: Self.now)
            }
            changes.intraday = IntradaySnapshots(costs: costs, hour: 9)
            try await store.commit(changes)
            #expect(try await store.baselines().count == 4_500)
            #expect(try await store.intradaySnapshots(in: Self.day...Self.day, hour: 9).map(\.expectAmount) == costs.map(\.expectAmount))
        }
    }

    /// The one-pass read gives the daily job what reading every row did: equal baselines, and the
    /// same full rows for the keys asked for. The days are stored newest first; PostgreSQL is made to
    /// read them as stored (no index, no sort), so each key's days come back out of order and the
    /// store must put them in order.
    @Test(arguments: StoreKind.allCases)
    func historyReadInOnePassEqualsTheRowsItSummarises(kind: StoreKind) async throws {
        try await kind.withStore { store, probe in
            var all: [DailyCost] = []
            for offset in 0..<12 {
                let day = Self.day.adding(days: -offset)
                let costs = (1...6).map { Self.cost(String($0), "\(1000 + offset * 37 + $0 * 101).\(offset)7", day: day, anomaly: ($0 + offset) % 5 == 0) }
                try await save(store, day: day, costs)
                all += costs
            }
            if kind == .postgres {
                for setting in ["enable_indexscan", "enable_indexonlyscan", "enable_bitmapscan", "enable_sort"] {
                    try await probe.execute("SET \(setting) = off")
                }
            }
            let range = Self.day.adding(days: -11)...Self.day
            let history = try await store.costHistory(in: range)
            #expect(history.rowCount == all.count)
            let days = (0..<12).reversed().map { Int32(Self.day.adding(days: -$0).daysSinceEpoch) }
            #expect(history.entries.count == 6 && history.entries.values.allSatisfy { $0.map(\.day) == days })
            let calculator = BaselineCalculator(windowDays: 10)
            let window = calculator.window(endingOn: Self.day)
            let straightforward = calculator.baselines(from: try await store.dailyCosts(in: range), window: window, computedAt: Self.now)
            #expect(calculator.baselines(from: history, window: window, computedAt: Self.now) == straightforward)
            #expect(straightforward.count == 6)
            let keys = [all[0].key, all[3].key]
            let some = try await store.dailyCosts(of: keys, in: Self.day.adding(days: -2)...Self.day)
            #expect(some == all.filter { keys.contains($0.key) && $0.date >= Self.day.adding(days: -2) }.sorted { ($0.date, $0.key) < ($1.date, $1.key) })
        }
    }

    /// The jobs read history from its own narrow table: it must follow every write of billing_daily
    /// (a day replaced with keys gone, a cost of another day upserted, a verdict flipping a day's flag),
    /// with each amount the exact text's double.
    @Test(arguments: StoreKind.allCases)
    func theHistoryFollowsEveryWriteOfTheDays(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let other = Self.day.adding(days: -1)
            try await save(store, [Self.cost("1", "10.1"), Self.cost("2", "12345678901234.07", anomaly: true), Self.cost("3", "3")])
            try await save(store, day: other, [Self.cost("1", "7", day: other)])
            // The day again, key 3 gone and key 1 changed; then a lone upsert of another day's key.
            try await save(store, [Self.cost("1", "11.5"), Self.cost("2", "12345678901234.07", anomaly: true)])
            var changes = StoreChanges(now: Self.now)
            changes.dailyCosts = [Self.cost("4", "0.3", day: other)]
            changes.anomalyFlags = [AnomalyFlag(date: Self.day, key: Self.cost("2", "0").key, isAnomaly: false)]
            try await store.commit(changes)

            let history = try await store.costHistory(in: other...Self.day)
            let written = try await store.dailyCosts(in: other...Self.day)
            #expect(written.map(\.key.serviceId) == ["1", "4", "1", "2"])
            #expect(history.rowCount == written.count)
            for cost in written {
                let entry = history.entries[cost.key]?.first { $0.date == cost.date }
                #expect(entry?.amount == cost.expectAmount.doubleValue, "\(cost.key) \(cost.date)")
                #expect(entry?.isAnomaly == cost.isAnomaly, "\(cost.key) \(cost.date)")
            }
            #expect(history.entries[Self.cost("2", "0").key]?.map(\.amount) == [12345678901234.07])
            #expect(history.entries[Self.cost("2", "0").key]?.map(\.isAnomaly) == [false])
            #expect(history.entries[Self.cost("3", "0").key] == nil)
            #expect(try await store.costHistory(in: Self.day.adding(days: 1)...Self.day.adding(days: 9)).rowCount == 0)

            // A run about to replace the day reads the others only, and how many keys the day holds.
            let others = try await store.costHistory(in: other...Self.day, skipping: Self.day)
            #expect(others.entries.mapValues { $0.map(\.date) } == [Self.cost("1", "0").key: [other], Self.cost("4", "0").key: [other]])
            #expect(try await store.costHistory(in: other...Self.day, skipping: Self.day.adding(days: 3)).rowCount == 4)
            #expect(try await store.keyCount(on: Self.day) == 2)
            #expect(try await store.keyCount(on: other) == 2)
            #expect(try await store.keyCount(on: Self.day.adding(days: 1)) == 0)
        }
    }

    /// Each service's total per day, to the last digit: sums written out by hand, over domains and
    /// projects, with amounts whose binary floating-point sum would be off.
    @Test(arguments: StoreKind.allCases)
    func sumsEachServicesDayExactlyOverItsKeys(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            func cost(_ project: String, _ service: String, _ amount: String, day: CalendarDay = Self.day) -> DailyCost {
                var cost = Self.cost(service, amount, day: day)
                cost.key.projectId = project
                return cost
            }
            let next = Self.day.adding(days: 1)
            try await save(store, [cost("a", "1", "0.1"), cost("b", "1", "0.2"), cost("c", "1", "12345678901234.07"), cost("a", "2", "5")])
            try await save(store, day: next, [cost("a", "2", "0.3", day: next), cost("b", "2", "0.6", day: next)])
            try await save(store, day: next.adding(days: 1), [cost("a", "1", "7", day: next.adding(days: 1))])
            let totals = try await store.serviceTotals(in: Self.day...next)
            #expect(
                totals == [
                    ServiceDayTotal(date: Self.day, serviceId: "1", serviceName: "Service 1", amount: ExactDecimal("12345678901234.37")!, keyCount: 3),
                    ServiceDayTotal(date: Self.day, serviceId: "2", serviceName: "Service 2", amount: ExactDecimal("5")!, keyCount: 1),
                    ServiceDayTotal(date: next, serviceId: "2", serviceName: "Service 2", amount: ExactDecimal("0.9")!, keyCount: 2),
                ])
        }
    }

    /// The totals follow the day: a key that vanishes from a day run again leaves its service's total,
    /// and a changed amount changes it.
    @Test(arguments: StoreKind.allCases)
    func eachServicesTotalFollowsADayRunAgain(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            var first = Self.cost("1", "5.25")
            first.key.projectId = "a"
            var second = Self.cost("1", "1.5")
            second.key.projectId = "b"
            try await save(store, [first, second, Self.cost("2", "9")])
            second.expectAmount = ExactDecimal("2.75")!
            try await save(store, [second])
            let totals = try await store.serviceTotals(in: Self.day...Self.day)
            #expect(totals.map { "\($0.serviceId) \($0.amount) \($0.keyCount)" } == ["1 2.75 1"])
            // Costs added to a day without replacing it join what the day holds.
            var added = StoreChanges(now: Self.now)
            added.dailyCosts = [Self.cost("2", "4")]
            try await store.commit(added)
            let joined = try await store.serviceTotals(in: Self.day...Self.day)
            #expect(joined.map { "\($0.serviceId) \($0.amount) \($0.keyCount)" } == ["1 2.75 1", "2 4 1"])
        }
    }

    /// Each day's movers come back as they were kept, in order, to the last digit; keeping a day's
    /// movers again replaces only that day's.
    @Test(arguments: StoreKind.allCases)
    func keepsEachDaysMoversInOrderAndReplacesThemWithTheDay(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            func mover(_ service: String, _ amount: String, usual: Double, named: Bool = true) -> DailyDigest.Mover {
                DailyDigest.Mover(
                    key: CostKey(domainId: "d", projectId: "p", serviceId: service), domainName: named ? "Acme" : "",
                    projectName: named ? "web" : "", serviceName: named ? "Service \(service)" : "", amount: ExactDecimal(amount)!,
                    usual: usual)
            }
            let next = Self.day.adding(days: 1)
            let first = [mover("9", "12345678901234.07", usual: 100.25), mover("1", "0", usual: 70, named: false), mover("4", "0.1", usual: 0)]
            var changes = StoreChanges(now: Self.now)
            changes.movers = [Self.day: first, next: [mover("2", "5", usual: 1)]]
            try await store.commit(changes)
            #expect(try await store.movers(on: Self.day) == first)
            #expect(try await store.movers(on: Self.day.adding(days: -1)) == [])

            var again = StoreChanges(now: Self.now)
            again.movers = [Self.day: [mover("3", "7.5", usual: 2.5)]]
            try await store.commit(again)
            #expect(try await store.movers(on: Self.day) == [mover("3", "7.5", usual: 2.5)])
            #expect(try await store.movers(on: next) == [mover("2", "5", usual: 1)])
        }
    }
}
