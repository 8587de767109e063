import ArgumentParser
import BillingApp
import BillingLab
import BillingSimulator
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole pipeline against a local simulator: no config, no network, no credentials.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Where the demo keeps its SQLite store and archive.")
    var dataDir = "data/demo"

    func run() async throws {
        let logger = options.logger
        try await Runtime.reportingErrors {
            try await DemoRunner(dataDirectory: dataDir, logger: logger).run(now: Date())
        }
    }
}

struct SimulateAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate-api",
        abstract: "Serve a simulated Kakao Cloud Billing API on 127.0.0.1 until interrupted.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "The port; 0 picks a free one.") var port = 8080
    @Option(help: "The seed: the same seed gives the same bill.") var seed: UInt64 = 7
    @Option(help: "Serve the bill `billing-alert demo` fetched when run on this day (YYYYMMDD), its spikes included.")
    var demoOf: DayArgument?
    @Option(help: "Require this Credential-ID (with --credential-secret); otherwise any is accepted.") var credentialId: String?
    @Option(help: "Require this Credential-Secret.") var credentialSecret: String?
    @Option(
        help: ArgumentHelp(
            "Misbehave on every request, to rehearse failures.",
            discussion: SimulatorFault.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "\n"),
            valueName: "mode"))
    var fault: SimulatorFault?

    func validate() throws {
        guard (credentialId == nil) == (credentialSecret == nil) else {
            throw ValidationError("give --credential-id and --credential-secret together")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port number (0-65535)") }
        if demoOf != nil, seed != DemoRunner.seed {
            throw ValidationError("--demo-of serves the demo's own bill (seed \(DemoRunner.seed)); leave out --seed")
        }
    }

    var bill: SimulatedBill {
        guard let day = demoOf?.day else { return SimulatedBill(configuration: .init(seed: seed)) }
        return DemoRunner.bill(today: day)
    }

    func run() async throws {
        _ = options.logger
        let credentials = credentialId.map { SimulatorServer.Credentials(id: $0, secret: credentialSecret ?? "") }
        let server = SimulatorServer(
            configuration: .init(port: port, credentials: credentials, fault: fault), bill: bill)
        try await Runtime.reportingErrors {
            try await server.run { baseURL in
                // Written straight to the descriptor, so a caller reading a pipe sees it at once.
                FileHandle.standardOutput.write(
                    Data("simulating the Billing API at \(baseURL) (seed \(seed)\(demoOf.map { ", the demo of \($0.day.compact)" } ?? "")\(fault.map { ", fault \($0.rawValue)" } ?? "")); set billingApi.baseUrl to it. Ctrl-C stops.\n".utf8))
                try await Task.sleep(for: .seconds(365 * 24 * 3600))
            }
        }
    }
}

extension SimulatorFault: ExpressibleByArgument {}
