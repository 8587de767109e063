import BillingCore
import Foundation
import KakaoBilling
import ObjectArchive
import PostgresStore

/// Everything a command needs to know, resolved once from the config file and the environment.
public struct AppConfiguration: Sendable {
    public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
        case sqlite(path: String)
        case postgres(PostgresLocation)

        /// Never shows a password.
        public var description: String {
            switch self {
            case .sqlite(let path): return "sqlite:\(path)"
            case .postgres(let location): return location.description
            }
        }
    }

    public enum ArchiveLocation: Sendable, CustomStringConvertible {
        case folder(path: String)
        /// An S3-compatible bucket, with a local spool for days it cannot take.
        case s3(S3Archive.Configuration, spool: String)

        /// Never shows a key.
        public var description: String {
            switch self {
            case .folder(let path): return "file:\(path)"
            case .s3(let configuration, _): return configuration.display
            }
        }
    }

    /// The tutorial's objectStorage section, as read; `archive` is resolved from it.
    public struct ObjectStorage: Sendable {
        public var endpoint: String?
        public var bucket: String?
        public var accessKey: String?
        public var secretKey: String?
        public var region = "kr-central-2"
        public var timeout: Duration = .seconds(60)
    }

    public enum SyslogMode: String, Sendable, Hashable {
        /// On when the local syslog socket exists.
        case auto
        case on
        case off
    }

    public struct Alerts: Sendable {
        public var slackWebhookURL: String?
        public var kakaoWorkWebhookURL: String?
        /// A generic webhook that receives Alertmanager's payload.
        public var webhookURL: String?
        public var syslog: SyslogMode = .auto
        public var syslogSocket: String = "/dev/log"
        public var policy = AlertPolicy()
        /// Each channel's share of the alerts, by channel name.
        public var routes: [String: ChannelRoute] = [:]

        /// The channel's route: the configured one, or every anomaly at once, with the digest where
        /// the channel takes it unless told otherwise.
        public func route(for channel: String) -> ChannelRoute {
            routes[channel] ?? ChannelRoute(digest: ChannelName(rawValue: channel)?.takesDigestUnlessTold ?? false)
        }
    }

    public struct Schedule: Sendable {
        /// The daily job's time of day, in `timeZone`.
        public var dailyHour = 2
        public var dailyMinute = 30
        /// The hourly job's minute past each hour, in `timeZone`.
        public var hourlyMinute = 10
        public var logDirectory = "logs"
    }

    /// What `serve` lets its pages change.
    public struct Serve: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        /// Needed for every write (ack, silence) when `serve` listens on an address other than loopback.
        public var token: String?
        /// No writes at all: the pages show, never change.
        public var readOnly = false

        /// Never shows the token.
        public var description: String { "Serve(token: \(token == nil ? "none" : "<redacted>"), readOnly: \(readOnly))" }
        public var debugDescription: String { description }
        public var customMirror: Mirror {
            Mirror(self, children: ["token": token == nil ? "none" : "<redacted>", "readOnly": readOnly])
        }
    }

    /// Where the configuration came from, for messages: a path, or "the embedded default".
    public var origin: String
    public var billingApi: KakaoBillingConfiguration
    public var store: StoreLocation
    public var archive: ArchiveLocation
    public var objectStorage = ObjectStorage()
    /// Where days wait when Object Storage cannot take them.
    public var spoolDirectory: String
    public var alerts = Alerts()
    public var detection = DetectionThresholds()
    /// The seasonal detector's thresholds.
    public var seasonal = SeasonalDetector.Settings()
    /// `seasonal` (the default) or `classic`, the tutorial's rule.
    public var detectorName = SeasonalDetector.name
    public var baselineDays = 30
    /// How long a job waits for another run of the same job and day; zero stops at once.
    public var lockWait: Duration = .seconds(600)
    public var timeZone: TimeZone
    public var schedule = Schedule()
    public var serve = Serve()
    /// Notes for `config check`, such as sections read but not yet used.
    public var notes: [String] = []

    /// The embedded default: a SQLite file and a folder archive under `dataDirectory`.
    public static func embeddedDefault(dataDirectory: String = "data") -> AppConfiguration {
        AppConfiguration(
            origin: "the embedded default",
            billingApi: KakaoBillingConfiguration(credentialId: "", credentialSecret: ""),
            store: .sqlite(path: dataDirectory + "/billing.sqlite"),
            archive: .folder(path: dataDirectory + "/archive"),
            spoolDirectory: dataDirectory + "/spool",
            timeZone: TimeZones.seoul)
    }
}

public enum TimeZones {
    /// Asia/Seoul; fixed at +09:00 where the time zone database is missing (Korea keeps no daylight time).
    public static let seoul = TimeZone(identifier: "Asia/Seoul") ?? TimeZone(secondsFromGMT: 9 * 3600)!
}

/// Debugging or dumping the alert settings never shows a webhook URL.
extension AppConfiguration.Alerts: CustomDebugStringConvertible, CustomReflectable {
    public var debugDescription: String {
        "Alerts(slack: \(Self.shown(slackWebhookURL)), kakaoWork: \(Self.shown(kakaoWorkWebhookURL)), webhook: \(Self.shown(webhookURL)), syslog: \(syslog))"
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "slackWebhookURL": Self.shown(slackWebhookURL), "kakaoWorkWebhookURL": Self.shown(kakaoWorkWebhookURL),
                "webhookURL": Self.shown(webhookURL), "syslog": syslog, "syslogSocket": syslogSocket, "policy": policy,
            ])
    }

    private static func shown(_ url: String?) -> String {
        url == nil ? "none" : "<redacted>"
    }
}

/// Debugging or dumping the objectStorage settings never shows the secret key.
extension AppConfiguration.ObjectStorage: CustomDebugStringConvertible, CustomReflectable {
    public var debugDescription: String {
        "ObjectStorage(endpoint: \(endpoint ?? "none"), bucket: \(bucket ?? "none"), accessKey: \(accessKey ?? "none"), secretKey: \(secretKey == nil ? "none" : "<redacted>"), region: \(region))"
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "endpoint": endpoint ?? "none", "bucket": bucket ?? "none", "accessKey": accessKey ?? "none",
                "secretKey": secretKey == nil ? "none" : "<redacted>", "region": region, "timeout": timeout,
            ])
    }
}
