/// Printing, debugging or dumping the configuration never shows the secret key.
extension S3Archive.Configuration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "S3Archive.Configuration(\(display), region: \(region), accessKey: \(accessKey), secretKey: <redacted>)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "endpoint": endpoint, "bucket": bucket, "prefix": prefix, "accessKey": accessKey, "secretKey": "<redacted>",
                "region": region, "timeout": timeout,
            ])
    }
}
