import Foundation

/// One row of `costs --format json` (and `/api/v1/costs`), as a script reads it.
struct CostRow: Decodable, Hashable {
    var date: String
    var domainId: String
    var domainName: String
    var projectId: String
    var projectName: String
    var serviceId: String
    var serviceName: String
    var expectAmount: Decimal
}

enum ExpectedText {
    /// `12,345.68`: Foundation's own grouping and rounding (half up), independent of the tool's code.
    static func grouped(_ amount: Decimal) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.minimumFractionDigits = 2
        formatter.maximumFractionDigits = 2
        formatter.locale = Locale(identifier: "en_US")
        formatter.roundingMode = .halfUp
        return formatter.string(from: amount as NSDecimalNumber)!
    }
}
