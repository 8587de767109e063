import BillingCore
import BillingTesting
import Foundation
import Testing

/// Debian's headless Chromium, driven from the command line: the DOM it built from a page, what the
/// page logged to its console, and screenshots.
struct Chromium {
    let path: String

    func run(_ arguments: [String]) async throws -> CommandRunner.Result {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        return try await CommandRunner.capture(
            URL(fileURLWithPath: path), ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"] + arguments,
            environment: ["HOME": home.path, "PATH": "/usr/bin:/bin"])
    }

    /// Runs `steps` (scripts/cdp_drive.py: open, fill, submit, dom) in one browser over the DevTools
    /// protocol; returns the DOMs kept and every console and log message.
    func drive(_ steps: [[String: String]]) async throws -> (doms: [String: String], urls: [String], messages: [String]) {
        struct Result: Decodable {
            var doms: [String: String]
            var urls: [String]
            var messages: [String]
        }
        let result = try await CommandRunner.capture(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", BrowserTests.root.appendingPathComponent("scripts/cdp_drive.py").path, path],
            environment: ProcessInfo.processInfo.environment, input: try JSONSerialization.data(withJSONObject: steps))
        guard result.status == 0 else { throw BrowserFailure(description: result.stderr) }
        let driven = try JSONDecoder().decode(Result.self, from: Data(result.stdout.utf8))
        return (driven.doms, driven.urls, driven.messages)
    }

    func screenshot(_ url: String, to file: URL, width: Int, height: Int) async throws {
        let result = try await run(["--window-size=\(width),\(height)", "--screenshot=\(file.path)", url])
        guard result.status == 0, FileManager.default.fileExists(atPath: file.path) else {
            throw BrowserFailure(description: "chromium made no screenshot of \(url): \(result.stderr)")
        }
    }

    struct BrowserFailure: Error, CustomStringConvertible {
        var description: String
    }
}

/// Every page of `serve` in a real browser: drawn charts, the anomalies the store holds, no console
/// error. Screenshots go to .build/screenshots/ (and to docs/ with BILLING_ALERT_UPDATE_DOCS=1).
@Suite(.needs(.chromium)) struct BrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The browser; the suite needs it, so without it the tests are skipped, or fail where the run
    /// requires everything.
    static func browser() throws -> Chromium {
        Chromium(path: try #require(TestPrerequisite.chromiumPath, "chromium is not installed: apt-get install chromium (.ci/run does)"))
    }

    @Test func everyPageLoadsInChromiumWithItsChartsAndNoConsoleError() async throws {
        let browser = try Self.browser()
        let (_, app) = try await PagesTests.seeded()
        let shots = Self.root.appendingPathComponent(".build/screenshots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let (loads, raw, keyPath) = try await ServeTests.serving(app, clock: SteppedClock(ServeTests.now)) { base in
            let overview = try await ServeTests.get(base, "/")
            let link = try #require(overview.body.firstMatch(of: /href="(\/key\?[^"]+)"/)?.output.1)
            let keyPath = String(link).replacingOccurrences(of: "&amp;", with: "&")
            let anomalies = try await ServeTests.get(base, "/anomalies?from=20261001&to=20261121")
            let paths = ["/", "/anomalies?from=20261001&to=20261121", keyPath, "/operations"]
            let driven = try await browser.drive(paths.flatMap { [["open": base + $0], ["dom": $0]] })
            try await browser.screenshot(base + "/", to: shots.appendingPathComponent("overview.png"), width: 1280, height: 1500)
            try await browser.screenshot(base + keyPath, to: shots.appendingPathComponent("key.png"), width: 1280, height: 1400)
            try await browser.screenshot(base + "/", to: shots.appendingPathComponent("overview-phone.png"), width: 390, height: 1400)
            return (driven, ["/": overview.body, "anomalies": anomalies.body], keyPath)
        }
        #expect(loads.messages.isEmpty, "the pages logged: \(loads.messages)")
        for (path, dom) in loads.doms { #expect(dom.contains("</main>"), "\(path) did not render") }
        // The overview's chart, as the browser built it: every bar the server drew.
        let overview = try #require(loads.doms["/"])
        let bars = PagesTests.count("<rect class=\"bar\"", in: raw["/"] ?? "")
        #expect(bars > 20 && PagesTests.count("<rect class=\"bar\"", in: overview) == bars)
        // The key page's line, band and one point per day.
        let key = try #require(loads.doms[keyPath])
        #expect(key.contains("<polyline class=\"line\"") && key.contains("<polygon class=\"band\""))
        #expect(PagesTests.count("<circle class=\"point", in: key) == 51)
        // The anomalies the store holds, one row each.
        let listed = try #require(loads.doms["/anomalies?from=20261001&to=20261121"])
        let rows = PagesTests.count("<tr class=\"anomaly\"", in: raw["anomalies"] ?? "")
        #expect(rows > 0 && PagesTests.count("<tr class=\"anomaly\"", in: listed) == rows)
        if ProcessInfo.processInfo.environment["BILLING_ALERT_UPDATE_DOCS"] == "1" {
            let docs = Self.root.appendingPathComponent("docs")
            try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
            for name in ["overview.png", "key.png"] {
                let target = docs.appendingPathComponent(name)
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: shots.appendingPathComponent(name), to: target)
            }
        }
    }

    @Test func aVerdictAndASilenceMadeThroughThePagesFormsAreStored() async throws {
        let browser = try Self.browser()
        let (_, app) = try await PagesTests.seeded()
        let anomaly = try #require(try await app.withStore { try await $0.anomalies(in: CalendarDay("20261001")!...CalendarDay("20261121")!) }.last)
        let row = "tr[data-id=\"\(anomaly.id)\"]"
        let driven = try await ServeTests.serving(app, clock: SteppedClock(ServeTests.now)) { base in
            try await browser.drive([
                ["open": base + "/anomalies?from=20261001&to=20261121"],
                ["fill": "\(row) select[name=verdict]", "value": "not-anomaly"],
                ["fill": "\(row) input[name=note]", "value": "a test <b>run</b>"],
                ["submit": "\(row) form.ack"], ["dom": "ack"],
                ["open": base + "/anomalies/\(anomaly.id)/silence"],
                ["fill": "input[name=reason]", "value": "load test this week"],
                ["submit": "form[action='/silences']"], ["dom": "silence"],
                ["open": base + "/anomalies?from=20261001&to=20261121"], ["dom": "after"],
            ])
        }
        #expect(driven.messages.isEmpty, "the pages logged: \(driven.messages)")
        #expect(driven.doms["ack"]?.contains("marked not-anomaly") == true, "\(driven.doms["ack"] ?? "")")
        #expect(driven.doms["silence"]?.contains("holds back alerts matching") == true, "\(driven.doms["silence"] ?? "")")
        // The list shows the verdict, its note as text, not markup.
        #expect(driven.doms["after"]?.contains("not-anomaly: a test &lt;b&gt;run&lt;/b&gt;") == true)
        let (feedback, silences) = try await app.withStore { store in
            (try await store.feedback(in: anomaly.date...anomaly.date), try await store.silences())
        }
        #expect(feedback.map(\.verdict) == [.notAnomaly] && feedback.first?.note == "a test <b>run</b>")
        let key = anomaly.key
        #expect(silences.map(\.matchText) == ["domain=\(key.domainId),project=\(key.projectId),service=\(key.serviceId)"])
        #expect(silences.first?.reason == "load test this week")
        #expect(silences.first?.until == CalendarDay("20261128"))
    }
}
