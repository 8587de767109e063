/// JSON string literals written by hand, byte for byte as Foundation's `JSONEncoder` writes them
/// (`/` escaped, `\b \t \n \f \r` short, other control characters as `\u00xx`): the stores write one
/// for every part of every key, where the encoder took a seventh of a daily run.
public enum JSONText {
    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        append(text, to: &out)
        out += "\""
        return out
    }

    /// Appends `text`'s JSON escapes, without quotes.
    public static func append(_ text: String, to out: inout String) {
        // Names and labels rarely hold anything to escape: then the text goes in whole.
        guard text.utf8.contains(where: needsEscape) else {
            out += text
            return
        }
        var plainStart = text.utf8.startIndex
        var index = plainStart
        let utf8 = text.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            if let escape = escape(byte) {
                out += String(text[plainStart..<index])
                out += escape
                index = utf8.index(after: index)
                plainStart = index
            } else {
                index = utf8.index(after: index)
            }
        }
        out += String(text[plainStart..<index])
    }

    /// Whether `escape(byte)` is not nil, without making its text.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/")
    }

    private static func escape(_ byte: UInt8) -> String? {
        switch byte {
        case UInt8(ascii: "\""): "\\\""
        case UInt8(ascii: "\\"): "\\\\"
        case UInt8(ascii: "/"): "\\/"
        case 0x08: "\\b"
        case 0x09: "\\t"
        case 0x0A: "\\n"
        case 0x0C: "\\f"
        case 0x0D: "\\r"
        case 0..<0x20: "\\u00" + String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        default: nil
        }
    }
}
