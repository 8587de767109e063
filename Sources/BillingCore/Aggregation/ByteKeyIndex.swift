/// Numbers distinct byte strings 0, 1, 2, ... in the order first seen, looked up by their bytes in
/// place: the aggregator finds a row's key without making a `String` of it.
struct ByteKeyIndex: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var hashes: [UInt64] = []
    /// Open addressing: each slot holds a number plus one, 0 when empty.
    private var table = [Int32](repeating: 0, count: 1024)

    var count: Int { starts.count }

    /// The number of `bytes`, adding them when new.
    @inline(__always)
    mutating func number(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let hash = Self.hash(bytes)
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(table[slot])
            if entry == 0 { break }
            let number = entry - 1
            if hashes[number] == hash, lengths[number] == bytes.count, equal(number, bytes) { return number }
            slot = (slot + 1) & mask
        }
        let number = starts.count
        starts.append(arena.count)
        lengths.append(bytes.count)
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        table[slot] = Int32(number + 1)
        if starts.count * 2 > table.count { grow() }
        return number
    }

    /// The bytes numbered `number`.
    func bytes(_ number: Int) -> ArraySlice<UInt8> {
        arena[starts[number]..<starts[number] + lengths[number]]
    }

    @inline(__always)
    private func equal(_ number: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { arena in
            let start = starts[number]
            for offset in 0..<bytes.count where arena[start + offset] != bytes[offset] { return false }
            return true
        }
    }

    private mutating func grow() {
        var table = [Int32](repeating: 0, count: self.table.count * 2)
        let mask = table.count - 1
        for number in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[number]) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(number + 1)
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
