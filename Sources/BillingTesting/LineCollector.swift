import Synchronization

/// Collects printed lines from code that takes an output closure.
public final class LineCollector: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    public var append: @Sendable (String) -> Void {
        { line in self.lines.withLock { $0.append(line) } }
    }

    public var text: String {
        lines.withLock { $0.joined(separator: "\n") }
    }
}
