import BillingCore
import Foundation

extension DailyCost.Part {
    /// Parts as the stores keep them: a JSON array of objects, amounts as exact decimal strings.
    public static func json(_ parts: [DailyCost.Part]) -> String {
        let objects = parts.map { ["pricingType": $0.pricingType, "region": $0.region, "expectAmount": $0.expectAmount.description] }
        // Sorted keys: the same parts always give the same text, so an unchanged day stays unchanged.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(objects)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// Parts read back from `json(_:)`; nil when the text is not that.
    public static func parts(fromJSON text: String) -> [DailyCost.Part]? {
        guard let objects = try? JSONDecoder().decode([[String: String]].self, from: Data(text.utf8)) else { return nil }
        var parts: [DailyCost.Part] = []
        for object in objects {
            guard let amount = object["expectAmount"].flatMap({ ExactDecimal($0) }) else { return nil }
            parts.append(DailyCost.Part(pricingType: object["pricingType"] ?? "", region: object["region"] ?? "", expectAmount: amount))
        }
        return parts
    }
}

extension DailyCost {
    /// A list of names (pricing types, regions) as the stores keep it: a JSON array of strings.
    public static func listJSON(_ list: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(list)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// A list read back from `listJSON(_:)`; nil when the text is not that.
    public static func list(fromJSON text: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
