/// Which thresholds must be crossed for an anomaly: `z`, `ratio` and `impact` joined by `and` and `or`
/// (`and` binds tighter), such as `impact and z and ratio` or `impact and z or impact and ratio`.
public struct DetectionRule: Sendable, Hashable, CustomStringConvertible {
    public enum Term: String, Sendable, Hashable, CaseIterable {
        case z, ratio, impact
    }

    /// Alternatives, each a set of terms that must all hold.
    public let alternatives: [[Term]]

    public static let `default` = DetectionRule(alternatives: [[.impact, .z, .ratio]])

    public init(alternatives: [[Term]]) {
        self.alternatives = alternatives
    }

    /// Parses the text form; nil when it is not one.
    public init?(_ text: String) {
        let words = text.lowercased().split(separator: " ").map(String.init)
        guard !words.isEmpty, words.count % 2 == 1 else { return nil }
        var alternatives: [[Term]] = [[]]
        for (index, word) in words.enumerated() {
            if index % 2 == 0 {
                guard let term = Term(rawValue: word) else { return nil }
                alternatives[alternatives.count - 1].append(term)
            } else if word == "or" {
                alternatives.append([])
            } else if word != "and" {
                return nil
            }
        }
        self.init(alternatives: alternatives)
    }

    public func holds(_ crossed: Set<Term>) -> Bool {
        alternatives.contains { $0.allSatisfy(crossed.contains) }
    }

    public var description: String {
        alternatives.map { $0.map(\.rawValue).joined(separator: " and ") }.joined(separator: " or ")
    }
}
