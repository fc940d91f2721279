@testable import JitsiToken
import Testing
import TestSupport

/// The start that messages share is absorbed into the HMAC key once (``SharedHMACStart``); every MAC must be the one
/// the key computes over the whole message, whatever came before it.
struct SharedHMACStartTests {
    static let algorithms: [SignatureAlgorithm] = [.hs256, .hs384, .hs512]

    /// The MAC of `message` under `key` as bytes, computed from `start`.
    static func code(_ start: inout SharedHMACStart, _ key: KeyedHMAC, _ message: [UInt8]) -> [UInt8] {
        bytes(of: start.authenticationCode(under: key, for: message.span))
    }

    static func wholeCode(_ key: KeyedHMAC, _ message: [UInt8]) -> [UInt8] {
        bytes(of: key.authenticationCode(for: message.span))
    }

    static func bytes(of code: AuthenticationCode) -> [UInt8] {
        var bytes: [UInt8] = []
        code.withBytes { appendContents(of: $0, to: &bytes) }
        return bytes
    }

    @Test func everyMACIsTheWholeMessagesWhateverStartsTheMessagesBeforeItShared() {
        var random = SplitMix64(seed: 12)
        // Two keys of each algorithm, and one start for them all, as one worker of a batch has.
        let keys = Self.algorithms.flatMap { algorithm in
            (0..<2).map { index in KeyedHMAC(algorithm, key: Array("secret \(index) of \(algorithm)".utf8)) }
        }
        var start = SharedHMACStart()
        var previous: [UInt8] = []
        var compared = 0
        var sharedStarts = 0
        for _ in 0..<3_000 {
            // A message that begins like the one before for a length near a block boundary (or anywhere), then goes
            // on differently.
            let lengths = [0, 1, 63, 64, 65, 127, 128, 129, 191, 192, 255, 256, 257, 300, 400]
            let kept = min(lengths[Int(random.next() % UInt64(lengths.count))], previous.count)
            var message = Array(previous.prefix(kept))
            let rest = Int(random.next() % 300)
            for _ in 0..<rest { message.append(UInt8(truncatingIfNeeded: random.next())) }
            // Mostly the same key as the last message, sometimes another one of the same or another algorithm.
            let key = keys[random.next() % 4 == 0 ? Int(random.next() % UInt64(keys.count)) : compared % 2]
            #expect(Self.code(&start, key, message) == Self.wholeCode(key, message), "message \(compared)")
            if start.startBytes > 0 { sharedStarts += 1 }
            previous = message
            compared += 1
        }
        // The start was used, not only kept empty.
        #expect(sharedStarts > 1_000)
    }

    @Test(arguments: algorithms)
    func theStartIsTheWholeBlocksTwoMessagesInARowBeganWith(_ algorithm: SignatureAlgorithm) {
        let key = KeyedHMAC(algorithm, key: Array("k".utf8))
        let block = algorithm == .hs256 ? 64 : 128
        let header = Array(repeating: UInt8(ascii: "h"), count: 2 * block + 5)
        var start = SharedHMACStart()
        var starts: [Int] = []
        for tail in ["a", "b", "c"] {
            _ = Self.code(&start, key, header + Array(tail.utf8))
            starts.append(start.startBytes)
        }
        // A message that does not begin with the start is hashed whole, and the start is the blocks it shares with
        // the one before that missed.
        _ = Self.code(&start, key, Array(header.prefix(block + 3)) + Array("d".utf8))
        starts.append(start.startBytes)
        _ = Self.code(&start, key, Array(header.prefix(block + 3)) + Array("e".utf8))
        starts.append(start.startBytes)
        #expect(starts == [0, 2 * block, 2 * block, block, block])
    }

    @Test(arguments: algorithms)
    func aKeyCopiedForAThreadOfItsOwnSignsAsTheKeyAndKeepsItsStart(_ algorithm: SignatureAlgorithm) {
        let message = Array(repeating: UInt8(ascii: "m"), count: 300)
        var original: KeyedHMAC? = KeyedHMAC(algorithm, key: Array("the key".utf8))
        let expected = original.map { Self.wholeCode($0, message) } ?? []
        var start = SharedHMACStart()
        _ = original.map { Self.code(&start, $0, message) }
        _ = original.map { Self.code(&start, $0, message) }
        let copy = original.map(KeyedHMAC.init(copying:))
        // The original's states are gone; the copy has its own.
        original = nil
        guard let copy else { return }
        #expect(Self.wholeCode(copy, message) == expected)
        // The same key, so the start the original's messages shared serves the copy's.
        #expect(start.startBytes > 0)
        #expect(Self.code(&start, copy, message) == expected)
        #expect(start.startBytes > 0)
    }

    @Test func aStartOfOneKeyIsNotUsedForAnother() {
        let message = Array(repeating: UInt8(ascii: "m"), count: 300)
        let first = KeyedHMAC(.hs256, key: Array("first".utf8))
        let second = KeyedHMAC(.hs256, key: Array("second".utf8))
        var start = SharedHMACStart()
        _ = Self.code(&start, first, message)
        _ = Self.code(&start, first, message)
        #expect(start.startBytes == 256)
        #expect(Self.code(&start, second, message) == Self.wholeCode(second, message))
        #expect(Self.code(&start, second, message) != Self.wholeCode(first, message))
    }
}
