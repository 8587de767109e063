import Testing

@testable import BillingApp

@Suite struct BackfillProgressTests {
    /// The time left is the days still to go at the pace of the days fetched so far.
    @Test func saysTheDaysDoneAndTheTimeLeftAtThePaceOfTheFetchedDays() {
        let start = ContinuousClock.now
        var progress = BackfillProgress(total: 10, started: start)
        #expect(progress.step(fetched: false, at: start) == "(1 of 10 days)")
        #expect(progress.step(fetched: true, at: start + .seconds(30)) == "(2 of 10 days, about 4 min 0 s left)")
        #expect(progress.step(fetched: true, at: start + .seconds(40)) == "(3 of 10 days, about 2 min 20 s left)")
        for second in 1...6 { _ = progress.step(fetched: true, at: start + .seconds(40 + second)) }
        #expect(progress.step(fetched: true, at: start + .seconds(47)) == "(10 of 10 days)")
    }
}
