import BillingTesting
import Foundation
import Testing

/// What the demo suggests trying next, run as printed against its own data (`serve` and
/// `simulate-api` on free ports): nothing suggested may change a stored cost, and `simulate-api
/// --demo-of` serves the demo's bill again.
@Suite struct DemoSuggestionsTests {
    /// `swift run billing-alert ARGS   # comment` as the arguments, quotes honoured.
    static func arguments(_ line: String) -> [String] {
        let command = line.dropFirst("swift run billing-alert ".count).components(separatedBy: "   #")[0]
        var words: [String] = []
        var word = ""
        var quoted = false
        for character in command {
            if character == "\"" {
                quoted.toggle()
            } else if character == " ", !quoted {
                if !word.isEmpty { words.append(word) }
                word = ""
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    @Test func everyCommandTheDemoSuggestsLeavesItsCostsAsTheyWere() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = CommandRunner(directory: folder)
        let demo = try await runner.run(["demo"])
        #expect(demo.status == 0, "\(demo.all)")
        let suggested = demo.stdout.components(separatedBy: "== try next ==\n")[1].split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("swift run billing-alert ") }
        #expect(suggested.count >= 10)
        for line in suggested { #expect(line.count <= 120, "\(line)") }

        let config = folder.file("data/demo/settings.yaml")
        #expect(try String(contentsOfFile: config, encoding: .utf8).contains("baseUrl: http://127.0.0.1:8080"))
        let everything = ["costs", "--config", "data/demo/settings.yaml", "--from", "20000101", "--to", "20991231", "--format", "json"]
        let before = try JSONDecoder().decode([CostRow].self, from: Data(try await runner.run(everything).stdout.utf8))
        #expect(!before.isEmpty)

        var simulator: Process?
        defer { simulator?.terminate() }
        for line in suggested {
            var arguments = Self.arguments(line)
            switch arguments.first {
            case "serve":
                // On a free port: it answers the overview from the demo's data, then stops on SIGTERM.
                let (server, port) = try await Self.start(
                    arguments.map { $0 == "8090" ? "0" : $0 }, in: folder, saying: "serving on http://127.0.0.1:")
                let overview = try await ServeTests.get("http://127.0.0.1:\(port)", "/")
                #expect(overview.status == 200 && overview.body.contains("Top movers on"))
                server.terminate()
                #expect(try await Self.exit(server) == 0)
            case "simulate-api":
                // A free port stands in for the suggested 8080, in the command and the config alike.
                arguments = arguments.map { $0 == "8080" ? "0" : $0 }
                let (process, port) = try await Self.start(arguments, in: folder, saying: "simulating the Billing API at http://127.0.0.1:")
                simulator = process
                let text = try String(contentsOfFile: config, encoding: .utf8)
                try text.replacingOccurrences(of: ":8080", with: ":\(port)").write(toFile: config, atomically: true, encoding: .utf8)
            default:
                let result = try await runner.run(arguments)
                #expect(result.status == 0, "\(line): \(result.all)")
            }
        }
        #expect(simulator != nil)
        #expect(suggested.contains { $0.contains(" daily ") })
        let after = try JSONDecoder().decode([CostRow].self, from: Data(try await runner.run(everything).stdout.utf8))
        #expect(Set(after) == Set(before) && after.count == before.count)
    }

    /// Waits for `process` to end without holding a thread, and returns its status.
    static func exit(_ process: Process) async throws -> Int32 {
        for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        return process.isRunning ? -1 : process.terminationStatus
    }

    /// Starts `billing-alert ARGS` and returns it once it prints `saying` and a port, with the port.
    static func start(_ arguments: [String], in folder: TemporaryDirectory, saying: String) async throws -> (Process, Int) {
        let output = folder.file("\(arguments[0]).out")
        FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = CommandRunner.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder.url
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = process.standardOutput
        try process.run()
        for _ in 0..<200 {
            let said = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let range = said.range(of: saying) {
                let port = Int(said[range.upperBound...].prefix { $0.isNumber }) ?? 0
                return (process, port)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        Issue.record("\(arguments[0]) did not start: \((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")")
        return (process, 0)
    }
}
