import JitsiToken
import Testing
import TestSupport

/// Tokens written in place into an output span with reserved capacity (the `mint --batch` record writer) and the
/// span copies it is made of.
struct InPlaceTokenTests {
    /// Every length from empty to past the word copies (0-3 bytes, 4-7, 8-16, 17-32, then `memcpy`) lands after the
    /// bytes already written, byte for byte.
    @Test func copiesSpansOfEveryLengthAfterTheWrittenBytes() {
        let source = (0..<80).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for count in 0...source.count {
            var output = Array("head".utf8)
            output.append(addingCapacity: count) { span in
                span.appendCopy(of: source.span.extracting(0..<count))
            }
            #expect(output == Array("head".utf8) + source[..<count], "count \(count)")
        }
    }

    @Test func copiesBytesWrittenEarlierInTheSameSpan() {
        var output = Array("x".utf8)
        output.append(addingCapacity: 20) { span in
            span.appendCopy(of: Array("token.".utf8).span)
            span.appendCopy(ofWritten: 0..<5)
            span.appendCopy(ofWritten: 5..<6)
        }
        #expect(String(decoding: output, as: UTF8.self) == "xtoken.token.")
    }

    /// A token begun and finished in place is the token ``TokenSigner/appendToken(to:start:payloadTail:)`` appends
    /// for the same start and tail, for every carried length and algorithm, and fits the bound the signer gives.
    @Test func tokensWrittenInPlaceAreTheAppendedTokens() throws {
        let signers = try SignerTests.signerOfEachAlgorithm()
        let payload = Array(SignerTests.expectedPayload.utf8)
        for signer in signers {
            for cut in [0, 1, 2, 3, 64, 65, 100, 101, 102, payload.count] {
                let start = signer.tokenStart(payloadPrefix: Array(payload[..<cut]))
                let tail = start.carriedPayload + payload[cut...]
                var appended = Array("before".utf8)
                signer.appendToken(to: &appended, start: start, payloadTail: tail.span)
                let bound = signer.maximumTokenLength(start: start, payloadTailBound: tail.count)
                var written = Array("before".utf8)
                written.append(addingCapacity: bound) { span in
                    let tokenStart = signer.beginToken(in: &span, start: start)
                    span.appendCopy(of: payload.span.extracting(cut...))
                    signer.finishToken(in: &span, start: start, from: tokenStart)
                }
                #expect(written == appended, "\(signer.algorithm) cut \(cut)")
                #expect(written.count - 6 <= bound, "\(signer.algorithm) cut \(cut)")
            }
        }
    }
}
