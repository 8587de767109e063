import Foundation

/// Decodes from a JSON number or a numeric string, as the billing API sends either; encodes as a number.
extension ExactDecimal: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = ExactDecimal(text.trimmingCharacters(in: .whitespaces)) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text.prefix(40))' is not a decimal number")
            }
            self = value
            return
        }
        let decimal = try container.decode(Decimal.self)
        guard let value = ExactDecimal(decimal.description) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\(decimal) is out of the supported decimal range")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(decimalValue)
    }

    /// The same value as a Foundation `Decimal`, which is exact for the 38 digits this type holds.
    public var decimalValue: Decimal {
        Decimal(string: description, locale: Locale(identifier: "en_US_POSIX")) ?? 0
    }
}
