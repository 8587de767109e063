import BillingCore
import Testing

@Suite struct KeyPatternTests {
    @Test func aPatternMatchesTheIdOrTheNameIgnoringCaseWithStarsForAnyRun() {
        #expect(KeyPattern("Virtual Machine").matches(id: "1", name: "virtual machine"))
        #expect(!KeyPattern("Virtual").matches(id: "1", name: "Virtual Machine"))
        #expect(KeyPattern("virt*").matches(id: "1", name: "Virtual Machine"))
        #expect(KeyPattern("*MACH*").matches(id: "1", name: "Virtual Machine"))
        #expect(KeyPattern("*e").matches(id: "1", name: "Virtual Machine") && !KeyPattern("*x").matches(id: "1", name: "Virtual Machine"))
        #expect(KeyPattern("c4a71cac*").matches(id: "c4a71cac9dfc", name: "Acme"))
        #expect(KeyPattern("1").matches(id: "1", name: "Virtual Machine") && !KeyPattern("1").matches(id: "12", name: "MySQL"))
        #expect(KeyPattern(" ").matches(id: "anything", name: ""))
    }

    @Test func aSearchBoxMatchesAnyNameContainingIt() {
        #expect(KeyPattern.containing("mach").matches(id: "1", name: "Virtual Machine"))
        #expect(KeyPattern.containing("c4a71cac9dfc").matches(id: "c4a71cac9dfc", name: ""))
        #expect(!KeyPattern.containing("sql").matches(id: "1", name: "Virtual Machine"))
    }

    @Test func aFilterNeedsEveryPatternItIsGiven() {
        let key = CostKey(domainId: "d1", projectId: "p1", serviceId: "1")
        let filter = KeyFilter(project: KeyPattern("web"), service: KeyPattern("virtual*"))
        #expect(filter.matches(key, domainName: "Acme", projectName: "WEB", serviceName: "Virtual Machine"))
        #expect(!filter.matches(key, domainName: "Acme", projectName: "api", serviceName: "Virtual Machine"))
        #expect(filter.text == "--project 'web' --service 'virtual*'")
    }
}
