import BillingCore

/// A configuration that cannot be used; the text names the key or file and what to write instead.
/// Values of secret keys are never repeated, nor the user and password parts of URLs.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case fileMissing(String)
        case notAFile(String)
        case unreadable(String, reason: String)
        case invalidYAML(String, reason: String)
        case unknownKey(String, key: String, suggestion: String?)
        case invalidValue(String, key: String, value: String?, expected: String)
        case mongoOnly(String)
    }

    private let code: Code

    static func fileMissing(_ path: String) -> Self { Self(code: .fileMissing(path)) }
    static func notAFile(_ path: String) -> Self { Self(code: .notAFile(path)) }
    static func unreadable(_ path: String, reason: String) -> Self { Self(code: .unreadable(path, reason: reason)) }
    static func invalidYAML(_ path: String, reason: String) -> Self { Self(code: .invalidYAML(path, reason: reason)) }
    static func unknownKey(_ path: String, key: String, suggestion: String?) -> Self {
        Self(code: .unknownKey(path, key: key, suggestion: suggestion))
    }
    /// `value` nil for secrets, which are never shown.
    static func invalidValue(_ path: String, key: String, value: String?, expected: String) -> Self {
        Self(code: .invalidValue(path, key: key, value: value, expected: expected))
    }
    static func mongoOnly(_ path: String) -> Self { Self(code: .mongoOnly(path)) }

    public var description: String {
        switch code {
        case .fileMissing(let path):
            return "the config file \(path) does not exist; copy config/settings_example.yaml there and fill it in, or leave out --config to use the embedded default"
        case .notAFile(let path):
            return "\(path) is not a regular file (a device, a folder or a pipe), so it cannot be a config file; give the path of a YAML file, or leave out --config to use the embedded default"
        case .unreadable(let path, let reason):
            return "cannot read the config file \(path): \(reason); check that it is a readable text file"
        case .invalidYAML(let path, let reason):
            return "the config file \(path) is not valid YAML: \(reason)"
        case .unknownKey(let path, let key, let suggestion):
            let hint = suggestion.map { "; did you mean \($0)?" } ?? "; see config/settings_example.yaml for the keys"
            return "the config file \(path) has an unknown key \(key)\(hint)"
        case .invalidValue(let path, let key, let value, let expected):
            // A URL's user and password are never repeated.
            let shown = value.map { " '\(URLCredentials.redacted($0).prefix(80))'" } ?? ""
            return "\(key)\(shown) in \(path) is not valid: expected \(expected)"
        case .mongoOnly(let path):
            return "\(path) configures MongoDB (mongo:), which billing-alert does not support: remove the mongo section and set store.url to sqlite:PATH (the default, data/billing.sqlite); the daily job rebuilds the data from the Billing API (`billing-alert backfill --from YYYYMMDD --to YYYYMMDD`)"
        }
    }
}
