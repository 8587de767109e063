/// What a person reads in a terminal: the columns that matter, numbers right-aligned, a totals line,
/// and a sentence instead of a bare header when nothing matched. Names that would push a line past
/// the width are cut, longest first, and marked with "…"; nothing else is.
public struct TextTable: Sendable {
    public struct Column: Sendable {
        public var header: String
        /// Numbers: right-aligned.
        public var isNumber: Bool
        /// Names, which may be cut to fit the width.
        public var isName: Bool

        public init(_ header: String, number: Bool = false, name: Bool = false) {
            self.header = header
            self.isNumber = number
            self.isName = name
        }
    }

    public var columns: [Column]
    public var rows: [[String]] = []
    /// Under the rows, after a rule; one cell per column.
    public var totals: [String]?
    /// What to print when there are no rows.
    public var empty: String
    /// Lines printed after the table, such as a summary.
    public var notes: [String] = []

    public init(columns: [Column], rows: [[String]] = [], totals: [String]? = nil, empty: String) {
        self.columns = columns
        self.rows = rows
        self.totals = totals
        self.empty = empty
    }

    /// The narrowest a cut text column gets.
    static let minimumCut = 8

    /// Lines no wider than `width` where the text columns can give way; nil never cuts.
    public func render(width: Int? = 120) -> String {
        let notes = self.notes.flatMap { Self.wrap($0, width: width) }
        guard !rows.isEmpty else { return (Self.wrap(empty, width: width) + notes).joined(separator: "\n") }
        let lines = rows + (totals.map { [$0] } ?? [])
        var widths = columns.indices.map { index in
            max(Self.columns(columns[index].header), lines.map { Self.columns($0[index]) }.max() ?? 0)
        }
        if let width {
            var excess = widths.reduce(0, +) + 2 * (columns.count - 1) - width
            while excess > 0 {
                // Take one character at a time from the widest text column that can still give.
                guard let widest = columns.indices.filter({ columns[$0].isName && widths[$0] > Self.minimumCut })
                    .max(by: { widths[$0] < widths[$1] })
                else { break }
                widths[widest] -= 1
                excess -= 1
            }
        }
        func cell(_ text: String, _ index: Int) -> String {
            let room = widths[index]
            let fitted = Self.columns(text) > room ? Self.cut(text, to: room - 1) + "…" : text
            let pad = String(repeating: " ", count: room - Self.columns(fitted))
            if columns[index].isNumber { return pad + fitted }
            return index == columns.count - 1 ? fitted : fitted + pad
        }
        func line(_ cells: [String]) -> String {
            let text = cells.indices.map { cell(cells[$0], $0) }.joined(separator: "  ")
            return String(text.reversed().drop { $0 == " " }.reversed())
        }
        var output = [line(columns.map(\.header))] + rows.map(line)
        if let totals {
            output.append(String(repeating: "-", count: widths.reduce(0, +) + 2 * (columns.count - 1)))
            output.append(line(totals))
        }
        if !notes.isEmpty { output += [""] + notes }
        return output.joined(separator: "\n")
    }
}

extension TextTable {
    /// How many terminal columns `text` takes: two for each wide character (Hangul, CJK, fullwidth
    /// forms, most emoji), one for any other character.
    static func columns(_ text: String) -> Int {
        text.reduce(0) { $0 + columns($1) }
    }

    /// The code points a terminal draws two columns wide.
    private static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
        0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]

    static func columns(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first?.value else { return 0 }
        // Most text is ASCII, below every wide range.
        return scalar >= 0x1100 && wide.contains { $0.contains(scalar) } ? 2 : 1
    }

    /// `text` in lines of at most `width` columns, broken between words; nil keeps it one line.
    static func wrap(_ text: String, width: Int?) -> [String] {
        guard let width, columns(text) > width else { return [text] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, columns(line) + 1 + columns(String(word)) > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The longest start of `text` that fits in `room` columns.
    static func cut(_ text: String, to room: Int) -> String {
        var used = 0
        return String(text.prefix { character in
            used += columns(character)
            return used <= room
        })
    }
}

/// One listing in every format: the stored fields as `Table` (JSON and CSV, which are contracts) and
/// the columns a person reads as `TextTable`.
public struct Listing: Sendable {
    public var data: Table
    public var text: TextTable

    public init(data: Table, text: TextTable) {
        self.data = data
        self.text = text
    }

    /// `wide` keeps every character of the text form.
    public func render(_ format: Table.Format, wide: Bool = false) -> String {
        format == .table ? text.render(width: wide ? nil : 120) : data.render(format)
    }
}
