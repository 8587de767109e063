import BillingCore
import BillingTesting
import Foundation
import Testing

@Suite struct SilenceTests {
    let anomaly = Fixtures.anomaly(date: "20261125")

    func silence(_ match: String, until: String = "20261130") throws -> Silence {
        Silence(id: "s1", matchers: try Silence.matchers(parsing: match), until: CalendarDay(until)!, reason: "test", createdAt: Date(timeIntervalSince1970: 0))
    }

    @Test func matchesEachFieldByIdOrNameIgnoringCase() throws {
        #expect(try silence("service=virtual machine").matches(anomaly))
        #expect(try silence("service=1").matches(anomaly))
        #expect(try silence("project=storefront,domain=dom-1").matches(anomaly))
        #expect(try !silence("project=payments").matches(anomaly))
        #expect(try !silence("service=Virtual Machine,project=payments").matches(anomaly), "every matcher must match")
    }

    @Test func aStarMatchesAnyRunOfCharacters() throws {
        #expect(try silence("service=Virtual*").matches(anomaly))
        #expect(try silence("project=*front").matches(anomaly))
        #expect(try silence("project=s*o*t").matches(anomaly))
        #expect(try !silence("project=*payments*").matches(anomaly))
        #expect(try silence("domain=*").matches(anomaly))
    }

    @Test func holdsThroughItsLastDayAndNoLonger() throws {
        let silence = try silence("service=1", until: "20261125")
        #expect(silence.isActive(on: CalendarDay("20261125")!))
        #expect(!silence.isActive(on: CalendarDay("20261126")!))
        let later = Fixtures.anomaly(date: "20261126")
        #expect(Silence.silencing(anomaly, among: [silence], on: anomaly.date) == silence)
        #expect(Silence.silencing(later, among: [silence], on: later.date) == nil)
    }

    @Test(arguments: [
        ("", "--match is empty"),
        ("service", "is not KEY=VALUE"),
        ("region=kr-central-2", "use domain, project, service"),
        ("service=", "gives service no value"),
        ("service=1,service=2", "names service twice"),
    ])
    func aBadMatchSaysWhatIsWrong(match: String, message: String) {
        let error = #expect(throws: SilenceError.self) { try Silence.matchers(parsing: match) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    @Test func theMatchTextReadsBackToTheSameMatchers() throws {
        let matchers = try Silence.matchers(parsing: " service = Virtual Machine , project=pay*")
        #expect(matchers.map(\.description).joined(separator: ",") == "service=Virtual Machine,project=pay*")
        #expect(try Silence.matchers(parsing: "service=Virtual Machine,project=pay*") == matchers)
    }
}

@Suite struct AnomalyIDTests {
    @Test func everyHourOfOneKeyAndDayShareTheIdAndItReadsBack() throws {
        let morning = Fixtures.anomaly(date: "20261125", hour: 9)
        let day = Fixtures.anomaly(date: "20261125", hour: Anomaly.wholeDay)
        #expect(morning.id == day.id)
        #expect(morning.id.description.hasPrefix("20261125-") && morning.id.description.count == 17)
        #expect(AnomalyID(morning.id.description) == morning.id)
        #expect(AnomalyID(morning.id.description.uppercased()) == morning.id)
    }

    @Test func anotherKeyOrDayGetsAnotherId() {
        let other = CostKey(domainId: "dom-1", projectId: "prj-1", serviceId: "2")
        #expect(Fixtures.anomaly(key: other).id != Fixtures.anomaly().id)
        #expect(Fixtures.anomaly(date: "20261124").id != Fixtures.anomaly().id)
    }

    @Test(arguments: ["20261125", "20261125-xyz", "2026112-3f9a1c2b", "20261325-3f9a1c2b", "20261125-3f9a1c2"])
    func rejectsWhatIsNotAnId(text: String) {
        #expect(AnomalyID(text) == nil)
    }
}

@Suite struct ChannelRouteTests {
    // 250,000.50 observed against 100,000 expected: +150,000.50, +150 %.
    let anomaly = Fixtures.anomaly(observed: "250000.50", mean: 100_000)

    @Test func admitsWhatIsLargeEnoughInMoneyAndInPercent() {
        #expect(ChannelRoute().admits(anomaly))
        #expect(ChannelRoute(minImpact: 150_000).admits(anomaly))
        #expect(!ChannelRoute(minImpact: 150_001).admits(anomaly))
        #expect(ChannelRoute(minPercent: 150).admits(anomaly))
        #expect(!ChannelRoute(minPercent: 151).admits(anomaly))
        #expect(!ChannelRoute(minImpact: 1, minPercent: 200).admits(anomaly), "both must hold")
    }

    @Test func aDigestOnlyChannelTakesNoAnomalies() {
        #expect(!ChannelRoute(immediate: false, digest: true).admits(anomaly))
    }
}
