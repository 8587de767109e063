import AlertChannels
import BillingCore
import BillingPipeline
import ObjectArchive
import Foundation
import PostgresStore
import SQLiteStore

/// One line of `config check`: a part, where it is, and whether it answered.
public struct CheckResult: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case ok(String)
        case failed(String)
        case skipped(String)
    }

    public var part: String
    public var target: String
    public var outcome: Outcome

    public var failed: Bool {
        if case .failed = outcome { return true }
        return false
    }

    public var line: String {
        let (word, detail) = switch outcome {
        case .ok(let detail): ("ok", detail)
        case .failed(let detail): ("FAILED", detail)
        case .skipped(let detail): ("-", detail)
        }
        return "\(part.padding(toLength: 12, withPad: " ", startingAt: 0)) \(word.padding(toLength: 7, withPad: " ", startingAt: 0)) \(target): \(detail)"
    }
}

extension BillingApp {
    /// Validates the configuration (loading it already did) and reaches each configured service.
    public func checkConfiguration(now: Date) async -> [CheckResult] {
        var results = [CheckResult(part: "config", target: configuration.origin, outcome: .ok("valid"))]
        for note in configuration.notes {
            results.append(CheckResult(part: "config", target: configuration.origin, outcome: .skipped(note)))
        }
        let day = today(now).day
        let api = configuration.billingApi
        do {
            let rows = try await makeSource().probe(day: day)
            results.append(CheckResult(part: "billing API", target: api.baseURL, outcome: .ok("answered for \(day) (\(rows) row on the first page)")))
        } catch {
            results.append(CheckResult(part: "billing API", target: api.baseURL, outcome: .failed("\(error)")))
        }
        if case .sqlite(let path) = configuration.store, !FileManager.default.fileExists(atPath: path) {
            // A check only looks: the first run creates the file.
            results.append(Self.checkFolderToCreate(part: "store", target: "\(configuration.store)", path: path, creates: "the file"))
        } else {
            do {
                // A check only looks: a schema behind the binary is reported, not migrated.
                let pending = try await pendingMigrations()
                if pending.isEmpty {
                    let baselines = try await withStore { try await $0.baselines().count }
                    results.append(CheckResult(part: "store", target: "\(configuration.store)", outcome: .ok("open, schema up to date, \(baselines) baselines")))
                } else {
                    results.append(CheckResult(
                        part: "store", target: "\(configuration.store)",
                        outcome: .ok("open; the schema lacks \(pending.count) migration(s) (\(pending.joined(separator: "; "))), which the next job or `billing-alert store migrate` applies")))
                }
            } catch {
                results.append(CheckResult(part: "store", target: "\(configuration.store)", outcome: .failed("\(error)")))
            }
        }
        results.append(await checkArchive())
        let alerts = configuration.alerts
        results.append(await Self.checkWebhook("slack", "alert.slackWebhookUrl", alerts.slackWebhookURL, what: "to an empty test payload (nothing was posted)") {
            try await SlackChannel(webhookURL: $0).checkReachable()
        })
        results.append(await Self.checkWebhook("kakaowork", "alert.kakaoWorkWebhookUrl", alerts.kakaoWorkWebhookURL, what: "(nothing was posted)") {
            try await KakaoWorkChannel(webhookURL: $0).checkReachable()
        })
        results.append(await Self.checkWebhook("webhook", "alert.webhookUrl", alerts.webhookURL, what: "(nothing was posted)") {
            try await AlertmanagerWebhookChannel(url: $0).checkReachable()
        })
        let socket = configuration.alerts.syslogSocket
        switch configuration.alerts.syslog {
        case .off:
            results.append(CheckResult(part: "syslog", target: socket, outcome: .skipped("turned off (alert.syslog: off)")))
        case .on, .auto:
            if SyslogChannel.isAvailable(at: socket) {
                results.append(CheckResult(part: "syslog", target: socket, outcome: .ok("the socket exists")))
            } else if configuration.alerts.syslog == .on {
                results.append(CheckResult(part: "syslog", target: socket, outcome: .failed("no syslog socket; start rsyslog or set alert.syslog: off")))
            } else {
                results.append(CheckResult(part: "syslog", target: socket, outcome: .skipped("no syslog socket, so no syslog lines (alert.syslog: auto)")))
            }
        }
        return results
    }

    /// Whether a configured webhook answers, never showing its URL, which is a secret.
    private static func checkWebhook(
        _ part: String, _ key: String, _ url: String?, what: String, probe: (String) async throws -> String
    ) async -> CheckResult {
        guard let url else { return CheckResult(part: part, target: key, outcome: .skipped("not configured")) }
        do {
            return CheckResult(part: part, target: key, outcome: .ok("the webhook \(try await probe(url)) \(what)"))
        } catch {
            return CheckResult(part: part, target: key, outcome: .failed("\(error)"))
        }
    }

    /// The migrations the configured store has not had, read without writing.
    func pendingMigrations() async throws -> [String] {
        switch configuration.store {
        case .sqlite(let path): try SQLiteStore.pendingMigrations(at: path)
        case .postgres(let location): try await PostgresStore.pendingMigrations(location, logger: logger)
        }
    }

    private func checkArchive() async -> CheckResult {
        let target = "\(configuration.archive)"
        switch configuration.archive {
        case .s3(let s3, let spool):
            do {
                try await S3Archive(configuration: s3).checkBucket()
                let waiting = (try? LocalFolderArchive(root: URL(fileURLWithPath: spool)).keys().count) ?? 0
                return CheckResult(
                    part: "archive", target: target,
                    outcome: .ok("the bucket answers to the keys" + (waiting > 0 ? "; \(waiting) spooled day(s) wait in \(spool) for the next run" : "")))
            } catch {
                return CheckResult(part: "archive", target: target, outcome: .failed("\(error)"))
            }
        case .folder(let path):
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                return Self.checkFolderToCreate(part: "archive", target: target, path: path + "/", creates: "the folder")
            }
            guard isFolder.boolValue, FileManager.default.isWritableFile(atPath: path) else {
                return CheckResult(
                    part: "archive", target: target,
                    outcome: .failed("\(path) is not a writable folder; fix its permissions or set archive.url"))
            }
            return CheckResult(part: "archive", target: target, outcome: .ok("the folder is writable"))
        }
    }

    /// For a file or folder the first run creates at `path` (a trailing `/` for a folder): whether the
    /// nearest folder that exists on the way lets it be made. Nothing is created.
    static func checkFolderToCreate(part: String, target: String, path: String, creates: String) -> CheckResult {
        var folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            return CheckResult(
                part: part, target: target,
                outcome: .failed("\(creates) does not exist yet and cannot be made: \(folder.path) is not writable; fix its permissions or choose another path"))
        }
        return CheckResult(part: part, target: target, outcome: .ok("\(creates) does not exist yet; the first run makes it (\(folder.path) is writable)"))
    }
}

