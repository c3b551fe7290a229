/// Builds one JSON line as UTF-8 bytes.
struct LineWriter {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(256) }

    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Text known to need no escaping (kind names, numbers).
    mutating func text(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func quoted(_ text: String) { JSONText.append(text, to: &bytes) }

    mutating func optional(_ text: String?) {
        if let text { quoted(text) } else { raw("null") }
    }

    mutating func list(_ items: [String]) {
        raw("[")
        for (index, item) in items.enumerated() {
            if index > 0 { raw(",") }
            quoted(item)
        }
        raw("]")
    }

    mutating func number(_ value: UInt64) {
        if value < 10 {
            bytes.append(0x30 + UInt8(value))
            return
        }
        var digits: [UInt8] = []
        var rest = value
        while rest > 0 {
            digits.append(0x30 + UInt8(rest % 10))
            rest /= 10
        }
        bytes.append(contentsOf: digits.reversed())
    }

    /// `HL3-01:17`
    mutating func dot(_ dot: Dot) {
        bytes.append(contentsOf: dot.replica.rawValue.utf8)
        bytes.append(0x3A)
        number(dot.counter)
    }

    /// `HL3-01:17:2`
    mutating func valueID(_ id: ValueID) {
        dot(id.dot)
        bytes.append(0x3A)
        number(UInt64(id.index))
    }

    /// `2026-11-22T08:00:00.000Z`, as `WallTime.description` writes it.
    mutating func wallTime(_ time: WallTime) {
        let (days, msOfDay) = time.milliseconds.floorDivided(by: 86_400_000)
        let (year, month, day) = WallTime.civil(fromDays: days)
        guard (0...9999).contains(year) else {
            text(time.description)
            return
        }
        let seconds = msOfDay / 1000
        padded(year, 4)
        bytes.append(0x2D)
        padded(month, 2)
        bytes.append(0x2D)
        padded(day, 2)
        bytes.append(0x54)
        padded(seconds / 3600, 2)
        bytes.append(0x3A)
        padded(seconds / 60 % 60, 2)
        bytes.append(0x3A)
        padded(seconds % 60, 2)
        bytes.append(0x2E)
        padded(msOfDay % 1000, 3)
        bytes.append(0x5A)
    }

    private mutating func padded(_ value: Int64, _ width: Int) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(0x30 + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
