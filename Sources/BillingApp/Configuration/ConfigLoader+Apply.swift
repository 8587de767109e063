import BillingCore
import Foundation
import KakaoBilling
import ObjectArchive
import PostgresStore

extension ConfigLoader {
    static func route(_ file: ConfigFile.Route, over route: ChannelRoute, channel: String, origin: String) throws -> ChannelRoute {
        var route = route
        let key = "alert.channels.\(channel)"
        if let impact = file.minImpact {
            guard impact >= 0 else {
                throw ConfigError.invalidValue(origin, key: "\(key).minImpact", value: "\(impact)", expected: "an amount of 0 or more, such as 50000")
            }
            route.minImpact = impact
        }
        if let percent = file.minPercent {
            guard percent >= 0 else {
                throw ConfigError.invalidValue(origin, key: "\(key).minPercent", value: "\(percent)", expected: "a percentage of 0 or more, such as 20")
            }
            route.minPercent = percent
        }
        route.immediate = file.immediate ?? route.immediate
        if let digest = file.digest {
            guard !digest || ChannelName(rawValue: channel)?.canTakeDigest != false else {
                let takers = ChannelName.allCases.filter(\.canTakeDigest).map(\.rawValue)
                throw ConfigError.invalidValue(
                    origin, key: "\(key).digest", value: "true",
                    expected: "false: the Alertmanager webhook carries alerts, not digests; send the digest to "
                        + takers.dropLast().joined(separator: ", ") + " or " + takers.last!)
            }
            route.digest = digest
        }
        return route
    }

    /// Applies the file; the archive URL is returned in `archiveURL`, to be resolved after the environment.
    func apply(_ file: ConfigFile, to configuration: inout AppConfiguration, archiveURL: inout String?, origin: String) throws {
        if let name = file.timezone {
            guard let zone = name == "Asia/Seoul" ? TimeZones.seoul : TimeZone(identifier: name) else {
                throw ConfigError.invalidValue(origin, key: "timezone", value: name, expected: "a time zone name such as Asia/Seoul")
            }
            configuration.timeZone = zone
        }
        if let api = file.billingApi {
            var billing = configuration.billingApi
            billing.credentialId = api.credentialId ?? billing.credentialId
            billing.credentialSecret = api.credentialSecret ?? billing.credentialSecret
            if let url = api.baseUrl { billing.baseURL = try Self.baseURL(url, key: "billingApi.baseUrl", origin: origin) }
            if let size = api.pageSize {
                guard (1...10_000).contains(size) else {
                    throw ConfigError.invalidValue(origin, key: "billingApi.pageSize", value: "\(size)", expected: "1 to 10000")
                }
                billing.pageSize = size
            }
            if let pages = api.maxPages {
                guard pages > 0 else {
                    throw ConfigError.invalidValue(origin, key: "billingApi.maxPages", value: "\(pages)", expected: "a positive number")
                }
                billing.maxPages = pages
            }
            if let seconds = api.timeoutSeconds {
                guard seconds > 0, seconds <= 3600 else {
                    throw ConfigError.invalidValue(origin, key: "billingApi.timeoutSeconds", value: "\(seconds)", expected: "seconds, more than 0 and at most 3600")
                }
                billing.timeout = .milliseconds(Int(seconds * 1000))
            }
            if let attempts = api.maxAttempts {
                guard (1...20).contains(attempts) else {
                    throw ConfigError.invalidValue(origin, key: "billingApi.maxAttempts", value: "\(attempts)", expected: "1 to 20 tries")
                }
                billing.retry.maxAttempts = attempts
            }
            configuration.billingApi = billing
        }
        if let storage = file.objectStorage {
            configuration.objectStorage.endpoint = storage.endpoint.flatMap { $0.isEmpty ? nil : $0 }
            configuration.objectStorage.bucket = storage.bucket.flatMap { $0.isEmpty ? nil : $0 }
            configuration.objectStorage.accessKey = storage.accessKey.flatMap { $0.isEmpty ? nil : $0 }
            configuration.objectStorage.secretKey = storage.secretKey.flatMap { $0.isEmpty ? nil : $0 }
            configuration.objectStorage.region = storage.region.flatMap { $0.isEmpty ? nil : $0 } ?? configuration.objectStorage.region
            if let seconds = storage.timeoutSeconds {
                guard seconds > 0, seconds <= 3600 else {
                    throw ConfigError.invalidValue(origin, key: "objectStorage.timeoutSeconds", value: "\(seconds)", expected: "seconds, more than 0 and at most 3600")
                }
                configuration.objectStorage.timeout = .milliseconds(Int(seconds * 1000))
            }
        }
        if let alert = file.alert {
            configuration.alerts.slackWebhookURL = alert.slackWebhookUrl.flatMap { $0.isEmpty ? nil : $0 }
            configuration.alerts.kakaoWorkWebhookURL = alert.kakaoWorkWebhookUrl.flatMap { $0.isEmpty ? nil : $0 }
            configuration.alerts.webhookURL = alert.webhookUrl.flatMap { $0.isEmpty ? nil : $0 }
            if let syslog = alert.syslog {
                guard let mode = AppConfiguration.SyslogMode(rawValue: syslog.lowercased()) else {
                    throw ConfigError.invalidValue(origin, key: "alert.syslog", value: syslog, expected: "auto, on or off")
                }
                configuration.alerts.syslog = mode
            }
            configuration.alerts.syslogSocket = alert.syslogSocket ?? configuration.alerts.syslogSocket
            if let factor = alert.escalationFactor {
                guard factor > 1 else {
                    throw ConfigError.invalidValue(origin, key: "alert.escalationFactor", value: "\(factor)", expected: "a number above 1, such as 2")
                }
                configuration.alerts.policy.escalationFactor = factor
            }
            if let hours = alert.repeatHours {
                guard hours > 0 else {
                    throw ConfigError.invalidValue(origin, key: "alert.repeatHours", value: "\(hours)", expected: "hours above 0, such as 24")
                }
                configuration.alerts.policy.repeatInterval = .seconds(Int(hours * 3600))
            }
            for (channel, route) in alert.channels ?? [:] {
                configuration.alerts.routes[channel] = try Self.route(route, over: configuration.alerts.route(for: channel), channel: channel, origin: origin)
            }
        }
        if let url = file.store?.url {
            configuration.store = try Self.store(url, key: "store.url", origin: origin, password: storePassword)
        }
        if let spool = file.archive?.spool { configuration.spoolDirectory = spool }
        archiveURL = file.archive?.url
        if let detection = file.detection { try apply(detection, to: &configuration, origin: origin) }
        if let schedule = file.schedule { try apply(schedule, to: &configuration, origin: origin) }
        if let serve = file.serve {
            if let token = serve.token { configuration.serve.token = token.isEmpty ? nil : token }
            configuration.serve.readOnly = serve.readOnly ?? configuration.serve.readOnly
        }
        if let seconds = file.lock?.waitSeconds {
            guard (0...86_400).contains(seconds) else {
                throw ConfigError.invalidValue(origin, key: "lock.waitSeconds", value: "\(seconds)", expected: "0 (stop at once) to 86400 seconds")
            }
            configuration.lockWait = .seconds(seconds)
        }
    }

    /// `zScore` and `ratio` apply to the detector chosen; each detector keeps its own defaults otherwise.
    private func apply(_ detection: ConfigFile.Detection, to configuration: inout AppConfiguration, origin: String) throws {
        if let name = detection.detector {
            guard AnomalyDetector.names.contains(name) else {
                throw ConfigError.invalidValue(origin, key: "detection.detector", value: name, expected: AnomalyDetector.names.joined(separator: " or "))
            }
            configuration.detectorName = name
        }
        let classic = configuration.detectorName == ClassicDetector.name
        if let z = detection.zScore {
            guard z > 0 else { throw ConfigError.invalidValue(origin, key: "detection.zScore", value: "\(z)", expected: "a number above 0, such as 3.0") }
            if classic { configuration.detection.zScore = z } else { configuration.seasonal.zScore = z }
        }
        if let ratio = detection.ratio {
            guard ratio > 1 else { throw ConfigError.invalidValue(origin, key: "detection.ratio", value: "\(ratio)", expected: "a number above 1, such as 2.0") }
            if classic { configuration.detection.ratio = ratio } else { configuration.seasonal.ratio = ratio }
        }
        if let impact = detection.minImpact {
            guard impact >= 0 else { throw ConfigError.invalidValue(origin, key: "detection.minImpact", value: "\(impact)", expected: "an amount of 0 or more, such as 1000") }
            configuration.seasonal.minImpact = impact
        }
        if let days = detection.minRarityDays {
            guard (0...3650).contains(days) else {
                throw ConfigError.invalidValue(origin, key: "detection.minRarityDays", value: "\(days)", expected: "0 (off) to 3650 days, such as 30")
            }
            configuration.seasonal.minRarityDays = days
        }
        if let text = detection.rule {
            guard let rule = DetectionRule(text) else {
                throw ConfigError.invalidValue(origin, key: "detection.rule", value: text, expected: "z, ratio and impact joined by and/or, such as \"impact and z and ratio\"")
            }
            configuration.seasonal.rule = rule
        }
        if let samples = detection.minSamples {
            guard samples >= 1 else { throw ConfigError.invalidValue(origin, key: "detection.minSamples", value: "\(samples)", expected: "1 or more days") }
            configuration.detection.minSamples = samples
        }
        if let days = detection.baselineDays {
            guard (1...366).contains(days) else { throw ConfigError.invalidValue(origin, key: "detection.baselineDays", value: "\(days)", expected: "1 to 366 days") }
            configuration.baselineDays = days
        }
    }

    private func apply(_ schedule: ConfigFile.Schedule, to configuration: inout AppConfiguration, origin: String) throws {
        if let time = schedule.dailyAt {
            let parts = time.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]) else {
                throw ConfigError.invalidValue(origin, key: "schedule.dailyAt", value: time, expected: "HH:MM in the configured timezone, such as \"02:30\"")
            }
            configuration.schedule.dailyHour = parts[0]
            configuration.schedule.dailyMinute = parts[1]
        }
        if let minute = schedule.hourlyMinute {
            guard (0...59).contains(minute) else { throw ConfigError.invalidValue(origin, key: "schedule.hourlyMinute", value: "\(minute)", expected: "0 to 59") }
            configuration.schedule.hourlyMinute = minute
        }
        configuration.schedule.logDirectory = schedule.logDir ?? configuration.schedule.logDirectory
    }

    func applyEnvironment(to configuration: inout AppConfiguration, origin: String) throws {
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        if let id = value(Variable.credentialId) { configuration.billingApi.credentialId = id }
        if let token = value(Variable.serveToken) { configuration.serve.token = token }
        if let secret = value(Variable.credentialSecret) { configuration.billingApi.credentialSecret = secret }
        if let url = value(Variable.baseURL) {
            configuration.billingApi.baseURL = try Self.baseURL(url, key: Variable.baseURL, origin: "the environment")
        }
        if let url = value(Variable.slackWebhookURL) { configuration.alerts.slackWebhookURL = url }
        if let url = value(Variable.kakaoWorkWebhookURL) { configuration.alerts.kakaoWorkWebhookURL = url }
        if let url = value(Variable.webhookURL) { configuration.alerts.webhookURL = url }
        if let url = value(Variable.storeURL) {
            configuration.store = try Self.store(url, key: Variable.storeURL, origin: "the environment", password: storePassword)
        }
        if let key = value(Variable.objectStorageAccessKey) { configuration.objectStorage.accessKey = key }
        if let secret = value(Variable.objectStorageSecretKey) { configuration.objectStorage.secretKey = secret }
    }

    /// The Billing API's base URL, refused when it holds a user or password: the API takes its
    /// credentials from billingApi.credentialId and credentialSecret, and one written into the URL
    /// would be printed wherever the URL is.
    static func baseURL(_ url: String, key: String, origin: String) throws -> String {
        guard !URLCredentials.present(in: url) else {
            throw ConfigError.invalidValue(
                origin, key: key, value: url,
                expected: "a URL without a user or password (such as https://billing-api.kakaocloud.com); "
                    + "the credentials go in billingApi.credentialId and credentialSecret")
        }
        return url
    }

    /// `password` (from the environment) replaces a password in a PostgreSQL URL.
    static func store(_ url: String, key: String, origin: String, password: String?) throws -> AppConfiguration.StoreLocation {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            // The URL may hold a password: never repeat it.
            guard let location = PostgresLocation(url: url, password: password) else {
                throw ConfigError.invalidValue(
                    origin, key: key, value: nil,
                    expected: "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require|verify-full]")
            }
            return .postgres(location)
        }
        let example = "sqlite:PATH, such as sqlite:data/billing.sqlite"
        return .sqlite(path: try path(of: url, scheme: "sqlite:", key: key, origin: origin, expected: example))
    }

    /// The archive from `url` (`file:PATH` or `s3://BUCKET[/PREFIX]`); without a URL, the tutorial's
    /// objectStorage bucket when one is set, else the configured folder.
    static func archive(
        _ url: String?, key: String, origin: String, storage: AppConfiguration.ObjectStorage, spool: String,
        fallback: AppConfiguration.ArchiveLocation
    ) throws -> AppConfiguration.ArchiveLocation {
        var bucketAndPrefix: Substring
        if let url {
            guard url.hasPrefix("s3://") else {
                let example = "file:PATH (such as file:data/archive) or s3://BUCKET[/PREFIX]"
                return .folder(path: try path(of: url, scheme: "file:", key: key, origin: origin, expected: example))
            }
            bucketAndPrefix = url.dropFirst("s3://".count)
        } else if let bucket = storage.bucket {
            bucketAndPrefix = Substring(bucket)
        } else {
            return fallback
        }
        let parts = bucketAndPrefix.split(separator: "/", maxSplits: 1)
        // A bucket name is 3 to 63 letters, digits, dots, hyphens and underscores: anything else (such
        // as keys written in as s3://KEY:SECRET@BUCKET) is refused before it can be printed.
        guard let bucket = parts.first, (3...63).contains(bucket.count),
            bucket.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-_".contains($0)) })
        else {
            throw ConfigError.invalidValue(
                origin, key: key, value: url,
                expected: "s3://BUCKET[/PREFIX] with a bucket name of 3 to 63 letters, digits, dots, hyphens and underscores; "
                    + "the keys go in objectStorage.accessKey and secretKey")
        }
        var missing: [String] = []
        if storage.endpoint == nil { missing.append("objectStorage.endpoint") }
        if storage.accessKey == nil { missing.append("objectStorage.accessKey (or \(Variable.objectStorageAccessKey))") }
        if storage.secretKey == nil { missing.append("objectStorage.secretKey (or \(Variable.objectStorageSecretKey))") }
        guard missing.isEmpty, let endpoint = storage.endpoint, let accessKey = storage.accessKey, let secretKey = storage.secretKey else {
            throw ConfigError.invalidValue(
                origin, key: key, value: url ?? "s3://\(bucket)",
                expected: "an archive in Object Storage needs \(missing.joined(separator: ", "))")
        }
        let configuration = S3Archive.Configuration(
            endpoint: endpoint, bucket: String(bucket), prefix: parts.count > 1 ? String(parts[1]) : "", accessKey: accessKey,
            secretKey: secretKey, region: storage.region, timeout: storage.timeout)
        return .s3(configuration, spool: spool)
    }

    /// The path in `scheme:PATH` or `scheme://PATH`.
    private static func path(of url: String, scheme: String, key: String, origin: String, expected: String) throws -> String {
        guard url.hasPrefix(scheme) else { throw ConfigError.invalidValue(origin, key: key, value: url, expected: expected) }
        let rest = url.dropFirst(scheme.count)
        let path = rest.hasPrefix("//") ? String(rest.dropFirst(2)) : String(rest)
        guard !path.isEmpty else { throw ConfigError.invalidValue(origin, key: key, value: url, expected: expected) }
        return path
    }
}
