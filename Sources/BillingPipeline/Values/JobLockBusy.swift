/// Another run holds the lock, so this one did nothing.
public struct JobLockBusy: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var waited: Duration

    public init(name: String, waited: Duration) {
        self.name = name
        self.waited = waited
    }

    public var description: String {
        let waitedText = waited == .zero ? "" : " after waiting \(waited.components.seconds) s"
        return "another run of \(name.replacingOccurrences(of: ":", with: " for ")) is in progress, so this one stopped\(waitedText) without writing anything; set lock.waitSeconds to wait for it instead"
    }
}
