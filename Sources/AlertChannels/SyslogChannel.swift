import BillingCore
import BillingPipeline
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes the alert lines to the local syslog socket (RFC 3164 datagrams), where Kakao Cloud's
/// monitoring agent and Alert Center can match them by keyword.
public struct SyslogChannel: AlertChannel {
    public static let defaultSocketPath = "/dev/log"

    public let name = ChannelName.syslog.rawValue
    public let socketPath: String
    let identifier: String
    let now: @Sendable () -> Date

    public init(socketPath: String = defaultSocketPath, identifier: String = "billing-alert", now: @escaping @Sendable () -> Date = Date.init) {
        self.socketPath = socketPath
        self.identifier = identifier
        self.now = now
    }

    /// Whether a syslog socket exists at `path`.
    public static func isAvailable(at path: String = defaultSocketPath) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    public func send(_ message: AlertMessage) async throws {
        // user.warning (1 * 8 + 4) for anomalies, user.info (1 * 8 + 6) for totals.
        let priority = if case .anomalies = message { 12 } else { 14 }
        for line in ConsoleChannel.lines(for: message) {
            try deliver(datagram(priority: priority, text: line))
        }
    }

    func datagram(priority: Int, text: String) -> String {
        let stamp = Self.timestamp(now())
        return "<\(priority)>\(stamp) \(identifier)[\(getpid())]: \(text)"
    }

    /// RFC 3164's `Mmm dd hh:mm:ss` in local time.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "MMM d HH:mm:ss"
        let text = formatter.string(from: date)
        // The day is padded with a space, not a zero: "Nov  6".
        let parts = text.split(separator: " ")
        return parts.count == 3 && parts[1].count == 1 ? "\(parts[0])  \(parts[1]) \(parts[2])" : text
    }

    private func deliver(_ text: String) throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #else
        let descriptor = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard descriptor >= 0 else { throw SyslogError(path: socketPath, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(socketPath.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw SyslogError(path: socketPath, reason: "the path is too long for a socket")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: pathBytes)
            buffer[pathBytes.count] = 0
        }
        let bytes = Array(text.utf8.prefix(8192))
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                sendto(descriptor, bytes, bytes.count, 0, socketAddress, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard sent == bytes.count else { throw SyslogError(path: socketPath, reason: String(cString: strerror(errno))) }
    }
}

public struct SyslogError: Error, CustomStringConvertible {
    var path: String
    var reason: String

    public var description: String {
        "could not write to syslog at \(path): \(reason); start a syslog daemon (rsyslog) or set alert.syslog: off"
    }
}
