/// A token of base64url characters and exactly two dots between non-empty segments, found where it lies in a line
/// (a batch line's `"token"` string or the whole line) in the pass that finds where it ends, so that the verifier
/// neither checks nor splits its bytes again.
public struct CompactTokenSplit: Sendable, Equatable {
    /// Where the token lies in the array scanned (its indices): a range, not a slice, so that passing the split on
    /// counts no reference to the array.
    public let token: Range<Int>
    /// The three segments (indices of the array scanned), as ``tokenSegmentRanges(_:)`` finds them in ``token``.
    let header: Range<Int>
    let payload: Range<Int>
    let signature: Range<Int>

    /// The run of base64url characters and dots in `bytes` from `start` on, before `limit` (at most the count; a
    /// batch line's end in its chunk): where it ends (the first other byte, or `limit`), and the split when the run
    /// is a compact token.
    public static func scan(_ bytes: [UInt8], from start: Int, to limit: Int) -> (end: Int, split: CompactTokenSplit?) {
        let (end, dots, dotCount) = compactTokenRun(bytes, from: start, to: limit)
        guard dotCount == 2, dots[0] > start, dots[1] > dots[0] + 1, end > dots[1] + 1 else { return (end, nil) }
        return (
            end,
            CompactTokenSplit(
                token: start..<end, header: start..<dots[0], payload: dots[0] + 1..<dots[1],
                signature: dots[1] + 1..<end)
        )
    }

    /// The segments as ``tokenSegmentRanges(_:)`` gives them.
    var segments: InlineArray<3, Range<Int>> {
        var segments = InlineArray<3, Range<Int>>(repeating: 0..<0)
        segments[0] = header
        segments[1] = payload
        segments[2] = signature
        return segments
    }
}
