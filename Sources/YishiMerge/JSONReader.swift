/// A strict reader of one JSON text held as UTF-8 bytes, for the op decoder (as strict as
/// Foundation's parser that it replaced, which allowed a trailing comma and nothing else). It walks the
/// bytes once and hands out keys, strings and whole numbers as it meets them, so a line
/// becomes an op without a Foundation object graph in between (building that graph was
/// two thirds of the cost of taking in an op; see BENCHMARKS.md). Hand-written because
/// what it must do is small and fixed — RFC 8259 syntax, nothing more — and the libraries
/// that resolve here either build such a graph or decode through `Codable`, which cannot
/// tell the decoder's reasons apart ("cut short" from "wrong type" from "unknown key").
///
/// The caller has already checked that the bytes are UTF-8.
struct JSONReader {
    /// The line is not JSON: cut short, or something JSON does not allow.
    struct Malformed: Error {}

    /// A value where the op decoder expects a string or a whole number. Anything else is
    /// read (and so checked as JSON) but kept only as `other`, for a precise refusal.
    enum Value {
        case string(String)
        case integer(Int64)
        case null
        case other
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private static let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C, comma: UInt8 = 0x2C, colon: UInt8 = 0x3A

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The next byte after white space, without taking it.
    mutating func peek() -> UInt8? {
        skipSpace()
        return index < bytes.count ? bytes[index] : nil
    }

    mutating func expect(_ byte: UInt8) throws(Malformed) {
        guard peek() == byte else { throw Malformed() }
        index += 1
    }

    /// True at the end of the text (white space aside).
    mutating func atEnd() -> Bool { peek() == nil }

    /// Walks the members of an object: `body` is called with each key, positioned at its
    /// value, and must read that value. An empty object calls it never.
    mutating func members(_ body: (inout JSONReader, String) throws(Malformed) -> Void) throws(Malformed) {
        try rawMembers { (reader, key) throws(Malformed) in try body(&reader, key.text) }
    }

    /// As `members`, but hands out each key as its bytes where it has no escape (nearly
    /// always), so the caller can match it without making a string.
    mutating func rawMembers(_ body: (inout JSONReader, Key) throws(Malformed) -> Void) throws(Malformed) {
        try expect(0x7B)
        if peek() == 0x7D {
            index += 1
            return
        }
        while true {
            guard peek() == Self.quote else { throw Malformed() }
            let start = index + 1
            var end = start
            while end < bytes.count, bytes[end] != Self.quote, bytes[end] != Self.backslash, bytes[end] >= 0x20 { end += 1 }
            let key: Key
            if end < bytes.count, bytes[end] == Self.quote {
                key = .raw(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                index = end + 1
            } else {
                key = .decoded(try string())
            }
            try expect(Self.colon)
            try body(&self, key)
            switch peek() {
            case Self.comma:
                index += 1
                // A trailing comma, which Foundation's parser let through: so does this.
                if peek() == 0x7D {
                    index += 1
                    return
                }
            case 0x7D:
                index += 1
                return
            default: throw Malformed()
            }
        }
    }

    /// A key as `rawMembers` hands it out.
    enum Key {
        case raw(UnsafeBufferPointer<UInt8>)
        case decoded(String)

        var text: String {
            switch self {
            case .raw(let bytes): String(decoding: bytes, as: UTF8.self)
            case .decoded(let text): text
            }
        }
    }

    /// Walks the elements of an array, as `members` does.
    mutating func elements(_ body: (inout JSONReader) throws(Malformed) -> Void) throws(Malformed) {
        try expect(0x5B)
        if peek() == 0x5D {
            index += 1
            return
        }
        while true {
            try body(&self)
            switch peek() {
            case Self.comma:
                index += 1
                if peek() == 0x5D {
                    index += 1
                    return
                }
            case 0x5D:
                index += 1
                return
            default: throw Malformed()
            }
        }
    }

    /// A string, a whole number or null; any other value is read through and is `other`.
    mutating func value() throws(Malformed) -> Value {
        guard let next = peek() else { throw Malformed() }
        switch next {
        case Self.quote: return .string(try string())
        case 0x2D, 0x30...0x39: return try number()
        case 0x6E:
            try literal("null")
            return .null
        case 0x74:
            try literal("true")
            return .other
        case 0x66:
            try literal("false")
            return .other
        case 0x7B:
            try members { (reader, _) throws(Malformed) in try reader.skipValue() }
            return .other
        case 0x5B:
            try elements { (reader) throws(Malformed) in try reader.skipValue() }
            return .other
        default: throw Malformed()
        }
    }

    mutating func skipValue() throws(Malformed) { _ = try value() }

    private mutating func literal(_ word: StaticString) throws(Malformed) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Malformed() }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] { throw Malformed() }
        index += count
    }

    /// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`. A number whose value is whole and
    /// fits in 64 bits is an `integer`, as Foundation read it (`2e0` is 2, `1.5` is not).
    private mutating func number() throws(Malformed) -> Value {
        let start = index
        var negative = false
        if bytes[index] == 0x2D {
            negative = true
            index += 1
        }
        guard index < bytes.count, Self.isDigit(bytes[index]) else { throw Malformed() }
        var magnitude: UInt64 = 0
        var fits = true
        if bytes[index] == 0x30 {
            index += 1
            if index < bytes.count, Self.isDigit(bytes[index]) { throw Malformed() }
        } else {
            while index < bytes.count, Self.isDigit(bytes[index]) {
                let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
                let (plus, overflow2) = times.addingReportingOverflow(UInt64(bytes[index] - 0x30))
                if overflow1 || overflow2 { fits = false }
                magnitude = plus
                index += 1
            }
        }
        var whole = true
        if index < bytes.count, bytes[index] == 0x2E {
            whole = false
            index += 1
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw Malformed() }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            whole = false
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw Malformed() }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if !whole {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            return Double(text).flatMap { Int64(exactly: $0) }.map { .integer($0) } ?? .other
        }
        guard fits else { return .other }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return .other }
            return .integer(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude))
        }
        guard magnitude <= UInt64(Int64.max) else { return .other }
        return .integer(Int64(magnitude))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// A string. Most have no escape at all and are copied in one go; the rest are built
    /// byte by byte. A raw control character or a lone surrogate is not JSON.
    mutating func string() throws(Malformed) -> String {
        try expect(Self.quote)
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.quote {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == Self.backslash { break }
            if byte < 0x20 { throw Malformed() }
            index += 1
        }
        guard index < bytes.count else { throw Malformed() }
        var built = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case Self.quote: return String(decoding: built, as: UTF8.self)
            case Self.backslash: try escape(into: &built)
            case 0..<0x20: throw Malformed()
            default: built.append(byte)
            }
        }
        throw Malformed()
    }

    private mutating func escape(into built: inout [UInt8]) throws(Malformed) {
        guard index < bytes.count else { throw Malformed() }
        let byte = bytes[index]
        index += 1
        switch byte {
        case 0x22, 0x5C, 0x2F: built.append(byte)
        case 0x62: built.append(0x08)
        case 0x66: built.append(0x0C)
        case 0x6E: built.append(0x0A)
        case 0x72: built.append(0x0D)
        case 0x74: built.append(0x09)
        case 0x75:
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard index + 1 < bytes.count, bytes[index] == Self.backslash, bytes[index + 1] == 0x75 else { throw Malformed() }
                index += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw Malformed() }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw Malformed()
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw Malformed() }
            built.append(contentsOf: UTF8.encode(unicode)!)
        default: throw Malformed()
        }
    }

    private mutating func hex4() throws(Malformed) -> UInt32 {
        guard index + 4 <= bytes.count else { throw Malformed() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw Malformed()
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
