import BillingTesting
import Foundation
import Testing

/// Every command line in the README's code blocks names a command the built binary has, and every
/// option it shows is one that command takes: a README that drifts from the tool fails here.
@Suite struct ReadmeCommandsTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")

    /// The command lines of the README's code blocks, with their indented continuation lines joined.
    static func commandLines(_ text: String) -> [String] {
        var lines: [String] = []
        var inBlock = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                inBlock.toggle()
                continue
            }
            guard inBlock else { continue }
            let command = line.components(separatedBy: "  #")[0].trimmingCharacters(in: .whitespaces)
            if command.hasPrefix("billing-alert ") || command.hasPrefix("swift run billing-alert ") {
                lines.append(command.replacingOccurrences(of: "swift run billing-alert ", with: "billing-alert "))
            } else if line.hasPrefix("  "), !lines.isEmpty, command.hasPrefix("[") || command.hasPrefix("--") {
                lines[lines.count - 1] += " " + command
            }
        }
        return lines
    }

    /// The command words of a line ("cron add|remove|show" as three), and the options it shows.
    static func parse(_ line: String) -> (commands: [[String]], options: Set<String>) {
        var words: [[String]] = [[]]
        for word in line.split(separator: " ").dropFirst().map(String.init) {
            guard word.first?.isLowercase == true, !word.contains("=") else { break }
            words = word.split(separator: "|").flatMap { choice in words.map { $0 + [String(choice)] } }
        }
        let options = Set(line.split(whereSeparator: { " [](|".contains($0) }).filter { $0.hasPrefix("--") }.map(String.init))
        return (words, options)
    }

    @Test func everyReadmeCommandAndOptionExists() async throws {
        let lines = Self.commandLines(try String(contentsOf: Self.readme, encoding: .utf8))
        #expect(lines.count >= 25, "\(lines)")
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = CommandRunner(directory: folder)
        for line in lines {
            let (commands, options) = Self.parse(line)
            var helps = ""
            for command in commands {
                let help = try await runner.run(command + ["--help"])
                // An unknown word after a known command prints that command's help, so the usage line decides.
                let usage = "USAGE: billing-alert \(command.joined(separator: " "))"
                #expect(help.status == 0 && (help.stdout.contains(usage + " ") || help.stdout.contains(usage + "\n")),
                    "`billing-alert \(command.joined(separator: " "))` from the README is no command: \(help.all)")
                helps += help.stdout
            }
            for option in options where option != "--help" {
                #expect(helps.contains(option), "the README shows \(option) on `\(line)`, which the command does not take")
            }
        }
    }

    @Test func aCommandOrOptionTheToolLacksIsCaught() {
        let (commands, options) = Self.parse("billing-alert cron add|remove [--crontab-file PATH] [--nope X]")
        #expect(commands == [["cron", "add"], ["cron", "remove"]])
        #expect(options == ["--crontab-file", "--nope"])
        let lines = Self.commandLines("text\n```sh\nbilling-alert bench [--rows N]   # figures\n    [--store URL]\nother\n```\nbilling-alert x\n")
        #expect(lines == ["billing-alert bench [--rows N] [--store URL]"])
    }
}
