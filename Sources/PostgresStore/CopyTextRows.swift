import Foundation
import PostgresNIO

/// Rows for `COPY ... FROM STDIN` in PostgreSQL's text format: fields split by tabs, each row ended
/// by a newline, a backslash, tab, newline or carriage return inside a value escaped. Each value is
/// written as PostgreSQL reads back the very value the same Swift value's binary bind would give.
struct CopyTextRows {
    private(set) var buffer: ByteBuffer
    private var atRowStart = true
    /// The last time written, and its text: a run's rows mostly share one time.
    private var lastTime: (date: Date, text: String)?

    init(capacity: Int = 1 << 16) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    private mutating func startField() {
        if !atRowStart { buffer.writeInteger(UInt8(ascii: "\t")) }
        atRowStart = false
    }

    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        atRowStart = true
    }

    mutating func text(_ value: String) {
        startField()
        var value = value
        value.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() {
                let escaped: UInt8? =
                    switch byte {
                    case UInt8(ascii: "\\"): UInt8(ascii: "\\")
                    case UInt8(ascii: "\t"): UInt8(ascii: "t")
                    case UInt8(ascii: "\n"): UInt8(ascii: "n")
                    case UInt8(ascii: "\r"): UInt8(ascii: "r")
                    default: nil
                    }
                guard let escaped else { continue }
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<index]))
                buffer.writeInteger(UInt8(ascii: "\\"))
                buffer.writeInteger(escaped)
                start = index + 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start...]))
        }
    }

    /// The shortest text that reads back as the same double.
    mutating func double(_ value: Double) {
        startField()
        if value.isNaN {
            buffer.writeString("NaN")
        } else if value.isInfinite {
            buffer.writeString(value < 0 ? "-Infinity" : "Infinity")
        } else {
            buffer.writeString(value.description)
        }
    }

    mutating func integer(_ value: Int) {
        startField()
        buffer.writeString(String(value))
    }

    mutating func bool(_ value: Bool) {
        startField()
        buffer.writeInteger(UInt8(ascii: value ? "t" : "f"))
    }

    /// A timestamptz to the microsecond, cut toward zero as PostgresNIO's binary encoding cuts it.
    mutating func timestamp(_ date: Date) {
        startField()
        if let lastTime, lastTime.date == date {
            buffer.writeString(lastTime.text)
            return
        }
        let sincePostgresEpoch = Int64(date.timeIntervalSince(Self.postgresEpoch) * 1_000_000)
        let sinceUnixEpoch = sincePostgresEpoch + 946_684_800 * 1_000_000
        let (seconds, micros) = (sinceUnixEpoch.floorDivided(by: 1_000_000), sinceUnixEpoch.floorModulo(1_000_000))
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let text = String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.%06d+00", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(micros))
        buffer.writeString(text)
        lastTime = (date, text)
    }

    private static let postgresEpoch = Date(timeIntervalSince1970: 946_684_800)
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
