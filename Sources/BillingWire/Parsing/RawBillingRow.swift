import BillingCore

/// One row as the reader found it: where each known field's value lies in the page's bytes. It is
/// valid only while the sink's `take` runs.
struct RawBillingRow {
    let scanner: JSONScanner
    let tokens: UnsafeBufferPointer<JSONToken>
    /// Which fields the row has (bit n for field n); the others' tokens are left from earlier rows.
    let seen: UInt16
    /// Where the row's response is, such as `.pages[2].result`, and the row's place in its content.
    let resultPath: String
    let number: Int

    /// Where the row is, such as `.result.content[3]`, for errors; made only when one is thrown.
    var path: String { "\(resultPath).content[\(number)]" }

    @inline(__always) func token(_ field: BillingField) -> JSONToken {
        seen & 1 << field.rawValue == 0 ? JSONToken() : tokens[field.rawValue]
    }

    /// The bytes of a token, in place.
    @inline(__always) func bytes(of token: JSONToken) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: scanner.bytes[token.start..<token.end])
    }

    /// A text field: a string as is, a number as its exact digits, nil when null or absent.
    func text(_ field: BillingField) throws(BillingResponseError) -> String? {
        let token = token(field)
        switch token.kind {
        case .absent, .null: return nil
        case .string: return scanner.text(of: token)
        case .number:
            guard let value = ExactDecimal.parse(bytes(of: token)) else { throw outOfRange(field, token) }
            return value.description
        }
    }

    /// An amount: a number or a numeric string (blank counts as absent), nil when null or absent.
    @inline(__always)
    func decimal(_ field: BillingField) throws(BillingResponseError) -> ExactDecimal? {
        let token = token(field)
        switch token.kind {
        case .absent, .null: return nil
        case .number:
            if token.isSimple {
                let magnitude = Int128(token.magnitude)
                return ExactDecimal(significand: token.negative ? -magnitude : magnitude, scale: Int(token.scale))
            }
            guard let value = ExactDecimal.parse(bytes(of: token)) else { throw outOfRange(field, token) }
            return value
        case .string:
            if !token.hasEscapes, let value = ExactDecimal.parse(bytes(of: token)) { return value }
            let text = scanner.text(of: token)
            let trimmed = text.trimmingWhitespace
            if trimmed.isEmpty { return nil }
            guard let value = ExactDecimal(trimmed) else {
                throw BillingResponseError(reason: "\(path).\(field): '\(text.prefix(40))' is not a decimal number")
            }
            return value
        }
    }

    private func outOfRange(_ field: BillingField, _ token: JSONToken) -> BillingResponseError {
        let text = String(decoding: bytes(of: token).prefix(40), as: UTF8.self)
        return BillingResponseError(reason: "\(path).\(field): \(text) is out of the supported decimal range")
    }

    /// The whole row as a value.
    func row() throws(BillingResponseError) -> BillingRow {
        BillingRow(
            meteringDate: try text(.meteringDate), domainId: try text(.domainId), domainName: try text(.domainName),
            projectId: try text(.projectId), projectName: try text(.projectName), serviceId: try text(.serviceId),
            serviceName: try text(.serviceName), region: try text(.region), pricingType: try text(.pricingType),
            usageTime: try decimal(.usageTime), usageSize: try decimal(.usageSize),
            generalAmount: try decimal(.generalAmount), discountAmount: try decimal(.discountAmount),
            expectAmount: try decimal(.expectAmount))
    }
}

extension String {
    /// Without leading and trailing whitespace as Foundation's `CharacterSet.whitespaces` defines it
    /// (tab and the Unicode space separators), so amounts read the same on every path.
    var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { character in
            character.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
        }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}

/// Collects rows as values, for callers that want them all (the probe, tests).
struct RowCollector: BillingRowSink {
    var rows: [BillingRow] = []

    mutating func take(_ row: RawBillingRow) throws(BillingResponseError) {
        rows.append(try row.row())
    }
}
