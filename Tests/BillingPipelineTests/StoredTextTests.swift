import BillingCore
import Foundation
import Testing

@testable import BillingPipeline

@Suite struct StoredTextTests {
    /// The stores compare a day's stored text with the new one to leave unchanged rows alone, so the
    /// text must stay what the encoder with sorted keys wrote before.
    @Test func partsAreTheTextFoundationsEncoderWritesWithSortedKeys() throws {
        let partsOfKeys: [[DailyCost.Part]] = [
            [],
            [DailyCost.Part(pricingType: "ON_DEMAND", region: "kr-central-2", expectAmount: try #require(ExactDecimal("12345678901234.07")))],
            [
                DailyCost.Part(pricingType: "", region: "", expectAmount: .zero),
                DailyCost.Part(pricingType: "RESERVED/1y \"A\"", region: "서울\n", expectAmount: try #require(ExactDecimal("-0.5"))),
            ],
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for parts in partsOfKeys {
            let objects = parts.map { ["pricingType": $0.pricingType, "region": $0.region, "expectAmount": $0.expectAmount.description] }
            #expect(DailyCost.Part.json(parts) == String(decoding: try encoder.encode(objects), as: UTF8.self))
            #expect(DailyCost.Part.parts(fromJSON: DailyCost.Part.json(parts)) == parts)
        }
        for list in [[], ["ON_DEMAND"], ["kr-central-1", "kr/central \"2\""]] as [[String]] {
            #expect(DailyCost.listJSON(list) == String(decoding: try JSONEncoder().encode(list), as: UTF8.self))
            #expect(DailyCost.list(fromJSON: DailyCost.listJSON(list)) == list)
        }
    }
}
