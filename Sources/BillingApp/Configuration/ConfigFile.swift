import BillingCore

/// The YAML file's shape: the tutorial's keys (billingApi, objectStorage, alert) and the new sections.
/// Every field is optional; what is missing keeps its default.
struct ConfigFile: Decodable {
    struct BillingAPI: Decodable {
        var credentialId: String?
        var credentialSecret: String?
        var baseUrl: String?
        var pageSize: Int?
        var maxPages: Int?
        var timeoutSeconds: Double?
        var maxAttempts: Int?
    }

    struct ObjectStorage: Decodable {
        var endpoint: String?
        var bucket: String?
        var accessKey: String?
        var secretKey: String?
        var region: String?
        var timeoutSeconds: Double?
    }

    struct Alert: Decodable {
        var slackWebhookUrl: String?
        var kakaoWorkWebhookUrl: String?
        var webhookUrl: String?
        var syslog: String?
        var syslogSocket: String?
        var escalationFactor: Double?
        var repeatHours: Double?
        var channels: [String: Route]?
    }

    /// One channel's share: `alert.channels.slack: {minImpact: 50000, digest: true}`.
    struct Route: Decodable {
        var minImpact: Double?
        var minPercent: Double?
        var immediate: Bool?
        var digest: Bool?
    }

    struct Location: Decodable {
        var url: String?
    }

    struct Archive: Decodable {
        var url: String?
        var spool: String?
    }

    struct Detection: Decodable {
        var detector: String?
        var minImpact: Double?
        var minRarityDays: Int?
        var rule: String?
        var zScore: Double?
        var ratio: Double?
        var minSamples: Int?
        var baselineDays: Int?
    }

    struct Schedule: Decodable {
        var dailyAt: String?
        var hourlyMinute: Int?
        var logDir: String?
    }

    struct Serve: Decodable {
        var token: String?
        var readOnly: Bool?
    }

    var timezone: String?
    var billingApi: BillingAPI?
    var objectStorage: ObjectStorage?
    var alert: Alert?
    var store: Location?
    var archive: Archive?
    var detection: Detection?
    var schedule: Schedule?
    var lock: Lock?
    var serve: Serve?

    struct Lock: Decodable {
        var waitSeconds: Int?
    }

    /// The channels a route can name, and the keys a route may hold.
    static let channelNames = Set(ChannelName.allCases.map(\.rawValue))
    static let routeKeys = keys(of: Route())

    /// Every key the file may hold, by section; anything else is a typo worth reporting. A section's
    /// keys are its struct's fields, so the struct is the one list of them.
    static let knownKeys: [String: Set<String>] = [
        "timezone": [],
        "billingApi": keys(of: BillingAPI()),
        "objectStorage": keys(of: ObjectStorage()),
        "alert": keys(of: Alert()),
        "store": keys(of: Location()),
        "archive": keys(of: Archive()),
        "detection": keys(of: Detection()),
        "schedule": keys(of: Schedule()),
        "lock": keys(of: Lock()),
        "serve": keys(of: Serve()),
        // Not read: the tutorial's MongoDB section, known only to be refused with a way forward.
        "mongo": ["uri", "url", "database", "db", "host", "port", "username", "password"],
    ]

    /// The names of a section's fields.
    static func keys(of section: some Decodable) -> Set<String> {
        Set(Mirror(reflecting: section).children.compactMap(\.label))
    }
}
