/// User names and passwords written into URLs (`scheme://USER:PASSWORD@HOST/...`), which an error
/// message must never repeat.
public enum URLCredentials {
    /// Whether `text` has a user or password part: an `@` after its scheme.
    public static func present(in text: some StringProtocol) -> Bool {
        text.contains("@")
    }

    /// `text` with everything between its scheme and its last `@` replaced by `***`, so a password
    /// that holds `@` or `/` is hidden whole; text without an `@` is returned as it is.
    ///
    /// `mysql://u:PW@h/db` becomes `mysql://***@h/db`, `postgres:/u:PW@h/db` becomes
    /// `postgres:/***@h/db`.
    public static func redacted(_ text: some StringProtocol) -> String {
        guard let at = text.lastIndex(of: "@") else { return String(text) }
        var start = text.startIndex
        if let colon = text[..<at].firstIndex(of: ":"), text[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }),
            !text[..<colon].isEmpty
        {
            start = text.index(after: colon)
            while start < at, text[start] == "/" { start = text.index(after: start) }
        }
        return String(text[..<start]) + "***" + String(text[at...])
    }
}
