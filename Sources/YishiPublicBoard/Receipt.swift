import Crypto
import Foundation

/// A 回执号: what a resident gets for a matter raised on the board, to look it up later.
/// Ten characters from an alphabet without look-alikes (no 0/O, 1/I/L), 50 random bits, so
/// one receipt says nothing about another (it is not the topic's number). Only its digest
/// is stored on the topic: the journal and the stations' replicas never hold the receipt.
public struct Receipt: Sendable, Equatable {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    public let code: String

    /// A new receipt, from the system's random source.
    public static func random() -> Receipt {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<10).map { _ in alphabet.randomElement(using: &generator)! }
        return Receipt(code: String(characters[..<5]) + "-" + String(characters[5...]))
    }

    /// A receipt as a person typed it: any case, with or without the hyphen or spaces.
    public init?(typed text: String) {
        // A browser sends a space in a query as “+”.
        let cleaned = Array(text.uppercased().filter { !" +-－—\u{3000}".contains($0) })
        guard cleaned.count == 10, cleaned.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        code = String(cleaned[..<5]) + "-" + String(cleaned[5...])
    }

    init(code: String) { self.code = code }

    /// What the topic stores: the receipt's SHA-256, under a name of its own.
    public var digest: String {
        SHA256.hash(data: Data("yishi-receipt:\(code)".utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
