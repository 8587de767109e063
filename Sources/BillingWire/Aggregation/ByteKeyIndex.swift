import Foundation

/// Numbers distinct byte strings 0, 1, 2, ... in the order first seen, looked up by their bytes in
/// place: the aggregator finds a row's key without making a `String` of it.
///
/// With many keys every lookup misses the CPU caches, so each table slot carries the upper half of
/// the key's hash beside its number: a probe reads one slot, and the key's bytes only on a likely match.
struct ByteKeyIndex: Sendable {
    private var arena: [UInt8] = []
    /// Where each number's bytes are in `arena`: start in the upper half, length in the lower.
    private var spans: [UInt64] = []
    /// Open addressing: each slot holds the hash's upper 32 bits and the number plus one, 0 when empty.
    private var table = [UInt64](repeating: 0, count: 1024)

    var count: Int { spans.count }

    /// The number of `bytes`, adding them when new.
    @inline(__always)
    mutating func number(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let hash = Self.hash(bytes)
        return number(of: bytes, hash: hash, firstEntry: firstEntry(for: hash))
    }

    /// Whether number `number`'s bytes are `first`, 0xFF, `second`, 0xFF, `third`: a check of a guessed
    /// number that reads no table.
    @inline(__always)
    func holds(_ number: Int, _ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>, _ third: UnsafeBufferPointer<UInt8>) -> Bool {
        guard number < spans.count else { return false }
        let span = spans[number]
        guard Int(span & 0xFFFF_FFFF) == first.count + second.count + third.count + 2 else { return false }
        return arena.withUnsafeBufferPointer { arena in
            let start = arena.baseAddress! + Int(span >> 32)
            return (first.isEmpty || memcmp(start, first.baseAddress!, first.count) == 0)
                && start[first.count] == 0xFF
                && (second.isEmpty || memcmp(start + first.count + 1, second.baseAddress!, second.count) == 0)
                && start[first.count + 1 + second.count] == 0xFF
                && (third.isEmpty || memcmp(start + first.count + second.count + 2, third.baseAddress!, third.count) == 0)
        }
    }

    /// The table slot a lookup of `hash` reads first. Reading it early, then doing other work before
    /// `number(of:hash:firstEntry:)`, lets the memory access overlap that work.
    @inline(__always)
    func firstEntry(for hash: UInt64) -> UInt64 {
        table[Int(truncatingIfNeeded: hash) & (table.count - 1)]
    }

    @inline(__always)
    mutating func number(of bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, firstEntry: UInt64) -> Int {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        var first = true
        let found: Int? = table.withUnsafeBufferPointer { table in
            arena.withUnsafeBufferPointer { arena in
                spans.withUnsafeBufferPointer { spans in
                    while true {
                        let entry = first ? firstEntry : table[slot]
                        first = false
                        if entry == 0 { return nil }
                        if entry & 0xFFFF_FFFF_0000_0000 == tag {
                            let number = Int(entry & 0xFFFF_FFFF) - 1
                            let span = spans[number]
                            if Int(span & 0xFFFF_FFFF) == bytes.count,
                                memcmp(arena.baseAddress! + Int(span >> 32), bytes.baseAddress!, bytes.count) == 0
                            {
                                return number
                            }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        if let found { return found }
        let number = spans.count
        spans.append(UInt64(arena.count) << 32 | UInt64(bytes.count))
        arena.append(contentsOf: bytes)
        table[slot] = tag | UInt64(number + 1)
        if spans.count * 2 > table.count { grow() }
        return number
    }

    private mutating func grow() {
        var table = [UInt64](repeating: 0, count: self.table.count * 2)
        let mask = table.count - 1
        arena.withUnsafeBufferPointer { arena in
            for (number, span) in spans.enumerated() {
                let bytes = UnsafeBufferPointer(rebasing: arena[Int(span >> 32)..<Int(span >> 32) + Int(span & 0xFFFF_FFFF)])
                let hash = Self.hash(bytes)
                var slot = Int(truncatingIfNeeded: hash) & mask
                while table[slot] != 0 { slot = (slot + 1) & mask }
                table[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(number + 1)
            }
        }
        self.table = table
    }

    /// Eight bytes at a time, multiply-xorshift mixed; keys are ids, not attacker-chosen.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var index = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while index + 8 <= bytes.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count {
            tail |= UInt64(bytes[index]) << shift
            shift += 8
            index += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 29)
    }
}

/// Texts numbered in the order first seen, each made into a `String` once: the index and its texts
/// kept in step.
struct NumberedTexts: Sendable {
    private var index = ByteKeyIndex()
    private(set) var texts: [String] = []

    /// The number of `bytes`; `text` makes its `String` when they are new.
    @inline(__always)
    mutating func number(of bytes: UnsafeBufferPointer<UInt8>, text: () -> String) -> Int {
        let number = index.number(of: bytes)
        if number == texts.count { texts.append(text()) }
        return number
    }

    /// The number of `text`.
    mutating func number(of text: String) -> Int {
        var utf8 = text
        return utf8.withUTF8 { bytes in number(of: bytes) { text } }
    }

    subscript(number: Int) -> String { texts[number] }
}
