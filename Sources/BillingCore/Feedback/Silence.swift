import Foundation

/// Holds back alerts for the anomalies it matches until a day has passed; they are still detected
/// and stored, just not sent.
public struct Silence: Sendable, Hashable {
    public var id: String
    public var matchers: [Matcher]
    /// The last day (in the store's time zone) the silence holds.
    public var until: CalendarDay
    public var reason: String
    public var createdAt: Date

    public init(id: String, matchers: [Matcher], until: CalendarDay, reason: String, createdAt: Date) {
        self.id = id
        self.matchers = matchers
        self.until = until
        self.reason = reason
        self.createdAt = createdAt
    }

    /// Whether it holds on `day`.
    public func isActive(on day: CalendarDay) -> Bool { day <= until }

    /// Whether every matcher matches the anomaly.
    public func matches(_ anomaly: Anomaly) -> Bool {
        matchers.allSatisfy { $0.matches(anomaly) }
    }

    /// The first silence active on `day` that matches the anomaly.
    public static func silencing(_ anomaly: Anomaly, among silences: [Silence], on day: CalendarDay) -> Silence? {
        silences.first { $0.isActive(on: day) && $0.matches(anomaly) }
    }

    /// `service=Virtual Machine,project=payments`, as stored and shown.
    public var matchText: String {
        matchers.map(\.description).joined(separator: ",")
    }
}

extension Silence {
    /// One condition: a field equals a value, compared with both the id and the name; `*` in the value
    /// matches any run of characters.
    public struct Matcher: Sendable, Hashable, CustomStringConvertible {
        public enum Field: String, Sendable, Hashable, CaseIterable {
            case domain, project, service
        }

        public var field: Field
        public var value: String

        public init(field: Field, value: String) {
            self.field = field
            self.value = value
        }

        public var description: String { "\(field.rawValue)=\(value)" }

        public func matches(_ anomaly: Anomaly) -> Bool {
            let (id, name): (String, String) = switch field {
            case .domain: (anomaly.key.domainId, anomaly.domainName)
            case .project: (anomaly.key.projectId, anomaly.projectName)
            case .service: (anomaly.key.serviceId, anomaly.serviceName)
            }
            return KeyPattern(value).matches(id: id, name: name)
        }
    }

    /// Reads `KEY=VALUE,...` as given to `silence add --match`.
    public static func matchers(parsing text: String) throws(SilenceError) -> [Matcher] {
        let pairs = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !pairs.isEmpty else { throw SilenceError(.emptyMatch) }
        var matchers: [Matcher] = []
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "=") else { throw SilenceError(.notAPair(pair)) }
            let name = pair[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard let field = Matcher.Field(rawValue: name) else { throw SilenceError(.unknownField(name)) }
            guard !value.isEmpty else { throw SilenceError(.emptyValue(name)) }
            guard !matchers.contains(where: { $0.field == field }) else { throw SilenceError(.repeatedField(name)) }
            matchers.append(Matcher(field: field, value: value))
        }
        return matchers
    }
}

/// A silence that cannot be made as asked.
public struct SilenceError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: Sendable, Hashable {
        case emptyMatch
        case notAPair(String)
        case unknownField(String)
        case emptyValue(String)
        case repeatedField(String)
    }

    let code: Code

    init(_ code: Code) {
        self.code = code
    }

    public var description: String {
        let fields = Silence.Matcher.Field.allCases.map(\.rawValue).joined(separator: ", ")
        return switch code {
        case .emptyMatch:
            "--match is empty; give at least one KEY=VALUE, such as --match service=Virtual Machine,project=payments"
        case .notAPair(let text):
            "'\(text)' in --match is not KEY=VALUE; write it as, for example, service=Virtual Machine"
        case .unknownField(let name):
            "--match cannot match on '\(name)'; use \(fields) (each compared with the id and the name)"
        case .emptyValue(let name):
            "--match gives \(name) no value; write \(name)=VALUE, with * for any run of characters"
        case .repeatedField(let name):
            "--match names \(name) twice; a silence matches one value per field, so add a second silence for the other value"
        }
    }
}
