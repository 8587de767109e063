import BillingCore
import BillingWire

/// One page of a day's rows: the exact body the source sent.
public struct BillingPage: Sendable {
    public var number: Int
    public var body: [UInt8]

    public init(number: Int, body: [UInt8]) {
        self.number = number
        self.body = body
    }
}
