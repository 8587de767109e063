import BillingCore
import BillingTesting
import Foundation
import Testing

/// Debian's headless Chromium, driven from the command line: the DOM it built from a page, what the
/// page logged to its console, and screenshots.
struct Chromium {
    static var executable: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let path: String

    struct Load {
        var dom: String
        /// Every console message the page logged (Chromium's `CONSOLE` log lines).
        var console: [String]
    }

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"] + arguments
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let out = folder.url.appendingPathComponent("out")
        let err = folder.url.appendingPathComponent("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.environment = ["HOME": folder.path, "PATH": "/usr/bin:/bin"]
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
    }

    func load(_ url: String) throws -> Load {
        let result = try run(["--dump-dom", url])
        guard result.status == 0 else { throw BrowserFailure(description: "chromium exited \(result.status) loading \(url): \(result.stderr)") }
        return Load(dom: result.stdout, console: result.stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") })
    }

    func screenshot(_ url: String, to file: URL, width: Int, height: Int) throws {
        let result = try run(["--window-size=\(width),\(height)", "--screenshot=\(file.path)", url])
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
@Suite struct BrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyPageLoadsInChromiumWithItsChartsAndNoConsoleError() async throws {
        guard let path = Chromium.executable else {
            // .ci/run installs it; the suite fails without it there, as it does without PostgreSQL.
            #expect(!TestServices.required, "chromium is not installed: apt-get install chromium (.ci/run does)")
            print("BrowserTests: skipped, chromium is not installed")
            return
        }
        let browser = Chromium(path: path)
        let (_, app) = try await PagesTests.seeded()
        let shots = Self.root.appendingPathComponent(".build/screenshots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let (loads, raw, keyPath) = try await ServeTests.serving(app, clock: SteppedClock(ServeTests.now)) { base in
            let overview = try await ServeTests.get(base, "/")
            let link = try #require(overview.body.firstMatch(of: /href="(\/key\?[^"]+)"/)?.output.1)
            let keyPath = String(link).replacingOccurrences(of: "&amp;", with: "&")
            let anomalies = try await ServeTests.get(base, "/anomalies?from=20261001&to=20261121")
            var loads: [String: Chromium.Load] = [:]
            for path in ["/", "/anomalies?from=20261001&to=20261121", keyPath, "/operations"] {
                loads[path] = try browser.load(base + path)
            }
            try browser.screenshot(base + "/", to: shots.appendingPathComponent("overview.png"), width: 1280, height: 1500)
            try browser.screenshot(base + keyPath, to: shots.appendingPathComponent("key.png"), width: 1280, height: 1400)
            try browser.screenshot(base + "/", to: shots.appendingPathComponent("overview-phone.png"), width: 390, height: 1400)
            return (loads, ["/": overview.body, "anomalies": anomalies.body], keyPath)
        }
        for (path, load) in loads {
            #expect(load.console.isEmpty, "\(path) logged: \(load.console)")
            #expect(load.dom.contains("</main>"), "\(path) did not render")
        }
        // The overview's chart, as the browser built it: every bar the server drew.
        let overview = try #require(loads["/"])
        let bars = PagesTests.count("<rect class=\"bar\"", in: raw["/"] ?? "")
        #expect(bars > 20 && PagesTests.count("<rect class=\"bar\"", in: overview.dom) == bars)
        // The key page's line, band and one point per day.
        let key = try #require(loads[keyPath])
        #expect(key.dom.contains("<polyline class=\"line\"") && key.dom.contains("<polygon class=\"band\""))
        #expect(PagesTests.count("<circle class=\"point", in: key.dom) == 51)
        // The anomalies the store holds, one row each.
        let listed = try #require(loads["/anomalies?from=20261001&to=20261121"])
        let rows = PagesTests.count("<tr class=\"anomaly\"", in: raw["anomalies"] ?? "")
        #expect(rows > 0 && PagesTests.count("<tr class=\"anomaly\"", in: listed.dom) == rows)
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
}
