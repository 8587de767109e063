import BillingCore
import BillingPipeline
import Foundation
import KakaoBilling
import Yams

/// Reads the config file and the environment into an `AppConfiguration`; the one place that does.
public struct ConfigLoader: Sendable {
    public static let defaultPath = "config/settings.yaml"

    /// Environment variables that override the file; secrets can live here instead of in the file.
    public enum Variable {
        public static let credentialId = "BILLING_API_CREDENTIAL_ID"
        public static let credentialSecret = "BILLING_API_CREDENTIAL_SECRET"
        public static let baseURL = "BILLING_API_BASE_URL"
        public static let objectStorageAccessKey = "OBJECT_STORAGE_ACCESS_KEY"
        public static let objectStorageSecretKey = "OBJECT_STORAGE_SECRET_KEY"
        public static let slackWebhookURL = "SLACK_WEBHOOK_URL"
        public static let kakaoWorkWebhookURL = "KAKAOWORK_WEBHOOK_URL"
        public static let webhookURL = "ALERT_WEBHOOK_URL"
        public static let storeURL = "BILLING_ALERT_STORE_URL"
        public static let storePassword = "BILLING_ALERT_STORE_PASSWORD"
        public static let archiveURL = "BILLING_ALERT_ARCHIVE_URL"
        public static let serveToken = "BILLING_ALERT_SERVE_TOKEN"
    }

    public var environment: [String: String]

    /// Where a relative config path is looked up: the working directory.
    public var directory: String

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String = FileManager.default.currentDirectoryPath
    ) {
        self.environment = environment
        self.directory = directory
    }

    /// The PostgreSQL password from the environment, which wins over one in store.url.
    var storePassword: String? {
        environment[Variable.storePassword].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Loads `path`, or the default path when nil; without a file at the default path, the embedded
    /// default. A path that was asked for must exist.
    public func load(path: String?) throws -> AppConfiguration {
        let file = path ?? Self.defaultPath
        let located = file.hasPrefix("/") ? file : directory + "/" + file
        guard FileManager.default.fileExists(atPath: located) else {
            if path != nil { throw ConfigError.fileMissing(file) }
            var configuration = AppConfiguration.embeddedDefault()
            try applyEnvironment(to: &configuration, origin: configuration.origin)
            try resolveArchive(&configuration, url: nil, origin: configuration.origin)
            return configuration
        }
        // A device (such as /dev/null), a folder or a pipe is no config file.
        guard (try? FileManager.default.attributesOfItem(atPath: located)[.type] as? FileAttributeType) == .typeRegular else {
            throw ConfigError.notAFile(file)
        }
        let text: String
        do {
            text = try String(contentsOfFile: located, encoding: .utf8)
        } catch {
            throw ConfigError.unreadable(file, reason: FileFailure.reason(error))
        }
        return try parse(yaml: text, origin: file)
    }

    public func parse(yaml text: String, origin: String) throws -> AppConfiguration {
        let node = try ConfigTree.compose(text, origin: origin)
        let tree = node.map(ConfigTree.plain)
        let sections = (tree as? [String: Any]) ?? [:]
        if tree != nil, !(tree is [String: Any]) {
            throw ConfigError.invalidYAML(origin, reason: "the top level must be a mapping of sections")
        }
        try checkKeys(sections, origin: origin)
        if sections["mongo"] != nil, sections["store"] == nil {
            throw ConfigError.mongoOnly(origin)
        }
        let file: ConfigFile
        do {
            file = try YAMLDecoder().decode(ConfigFile.self, from: node ?? Node([(Node, Node)]()))
        } catch let error as DecodingError {
            throw Self.invalidValue(error, origin: origin)
        } catch {
            throw ConfigError.invalidYAML(origin, reason: ConfigTree.reason(error))
        }
        var configuration = AppConfiguration.embeddedDefault()
        configuration.origin = origin
        var archiveURL: String?
        try apply(file, to: &configuration, archiveURL: &archiveURL, origin: origin)
        if sections["mongo"] != nil {
            configuration.notes.append("the mongo section is ignored: the store is \(configuration.store)")
        }
        try applyEnvironment(to: &configuration, origin: origin)
        try resolveArchive(&configuration, url: archiveURL, origin: origin)
        return configuration
    }

    /// Settles the archive once the file and the environment have both been read.
    func resolveArchive(_ configuration: inout AppConfiguration, url fileURL: String?, origin: String) throws {
        let environmentURL = environment[Variable.archiveURL].flatMap { $0.isEmpty ? nil : $0 }
        configuration.archive = try Self.archive(
            environmentURL ?? fileURL, key: environmentURL == nil ? "archive.url" : Variable.archiveURL,
            origin: environmentURL == nil ? origin : "the environment", storage: configuration.objectStorage,
            spool: configuration.spoolDirectory, fallback: configuration.archive)
        if case .folder = configuration.archive, configuration.objectStorage.bucket != nil {
            configuration.notes.append("objectStorage.bucket is set, but archive.url points at a folder, so raw data goes to \(configuration.archive)")
        }
    }

    private func checkKeys(_ sections: [String: Any], origin: String) throws {
        for (section, value) in sections {
            guard let known = ConfigFile.knownKeys[section] else {
                throw ConfigError.unknownKey(origin, key: section, suggestion: Self.closest(section, in: ConfigFile.knownKeys.keys))
            }
            guard let keys = (value as? [String: Any])?.keys else { continue }
            for key in keys where !known.contains(key) {
                throw ConfigError.unknownKey(
                    origin, key: "\(section).\(key)", suggestion: Self.closest(key, in: known).map { "\(section).\($0)" })
            }
        }
        let routes = (sections["alert"] as? [String: Any])?["channels"] as? [String: Any] ?? [:]
        for (channel, route) in routes {
            guard ConfigFile.channelNames.contains(channel) else {
                throw ConfigError.unknownKey(
                    origin, key: "alert.channels.\(channel)",
                    suggestion: Self.closest(channel, in: ConfigFile.channelNames).map { "alert.channels.\($0)" })
            }
            for key in (route as? [String: Any])?.keys ?? [:].keys where !ConfigFile.routeKeys.contains(key) {
                throw ConfigError.unknownKey(
                    origin, key: "alert.channels.\(channel).\(key)",
                    suggestion: Self.closest(key, in: ConfigFile.routeKeys).map { "alert.channels.\(channel).\($0)" })
            }
        }
    }

    /// A known name that differs only in case or by a letter or two.
    static func closest(_ name: String, in candidates: some Sequence<String>) -> String? {
        candidates.first { $0.lowercased() == name.lowercased() }
            ?? candidates.min { editDistance($0, name) < editDistance($1, name) }.flatMap { editDistance($0, name) <= 2 ? $0 : nil }
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The key and what it takes, in the file's words rather than the decoder's ("Expected to decode
    /// Int but found Scalar instead").
    private static func invalidValue(_ error: DecodingError, origin: String) -> ConfigError {
        let (context, expected): (DecodingError.Context?, String) = switch error {
        case .typeMismatch(let type, let context): (context, kind(of: type))
        case .valueNotFound(let type, let context): (context, kind(of: type) + ", not an empty value")
        case .dataCorrupted(let context): (context, "a value of the key's kind (see config/settings_example.yaml)")
        default: (nil, "a value of the key's kind (see config/settings_example.yaml)")
        }
        let key = context?.codingPath.map(\.stringValue).joined(separator: ".") ?? "a value"
        return ConfigError.invalidValue(origin, key: key, value: nil, expected: expected)
    }

    /// What a YAML value of `type` looks like.
    static func kind(of type: Any.Type) -> String {
        switch type {
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a single value such as text or a number"
        case is [String].Type, is Node.Sequence.Type: "a list of values"
        // The reader names what it needed in its own terms: one value, where a list or section stood.
        case is Node.Scalar.Type: "a single value (text or a number), not a list or a section"
        default: "a section of keys"
        }
    }
}
