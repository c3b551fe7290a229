import PropertyBased
import Testing
@testable import YishiSync

/// Which waiting ops go in one push. The central's receipt acknowledges the highest
/// counter a batch carried, so a batch must be a prefix of what waits: an op left out in
/// the middle would count as delivered and never be sent.
@Suite struct PushBatchTests {
    @Test func aBatchIsTheLongestPrefixThatFitsAndNeverSkipsALine() async {
        await propertyCheck(count: 2000, input: Gen.int(in: 1...600).array(of: 0...40), Gen.int(in: 1...4000)) { lengths, limit in
            let count = SyncSession.batchLength(lengths, maxBytes: limit)
            let bytes = lengths.prefix(count).reduce(0) { $0 + $1 + 1 }
            if lengths.isEmpty {
                #expect(count == 0)
            } else {
                // At least one line goes, however long, or a long op would never be sent.
                #expect(count >= 1)
                // What goes fits (with its newlines), unless it is the one line alone.
                #expect(count == 1 || bytes - 1 <= limit)
                // The next line would not have fitted.
                if count < lengths.count { #expect(bytes + lengths[count] > limit) }
            }
        }
    }

    /// The case the old selection got wrong: a long line that does not fit, then short
    /// ones that would. The batch ends before the long line.
    @Test func aShortLineNeverGoesAheadOfALongOneThatDidNotFit() {
        #expect(SyncSession.batchLength([300, 300, 900, 10, 10], maxBytes: 1000) == 2)
        #expect(SyncSession.batchLength([2000, 10], maxBytes: 1000) == 1)
        #expect(SyncSession.batchLength([10, 10, 10], maxBytes: 1000) == 3)
    }
}
