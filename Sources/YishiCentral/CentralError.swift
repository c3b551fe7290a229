import HTTPTypes
import YishiSync

/// Why the central refused a request: a status, a reason for machines (and the metrics),
/// and a message for the person looking after the station. Nothing is stored when one is
/// thrown.
struct CentralError: Error {
    var status: HTTPResponse.Status
    var reason: String
    var message: String

    static func unauthorized(_ reason: String, _ message: String) -> CentralError {
        CentralError(status: .unauthorized, reason: reason, message: message)
    }

    static func forbidden(_ reason: String, _ message: String) -> CentralError {
        CentralError(status: .forbidden, reason: reason, message: message)
    }

    static func badRequest(_ reason: String, _ message: String) -> CentralError {
        CentralError(status: .badRequest, reason: reason, message: message)
    }

    var body: [UInt8] { WireFormat.json(WireFormat.Refusal(error: message, reason: reason)) }
}
