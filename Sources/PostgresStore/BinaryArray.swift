import PostgresNIO

/// A one-dimensional PostgreSQL array of fixed-width values, read from its binary form as the server
/// sends it (a header, then each element's length and big-endian bytes).
///
/// The store reads history as arrays of tens of thousands of elements; PostgresNIO's generic array
/// decoding spent about a fifth of the baseline step's samples on them (`perf record`), most of it
/// looking up generic type information for each element.
struct BinaryArray {
    enum Element {
        case int8, float8, bool

        var type: PostgresDataType {
            switch self {
            case .int8: .int8
            case .float8: .float8
            case .bool: .bool
            }
        }

        var width: Int32 {
            switch self {
            case .int8, .float8: 8
            case .bool: 1
            }
        }
    }

    /// How many elements the array holds.
    let count: Int
    private let element: Element
    private let column: String
    private var rest: ByteBuffer

    /// Reads the header of `buffer`, an array of `element` values from `column` (named in errors).
    init(_ buffer: ByteBuffer, of element: Element, column: String) throws {
        var buffer = buffer
        self.element = element
        self.column = column
        guard let dimensions = buffer.readInteger(as: Int32.self), buffer.readInteger(as: Int32.self) != nil,
            let type = buffer.readInteger(as: UInt32.self)
        else {
            throw PostgresStoreError.corruptValue(column: column, value: "an array without its header")
        }
        switch dimensions {
        case 0:
            count = 0
        case 1:
            guard type == element.type.rawValue else {
                throw PostgresStoreError.corruptValue(column: column, value: "an array of type \(type), not \(element.type)")
            }
            guard let length = buffer.readInteger(as: Int32.self), buffer.readInteger(as: Int32.self) != nil, length >= 0,
                buffer.readableBytes == Int(length) * Int(4 + element.width)
            else {
                throw PostgresStoreError.corruptValue(column: column, value: "an array whose length does not match its bytes")
            }
            count = Int(length)
        default:
            throw PostgresStoreError.corruptValue(column: column, value: "an array of \(dimensions) dimensions")
        }
        rest = buffer
    }

    /// Moves to the next element's bytes; an element of another width is a NULL or of another type.
    private mutating func next() throws {
        guard let width = rest.readInteger(as: Int32.self), width == element.width else {
            throw PostgresStoreError.corruptValue(column: column, value: "an array element that is NULL or not \(element.type)")
        }
    }

    mutating func nextInt64() throws -> Int64 {
        try next()
        return rest.readInteger(as: Int64.self)!
    }

    mutating func nextDouble() throws -> Double {
        try next()
        return Double(bitPattern: rest.readInteger(as: UInt64.self)!)
    }

    mutating func nextBool() throws -> Bool {
        try next()
        return rest.readInteger(as: UInt8.self)! != 0
    }
}
