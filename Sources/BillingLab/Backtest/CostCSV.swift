import BillingApp
import BillingCore
import Foundation

/// Daily costs from a CSV file: a header with at least `date,domainId,projectId,expectAmount` and a
/// `service` (a name or an id) or `serviceId` column, as `costs --format csv` writes it (date as
/// YYYY-MM-DD or YYYYMMDD). `domainName`, `projectName` and `serviceName` name the keys when present;
/// other columns are ignored.
public struct CostCSV: Sendable {
    public struct Key: Sendable, Hashable, Comparable {
        public var domainId: String
        public var projectId: String
        public var service: String

        public static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.domainId, lhs.projectId, lhs.service) < (rhs.domainId, rhs.projectId, rhs.service)
        }
    }

    static let required = ["date", "domainId", "projectId", "service", "expectAmount"]

    /// The cost per key and day; rows for the same key and day add up.
    public private(set) var costs: [Key: [CalendarDay: ExactDecimal]] = [:]
    /// Each key's names, from the last row that gave them.
    public private(set) var names: [Key: (domain: String, project: String, service: String)] = [:]

    public init(text: String, source: String) throws {
        var lines = Self.records(text).makeIterator()
        guard let header = lines.next() else { throw CostCSVError(source: source, line: 1, reason: "the file is empty; it needs a header") }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var position: [String: Int] = [:]
        for name in Self.required {
            // `costs --format csv` names the service by serviceId (and serviceName).
            guard let index = columns.firstIndex(of: name) ?? (name == "service" ? columns.firstIndex(of: "serviceId") : nil) else {
                throw CostCSVError(
                    source: source, line: 1,
                    reason: "the header has no \(name) column; it needs \(Self.required.joined(separator: ",")) (or serviceId for service; it has \(columns.joined(separator: ",")))")
            }
            position[name] = index
        }
        for name in ["domainName", "projectName", "serviceName"] { position[name] = columns.firstIndex(of: name) }
        var lineNumber = 1
        while let fields = lines.next() {
            lineNumber += 1
            if fields.count == 1, fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            func field(_ name: String) throws -> String {
                let index = position[name]!
                guard index < fields.count else {
                    throw CostCSVError(source: source, line: lineNumber, reason: "it has \(fields.count) fields, fewer than the header")
                }
                return fields[index].trimmingCharacters(in: .whitespaces)
            }
            guard let day = CalendarDay(try field("date")) else {
                throw CostCSVError(source: source, line: lineNumber, reason: "'\(try field("date"))' is not a date (YYYY-MM-DD or YYYYMMDD)")
            }
            let text = try field("expectAmount")
            guard let amount = text.isEmpty ? .zero : ExactDecimal(text) else {
                throw CostCSVError(source: source, line: lineNumber, reason: "expectAmount '\(text)' is not a number")
            }
            let key = Key(domainId: try field("domainId"), projectId: try field("projectId"), service: try field("service"))
            costs[key, default: [:]][day, default: .zero] += amount
            func optional(_ name: String) -> String {
                guard let index = position[name] ?? nil, index < fields.count else { return "" }
                return fields[index].trimmingCharacters(in: .whitespaces)
            }
            if position["serviceName"] != nil || position["projectName"] != nil || position["domainName"] != nil {
                names[key] = (optional("domainName"), optional("projectName"), optional("serviceName"))
            }
        }
    }

    /// RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks.
    static func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var characters = text.makeIterator()
        var pending: Character?
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let following = characters.next()
                    if following == "\"" { field.append("\"") } else { quoted = false; pending = following }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",": record.append(field); field = ""
            case "\n", "\r\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
            case "\r": continue
            default: field.append(character)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }
}

public struct CostCSVError: Error, Sendable, CustomStringConvertible {
    var source: String
    var line: Int
    var reason: String

    public var description: String {
        "\(source), line \(line): \(reason); fix the file and run the backtest again"
    }
}
