import Foundation

/// What a person types to pick keys by domain, project or service: an id or a name, ignoring case,
/// where `*` stands for any run of characters. An empty pattern matches everything.
public struct KeyPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String

    /// `text` as typed: "Virtual Machine", "virtual*", "*storage*", or an id.
    public init(_ text: String) {
        self.text = text.trimmingCharacters(in: .whitespaces)
    }

    /// A pattern that matches an id exactly or any name containing `text` (a search box).
    public static func containing(_ text: String) -> KeyPattern {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return KeyPattern(trimmed.isEmpty || trimmed.contains("*") ? trimmed : "*\(trimmed)*")
    }

    public var isEmpty: Bool { text.isEmpty }
    public var description: String { text }

    public func matches(id: String, name: String) -> Bool {
        isEmpty || Self.glob(text, matches: id) || Self.glob(text, matches: name)
    }

    /// Case-insensitive, with `*` standing for any run of characters.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let pattern = Array(pattern.lowercased()), text = Array(text.lowercased())
        var p = 0, t = 0, star = -1, resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] != "*", pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

/// Keys picked by domain, project and service patterns together.
public struct KeyFilter: Sendable, Hashable {
    public var domain: KeyPattern
    public var project: KeyPattern
    public var service: KeyPattern

    public init(domain: KeyPattern = KeyPattern(""), project: KeyPattern = KeyPattern(""), service: KeyPattern = KeyPattern("")) {
        self.domain = domain
        self.project = project
        self.service = service
    }

    public static let all = KeyFilter()

    public var isEmpty: Bool { domain.isEmpty && project.isEmpty && service.isEmpty }

    public func matches(_ key: CostKey, domainName: String, projectName: String, serviceName: String) -> Bool {
        domain.matches(id: key.domainId, name: domainName) && project.matches(id: key.projectId, name: projectName)
            && service.matches(id: key.serviceId, name: serviceName)
    }

    /// "--service 'Virtual*' --project web", as given.
    public var text: String {
        [("domain", domain), ("project", project), ("service", service)].filter { !$0.1.isEmpty }
            .map { "--\($0.0) '\($0.1.text)'" }.joined(separator: " ")
    }
}
