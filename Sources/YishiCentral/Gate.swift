import Synchronization

/// At most `limit` holders at once, and `perAddress` of one address. A request that finds
/// no room waits its turn, first come first served, for up to `patience`, and is then told
/// no (the station backs off and tries again).
///
/// Waiting holds a connection whose body is still unread, not the body, so a burst of honest
/// stations (fifty at once, or many behind one NAT) queues instead of failing, while what
/// strangers can make the central hold stays `limit` bodies; how many connections one
/// address may keep waiting is `connections_per_address`. Hand-written: a counting
/// semaphore with a per-key cap and a deadline, which no package here offers.
final class Gate: Sendable {
    let limit: Int
    let perAddress: Int
    let patience: Duration

    private struct Waiter {
        let ticket: UInt64
        let address: String
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var total = 0
        var byAddress: [String: Int] = [:]
        var queue: [Waiter] = []
        var nextTicket: UInt64 = 0

        func hasRoom(for address: String, limit: Int, perAddress: Int) -> Bool {
            total < limit && byAddress[address, default: 0] < perAddress
        }

        mutating func take(_ address: String) {
            total += 1
            byAddress[address, default: 0] += 1
        }
    }

    private let state = Mutex(State())

    init(limit: Int, perAddress: Int, patience: Duration = .seconds(10)) {
        self.limit = limit
        self.perAddress = perAddress
        self.patience = patience
    }

    /// True once the request holds a place (give it back with `leave`); false when none
    /// came within `patience`.
    func enter(_ address: String) async -> Bool {
        await withCheckedContinuation { continuation in
            let ticket: UInt64? = state.withLock { state in
                if state.hasRoom(for: address, limit: limit, perAddress: perAddress) {
                    state.take(address)
                    return nil
                }
                state.nextTicket += 1
                state.queue.append(Waiter(ticket: state.nextTicket, address: address, continuation: continuation))
                return state.nextTicket
            }
            guard let ticket else { return continuation.resume(returning: true) }
            Task { [patience] in
                try? await Task.sleep(for: patience)
                self.giveUp(ticket)
            }
        }
    }

    func leave(_ address: String) {
        let next: Waiter? = state.withLock { state in
            state.total -= 1
            state.byAddress[address, default: 1] -= 1
            if state.byAddress[address] == 0 { state.byAddress[address] = nil }
            // The first in line whose address has room: one address's queue does not hold up the rest.
            guard let index = state.queue.firstIndex(where: { state.hasRoom(for: $0.address, limit: limit, perAddress: perAddress) })
            else { return nil }
            let waiter = state.queue.remove(at: index)
            state.take(waiter.address)
            return waiter
        }
        next?.continuation.resume(returning: true)
    }

    /// A waiter's patience ran out: no, unless it was let in meanwhile.
    private func giveUp(_ ticket: UInt64) {
        let waiter: Waiter? = state.withLock { state in
            guard let index = state.queue.firstIndex(where: { $0.ticket == ticket }) else { return nil }
            return state.queue.remove(at: index)
        }
        waiter?.continuation.resume(returning: false)
    }
}
