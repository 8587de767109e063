/// Printing, debugging or dumping the configuration never shows the credential secret.
extension KakaoBillingConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "KakaoBillingConfiguration(baseURL: \(baseURL), credentialId: \(credentialId), credentialSecret: <redacted>, pageSize: \(pageSize), maxPages: \(maxPages), timeout: \(timeout))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "baseURL": baseURL, "credentialId": credentialId, "credentialSecret": "<redacted>", "pageSize": pageSize,
                "maxPages": maxPages, "timeout": timeout, "retry": retry,
            ])
    }
}
