import Crypto
import Foundation

/// How a sync request proves which station sent it and that it was not replayed.
///
/// The station signs method, path, the SHA-256 of the body, its id, a sequence number
/// and its clock. The sequence only ever rises (kept in the replica), so the central
/// refuses a replay by remembering one number per station, and needs no clock for it:
/// boxes without NTP are normal. The time is sent so `yishi status` can show the skew.
public enum RequestSignature {
    public static let stationHeader = "Yishi-Station"
    public static let sequenceHeader = "Yishi-Sequence"
    public static let timeHeader = "Yishi-Time"
    public static let signatureHeader = "Yishi-Signature"
    /// During a key rotation the station signs twice, with its enrolled key and with the new
    /// one: whichever the central holds when the request arrives, the request passes, so a
    /// rotation never costs a sync.
    public static let nextSignatureHeader = "Yishi-Signature-Next"

    public static func message(method: String, path: String, body: [UInt8], station: String, sequence: UInt64,
                               time: Int64) -> [UInt8] {
        let digest = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        return Array("\(method)\n\(path)\n\(digest)\n\(station)\n\(sequence)\n\(time)".utf8)
    }

    public static func headers(key: StationKey, next: StationKey? = nil, station: String, sequence: UInt64, time: Int64,
                               path: String, body: [UInt8]) -> [(String, String)] {
        let signed = message(method: "POST", path: path, body: body, station: station, sequence: sequence, time: time)
        return [
            (stationHeader, station), (sequenceHeader, String(sequence)), (timeHeader, String(time)),
            (signatureHeader, key.signature(for: signed)),
        ] + (next.map { [(nextSignatureHeader, $0.signature(for: signed))] } ?? [])
    }
}
