import BillingCore
import BillingTesting
import Foundation
import Testing

@testable import AlertChannels

#if canImport(Glibc)
import Glibc
#endif

/// The syslog channel against a real Unix datagram socket, as syslogd listens on /dev/log.
@Suite struct SyslogChannelTests {
    /// Binds a datagram socket at `path` and returns its descriptor.
    func listen(at path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(result == 0)
        return descriptor
    }

    func receive(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 8192)
        let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
    }

    @Test func writesTheAnomalyLineAsAUserWarningDatagram() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("log.sock")
        let descriptor = try listen(at: path)
        defer { close(descriptor) }
        let anomaly = Fixtures.anomaly()
        let channel = SyslogChannel(socketPath: path, now: { Date(timeIntervalSince1970: 1_790_000_000) })
        try await channel.send(.anomalies([anomaly]))
        let datagram = receive(descriptor)
        #expect(datagram.hasPrefix("<12>"))
        #expect(datagram.contains(" billing-alert[\(getpid())]: [BILLING_ANOMALY] date=20261125 hour=14 "))
        // The fixture's figures worked by hand: observed 250000.50 against mean 100000 and std 10000 is
        // z 15.00005, ratio 2.500005 and an impact of 150000.50 over the mean; the name with a space is
        // quoted.
        #expect(datagram.hasSuffix(
            #": [BILLING_ANOMALY] date=20261125 hour=14 domain=Acme(dom-1) project=storefront(prj-1) service="Virtual Machine"(1) "#
                + "observed=250000.5 mean=100000.00 std=10000.00 z=15.00 ratio=2.50 thresholds=z>=3.00,ratio>=2.00 impact=150000.50 detector=classic"))
    }

    @Test func writesTheDigestAsUserInfo() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("log.sock")
        let descriptor = try listen(at: path)
        defer { close(descriptor) }
        let total = DailyTotal(date: CalendarDay("20261125")!, costs: [], anomalyCount: 0)
        let digest = DailyDigest(total: total, costs: [], history: [], anomalies: [], feedback: [], silences: [])
        try await SyslogChannel(socketPath: path).send(.digest(digest))
        let datagram = receive(descriptor)
        #expect(datagram.hasPrefix("<14>"))
        #expect(datagram.contains("[BILLING_DAILY_TOTAL] date=20261125 total=0"))
        #expect(datagram.contains("open=0 silenced=0"))
    }

    @Test func aMissingSocketIsAClearError() async throws {
        let error = await #expect(throws: SyslogError.self) {
            try await SyslogChannel(socketPath: "/nonexistent/log.sock").send(.anomalies([Fixtures.anomaly()]))
        }
        #expect(error?.description.contains("alert.syslog: off") == true)
    }

    @Test func timestampsPadTheDayWithASpace() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let date = calendar.date(from: DateComponents(year: 2026, month: 11, day: 6, hour: 9, minute: 5, second: 7))!
        #expect(SyslogChannel.timestamp(date) == "Nov  6 09:05:07")
    }
}
