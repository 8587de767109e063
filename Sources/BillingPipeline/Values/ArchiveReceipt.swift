/// Where an archive put a day: in the archive, or, when the archive refused it, in the local spool,
/// which a later run uploads. Either way the day is safe; the second is reported at the end of the run.
public enum ArchiveReceipt: Sendable, Hashable {
    /// In the archive, at this place (no credentials).
    case stored(at: String)
    /// In the spool at `at`, because the archive failed with `reason`.
    case spooled(at: String, reason: String)

    /// Where the day is now.
    public var location: String {
        switch self {
        case .stored(let at), .spooled(let at, _): at
        }
    }
}
