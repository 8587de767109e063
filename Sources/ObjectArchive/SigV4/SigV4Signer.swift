import Crypto
import Foundation

/// AWS Signature Version 4 over headers, as S3-compatible stores such as Kakao Cloud Object Storage
/// expect it: no chunked payloads, no trailing checksums.
///
/// Pure: the time is an argument, and nothing here does I/O.
public struct SigV4Signer: Sendable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var region: String
    public var service: String
    /// S3 signs the path as sent; other services sign it with `.` and `..` segments and repeated
    /// slashes removed.
    public var normalizesPath: Bool
    /// Temporary credentials' token, signed as `x-amz-security-token`.
    public var sessionToken: String?

    public init(accessKeyId: String, secretAccessKey: String, region: String, service: String = "s3", sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.region = region
        self.service = service
        self.normalizesPath = service != "s3"
        self.sessionToken = sessionToken
    }

    /// The signature's parts for `request` at `amzDate` (`YYYYMMDDTHHMMSSZ`, also in its `x-amz-date`).
    public func signature(for request: SigV4Request, amzDate: String) -> Signature {
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        var request = request
        if let sessionToken, !request.headers.contains(where: { $0.name.lowercased() == "x-amz-security-token" }) {
            request.headers.append(("x-amz-security-token", sessionToken))
        }
        let canonical = CanonicalRequest(request, normalizesPath: normalizesPath)
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Data(canonical.text.utf8)))]
            .joined(separator: "\n")
        let key = signingKey(day: day)
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(accessKeyId)/\(scope), SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
        return Signature(
            canonicalRequest: canonical.text, stringToSign: stringToSign, signature: signature, authorization: authorization)
    }

    /// The key for one day, region and service, derived from the secret.
    public func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// `YYYYMMDDTHHMMSSZ` for `date`, in UTC.
    public static func amzDate(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - day * 86_400
        var days = day + 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        days -= era * 146_097
        let yearOfEra = (days - days / 1460 + days / 36524 - days / 146_096) / 365
        let dayOfYear = days - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", year, month, dayOfMonth, time / 3600, time % 3600 / 60, time % 60)
    }

    public static func sha256Hex(_ data: some DataProtocol) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    public struct Signature: Sendable, Hashable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
        /// The `Authorization` header's value.
        public var authorization: String
    }
}
