/// Builds one JSON line as UTF-8 bytes.
struct LineWriter {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(512) }

    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Text known to need no escaping (kind names, numbers), copied as one span of bytes.
    mutating func text(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

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

    /// Written in place, last digit first: an array of digits per number was a third of
    /// encoding an op.
    mutating func number(_ value: UInt64) {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        let end = bytes.count + count
        bytes.append(contentsOf: repeatElement(0x30, count: count))
        rest = value
        for index in stride(from: end - 1, through: end - count, by: -1) {
            bytes[index] = 0x30 + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// `HL3-01:17`
    mutating func dot(_ dot: Dot) {
        text(dot.replica.rawValue)
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
