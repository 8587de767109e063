import Foundation

/// Rows of named, typed cells, rendered as an aligned table, CSV, or a JSON array of objects.
public struct Table: Sendable {
    public enum Cell: Sendable, Hashable {
        case text(String)
        /// A number already in exact decimal notation; JSON gets it unquoted, digit for digit.
        case number(String)
        case bool(Bool)
        case list([String])
        case null
    }

    public enum Format: String, Sendable, CaseIterable {
        case table, json, csv
    }

    public var columns: [String]
    public var rows: [[Cell]]

    public init(columns: [String], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = rows
    }

    public func render(_ format: Format) -> String {
        switch format {
        case .table: return aligned()
        case .json: return json()
        case .csv: return csv()
        }
    }

    private func plain(_ cell: Cell) -> String {
        switch cell {
        case .text(let text), .number(let text): return text
        case .bool(let value): return value ? "true" : "false"
        case .list(let items): return items.joined(separator: ";")
        case .null: return ""
        }
    }

    private func aligned() -> String {
        let texts = rows.map { $0.map(plain) }
        let widths = columns.indices.map { index in
            max(columns[index].count, texts.map { $0[index].count }.max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, text in
                index == cells.count - 1 ? text : text.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(columns)] + texts.map(line)).joined(separator: "\n")
    }

    private func csv() -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        return ([columns] + rows.map { $0.map(plain) }).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n")
    }

    private func json() -> String {
        func string(_ text: String) -> String {
            String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
        }
        func value(_ cell: Cell) -> String {
            switch cell {
            case .text(let text): return string(text)
            case .number(let text): return text
            case .bool(let value): return value ? "true" : "false"
            case .list(let items): return "[" + items.map(string).joined(separator: ",") + "]"
            case .null: return "null"
            }
        }
        let objects = rows.map { row in
            "  {" + zip(columns, row).map { "\(string($0)): \(value($1))" }.joined(separator: ", ") + "}"
        }
        return objects.isEmpty ? "[]" : "[\n" + objects.joined(separator: ",\n") + "\n]"
    }
}
