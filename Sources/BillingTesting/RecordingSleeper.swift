import Synchronization

/// Stands in for `Task.sleep` in retry tests: records each requested wait and returns at once.
public final class RecordingSleeper: Sendable {
    private let waits = Mutex<[Duration]>([])

    public init() {}

    public var sleep: @Sendable (Duration) async throws -> Void {
        { duration in self.waits.withLock { $0.append(duration) } }
    }

    public var recorded: [Duration] {
        waits.withLock { $0 }
    }
}
