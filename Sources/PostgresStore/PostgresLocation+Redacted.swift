/// Debugging or dumping a location never shows the password (`description` leaves it out too).
extension PostgresLocation: CustomDebugStringConvertible, CustomReflectable {
    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host, "port": port, "user": user, "password": password == nil ? "none" : "<redacted>",
                "database": database, "tls": tls,
            ])
    }
}
