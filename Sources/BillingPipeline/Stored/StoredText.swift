import BillingCore
import Foundation

extension DailyCost.Part {
    /// Parts as the stores keep them: a JSON array of objects, amounts as exact decimal strings.
    ///
    /// The text is what `JSONEncoder` with sorted keys writes, so the same parts always give the same
    /// text and an unchanged day stays unchanged, across versions too.
    public static func json(_ parts: [DailyCost.Part]) -> String {
        var text = "["
        // About 60 bytes a part besides its names and amount: one allocation, not one per doubling.
        text.reserveCapacity(parts.reduce(2) { $0 + 64 + $1.pricingType.utf8.count + $1.region.utf8.count })
        for (index, part) in parts.enumerated() {
            if index > 0 { text += "," }
            text += #"{"expectAmount":""#
            text += part.expectAmount.description
            text += #"","pricingType":""#
            JSONText.append(part.pricingType, to: &text)
            text += #"","region":""#
            JSONText.append(part.region, to: &text)
            text += #""}"#
        }
        return text + "]"
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
        var text = "["
        for (index, item) in list.enumerated() {
            text += index == 0 ? "\"" : ",\""
            JSONText.append(item, to: &text)
            text += "\""
        }
        return text + "]"
    }

    /// A list read back from `listJSON(_:)`; nil when the text is not that.
    public static func list(fromJSON text: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
