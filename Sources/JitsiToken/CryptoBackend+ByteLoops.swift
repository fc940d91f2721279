// The crypto backend's byte loops (with CryptoBackend.swift and CryptoBackend+Copies.swift, the only files of
// JitsiToken with `unsafe`). Kept on raw pointers for speed: base64url encoding, appended or in place (minting), the
// lenient base64url decoder and the segment split (verifying), JSON string runs a word at a time. Over
// bounds-checked `Span`/`MutableSpan` these cost 2-2.7× the instructions, 8% of a minted token and 11% of a verified
// one (Tests/Benchmarks/callgrind.sh). Each is `@safe`: indices are checked up front or come from the loop bounds.
// The token's split, the decoder and the printable test take sixteen bytes a step as `SIMD16<UInt8>` (SSE2, the
// x86-64 baseline); the searches for a string's end stay a word a step, since most strings of a payload end within
// one (16 bytes a step measured 5 % and 38 % slower over a payload's strings). The decoder, the token's run and the
// printable test begin with 32-byte blocks in C (CVectorLoops, AVX2 when the CPU has it), which Swift cannot compile
// for a baseline build; these loops go on where the blocks stop.

internal import CVectorLoops

/// Replaces `buffer[start...]` with its unpadded base64url form (``Base64URL/encodeInPlace(_:from:)``): the input
/// is moved to the end of the grown region and encoded forwards (``encodeBase64URL(_:count:into:)``, whose output
/// never overtakes its input).
@safe
func encodeBase64URLInPlace(_ buffer: inout [UInt8], from start: Int) {
    precondition(start >= 0 && start <= buffer.count, "base64url start outside the buffer")
    let length = buffer.count - start
    guard length > 0 else { return }
    let shift = Base64URL.encodedLength(of: length) - length
    buffer.append(contentsOf: repeatElement(0, count: shift))
    // Safe: the moved input and the output both lie in `buffer[start...]`, which is `encodedLength` bytes long.
    unsafe buffer.withUnsafeMutableBytes { raw in
        guard let base = raw.baseAddress else { return }
        let target = unsafe base + start
        let source = unsafe base + start + shift
        unsafe source.copyMemory(from: target, byteCount: length)
        unsafe encodeBase64URL(UnsafeRawPointer(source), count: length, into: target)
    }
}

/// Appends the unpadded base64url form of `input` to `output` (``Base64URL/encode(_:into:)``), written straight
/// into the array's new capacity.
@safe
func appendBase64URL(of input: Span<UInt8>, to output: inout [UInt8]) {
    guard !input.isEmpty else { return }
    let length = input.count
    let encodedLength = Base64URL.encodedLength(of: length)
    // Safe: the closure initialises exactly the `encodedLength` bytes it was given, from `input.count` bytes read.
    unsafe input.withUnsafeBytes { source in
        output.append(addingCapacity: encodedLength) { target in
            unsafe target.withUnsafeMutableBufferPointer { buffer, initialized in
                guard let target = buffer.baseAddress, let source = source.baseAddress else { return }
                unsafe encodeBase64URL(source, count: length, into: UnsafeMutableRawPointer(target))
                initialized = encodedLength
            }
        }
    }
}

/// Writes the `Base64URL.encodedLength(of: count)` characters of the `count` bytes at `source` to `target`: six
/// bytes (one 8-byte load) to eight characters (one 8-byte store) per step, from four ``Base64URL/pairTable`` entries,
/// then groups of three. `target` may be `source` moved back by the growth, `count/3` rounded up (the in-place
/// encoder): each step reads its bytes before it writes, and its 8-byte store ends before the next step's bytes.
@unsafe
func encodeBase64URL(_ source: UnsafeRawPointer, count length: Int, into target: UnsafeMutableRawPointer) {
    // The table indices are 12- and 6-bit values into tables of 4096 and 64 entries.
    unsafe Base64URL.pairTable.withUnsafeBufferPointer { pairs in
        var index = 0
        var output = 0
        while index + 8 <= length {
            let word = UInt64(bigEndian: unsafe source.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let characters =
                unsafe UInt64(pairs[Int(word >> 52)]) | UInt64(pairs[Int(word >> 40 & 0xFFF)]) << 16
                | UInt64(pairs[Int(word >> 28 & 0xFFF)]) << 32 | UInt64(pairs[Int(word >> 16 & 0xFFF)]) << 48
            unsafe target.storeBytes(of: characters.littleEndian, toByteOffset: output, as: UInt64.self)
            index += 6
            output += 8
        }
        while index + 3 <= length {
            let value =
                unsafe UInt32(source.load(fromByteOffset: index, as: UInt8.self)) << 16
                | UInt32(source.load(fromByteOffset: index + 1, as: UInt8.self)) << 8
                | UInt32(source.load(fromByteOffset: index + 2, as: UInt8.self))
            unsafe target.storeBytes(of: pairs[Int(value >> 12)].littleEndian, toByteOffset: output, as: UInt16.self)
            unsafe target.storeBytes(
                of: pairs[Int(value & 0xFFF)].littleEndian, toByteOffset: output + 2, as: UInt16.self)
            index += 3
            output += 4
        }
        let rest = length - index
        guard rest > 0 else { return }
        let alphabet = Base64URL.alphabet
        let value =
            unsafe UInt32(source.load(fromByteOffset: index, as: UInt8.self)) << 16
            | (rest == 2 ? UInt32(source.load(fromByteOffset: index + 1, as: UInt8.self)) << 8 : 0)
        unsafe target.storeBytes(of: alphabet[Int(value >> 18)], toByteOffset: output, as: UInt8.self)
        unsafe target.storeBytes(of: alphabet[Int((value >> 12) & 0x3F)], toByteOffset: output + 1, as: UInt8.self)
        if rest == 2 {
            unsafe target.storeBytes(of: alphabet[Int((value >> 6) & 0x3F)], toByteOffset: output + 2, as: UInt8.self)
        }
    }
}

/// ``Base64URL/decodeLenient(_:)-(ArraySlice<UInt8>)``, the decoded bytes appended to `decoded` (a buffer kept from
/// token to token keeps its capacity); `false` when `text` does not decode (then `decoded` holds what was appended
/// before the failure). `wideBlocks: false` leaves out the 32-byte blocks (for the tests of the loops after them).
@safe
func decodeBase64URLLenient(_ text: Span<UInt8>, appendingTo decoded: inout [UInt8], wideBlocks: Bool = true) -> Bool {
    var failed = false
    // Safe: the closure writes at most `decodedCapacity(of:)` bytes (see ``decodeBase64URLLenient(_:into:)``)
    // and initialises exactly those it wrote. `append(addingCapacity:)` is specialised for bytes;
    // `Array(unsafeUninitializedCapacity:)` looked the storage's type up at run time, twice a token.
    unsafe text.withUnsafeBufferPointer { buffer in
        decoded.append(addingCapacity: decodedCapacity(of: buffer.count)) { target in
            unsafe target.withUnsafeMutableBufferPointer { output, initialized in
                guard let base = output.baseAddress else { return }
                let written = unsafe decodeBase64URLLenient(buffer, into: base, wideBlocks: wideBlocks)
                initialized = max(written, 0)
                failed = written < 0
            }
        }
    }
    return !failed
}

/// ``Base64URL/decodeLenient(_:)-(ArraySlice<UInt8>)`` of up to ``DecodedBytes/inlineCapacity`` bytes (an HMAC
/// signature) into `bytes` in place; `nil` when `text` does not decode. `text` must have at most
/// ``DecodedBytes/maximumInlineText`` bytes. `wideBlocks` as for ``decodeBase64URLLenient(_:appendingTo:wideBlocks:)``.
@safe
func decodeBase64URLLenient(_ text: Span<UInt8>, inPlace bytes: inout DecodedBytes.Storage, wideBlocks: Bool = true)
    -> Int?
{
    precondition(decodedCapacity(of: text.count) <= DecodedBytes.inlineCapacity, "base64url text too long to hold")
    var span = bytes.mutableSpan
    // Safe: at most `decodedCapacity(of: text.count)` bytes are written, which the precondition bounds.
    let written = unsafe text.withUnsafeBufferPointer { buffer in
        unsafe span.withUnsafeMutableBufferPointer { output -> Int in
            guard let base = output.baseAddress else { return -1 }
            return unsafe decodeBase64URLLenient(buffer, into: base, wideBlocks: wideBlocks)
        }
    }
    return written < 0 ? nil : written
}

/// The bytes the decoder may write for `count` characters: 3 per 4, at most one per further 6 bits, and the
/// 8-byte stores of its first loops (the last at `index * 3 / 4 + 6` with `index + 16 <= count`, or at
/// `index * 3 / 4` with `index + 8 <= count`) up to 2 beyond.
func decodedCapacity(of count: Int) -> Int { count * 3 / 4 + 3 }

/// Decodes `buffer` with the lenient rules into `output` (room for `decodedCapacity(of: buffer.count)` bytes):
/// thirty-two alphabet characters at once where the CPU can (`cvector_base64url_decode_blocks`, AVX2, unless
/// `wideBlocks` is false), sixteen (``base64URLValues(_:)``, packed by shifts), then whole groups of eight and
/// four (each group of four as its characters' placed values or'ed together, ``Base64URL/placedDecodeTable``) until
/// the first `=`, invalid byte or the tail, then byte by byte. The number of bytes decoded, or -1 when a byte is
/// outside the alphabet.
@unsafe
private func decodeBase64URLLenient(
    _ buffer: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>, wideBlocks: Bool
) -> Int {
    let count = buffer.count
    guard let base = buffer.baseAddress else { return 0 }
    // Reads stay under `count`; writes under `decodedCapacity(of: count)` (3 bytes per 4 input bytes, then at most
    // one per further 6 bits; the 8-byte stores of the first loops end 2 bytes beyond the 12 or 6 bytes of their
    // step); the tables have 256 and 4 * 256 entries for a byte index (plus 768 at most).
    return unsafe Base64URL.placedDecodeTable.withUnsafeBufferPointer { placed -> Int in
        // The 24 bits of the group of four characters from byte `offset` on (bit 31 set if one is not base64url).
        func group(_ offset: Int) -> UInt32 {
            unsafe placed[Int(buffer[offset])] | placed[256 + Int(buffer[offset + 1])]
                | placed[512 + Int(buffer[offset + 2])] | placed[768 + Int(buffer[offset + 3])]
        }
        // The 32-byte blocks write 24 bytes each: three quarters of what they consume.
        var index = wideBlocks ? unsafe cvector_base64url_decode_blocks(base, count, output) : 0
        var written = index / 4 * 3
        while index + 16 <= count {
            guard let values = base64URLValues(unsafe loadVector(base, at: index)) else { break }
            // Pairs of characters into 12 bits (the first one's six on top), then pairs of those into 24.
            let pairs = unsafe unsafeBitCast(values, to: SIMD8<UInt16>.self)
            let twelves = (pairs & SIMD8(repeating: 0x3F)) &<< SIMD8(repeating: 6) | pairs &>> SIMD8(repeating: 8)
            let quads = unsafe unsafeBitCast(twelves, to: SIMD4<UInt32>.self)
            let groups = (quads & SIMD4(repeating: 0xFFF)) &<< SIMD4(repeating: 12) | quads &>> SIMD4(repeating: 16)
            // Each word holds two groups' 24 bits; six bytes each, stored big-endian, the second store overlapping
            // the first one's last two bytes.
            let words = unsafe unsafeBitCast(groups, to: SIMD2<UInt64>.self)
            for half in 0..<2 {
                let value = words[half] &<< 40 | (words[half] &>> 32) &<< 16
                unsafe UnsafeMutableRawPointer(output + written + 6 * half).storeBytes(
                    of: value.bigEndian, as: UInt64.self)
            }
            written += 12
            index += 16
        }
        while index + 8 <= count {
            let high = unsafe group(index)
            let low = unsafe group(index + 4)
            if (high | low) & 0x8000_0000 != 0 { break }
            let value = UInt64(high) << 40 | UInt64(low) << 16
            unsafe UnsafeMutableRawPointer(output + written).storeBytes(of: value.bigEndian, as: UInt64.self)
            written += 6
            index += 8
        }
        while index + 4 <= count {
            let value = unsafe group(index)
            if value & 0x8000_0000 != 0 { break }
            unsafe output[written] = UInt8(truncatingIfNeeded: value >> 16)
            unsafe output[written + 1] = UInt8(truncatingIfNeeded: value >> 8)
            unsafe output[written + 2] = UInt8(truncatingIfNeeded: value)
            written += 3
            index += 4
        }
        var accumulator: UInt32 = 0
        var bits = 0
        while index < count {
            let byte = unsafe buffer[index]
            index += 1
            if byte == UInt8(ascii: "=") { continue }
            // The last character of a group is placed unshifted: its plain value.
            let value = unsafe placed[768 + Int(byte)]
            if value & 0x8000_0000 != 0 { return -1 }
            accumulator = (accumulator << 6 | value) & 0xFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                unsafe output[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                written += 1
            }
        }
        return written
    }
}

/// The ranges (indices of `bytes`) of the first three runs of bytes other than `.` and `\\`, and how many runs there
/// are. Sixteen bytes are compared per step, the last step ending at the count (its lanes before the previous step's
/// end dropped); the separators of a step are walked by their bits. A slice shorter than a step is walked byte by byte.
@safe
func tokenSegmentRanges(_ bytes: ArraySlice<UInt8>) -> (ranges: InlineArray<3, Range<Int>>, count: Int) {
    var ranges = InlineArray<3, Range<Int>>(repeating: 0..<0)
    var count = 0
    let origin = bytes.startIndex
    var start = 0
    func cut(at index: Int) {
        if index > start {
            if count < 3 { ranges[count] = origin + start..<origin + index }
            count += 1
        }
        start = index + 1
    }
    // Safe: every load is of 16 bytes at `offset` with `offset + 16 <= buffer.count`, or of one byte under the count.
    unsafe bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        guard buffer.count >= 16 else {
            for offset in 0..<buffer.count where unsafe base[offset] == 0x2E || base[offset] == 0x5C {
                cut(at: offset)
            }
            return
        }
        var index = 0
        while index < buffer.count {
            let offset = min(index, buffer.count - 16)
            let vector = unsafe loadVector(base, at: offset)
            var separators =
                maskBits(vector .== ByteVector(repeating: 0x2E) .| vector .== ByteVector(repeating: 0x5C))
                & ~0 &<< UInt32(index - offset)
            while separators != 0 {
                cut(at: offset + separators.trailingZeroBitCount)
                separators &= separators &- 1
            }
            index = offset + 16
        }
    }
    cut(at: bytes.count)
    return (ranges, count)
}

/// The index of the first byte of `bytes` from `start` on (or the count) that is neither base64url (`A-Z a-z 0-9 - _`)
/// nor `.`, how many `.` come before it and where the first two are (-1 for none): a compact token delimited and
/// split in one pass (``CompactTokenSplit``). Sixteen bytes are classified per step by ranges
/// (``tokenRunStep(_:at:keeping:dots:)``), the last step ending at the count; only a step that meets a dot or another
/// byte is looked at further. An array shorter than a step is walked byte by byte (``Base64URL/tokenByteClasses``).
/// The bytes from `limit` on (at most the count; a batch line's end in its chunk) are not read: the run stops there.
/// Where the CPU can, whole 32-byte blocks are classified first (`cvector_token_run`, AVX2), unless `wideBlocks` is
/// false (for the tests of the loops after them).
@safe
func compactTokenRun(_ bytes: [UInt8], from start: Int, to limit: Int, wideBlocks: Bool = true)
    -> (end: Int, dots: InlineArray<2, Int>, dotCount: Int)
{
    var dots = TokenRunDots()
    // Safe: `buffer` is the array's first `limit` bytes (a checked slice); every load is of 16 bytes at `index`
    // with `index + 16 <= buffer.count` (the last step at `buffer.count - 16`, its lanes before `index` dropped), or
    // of one byte under the count; the table has 256 entries for a byte index.
    let end = unsafe bytes.withUnsafeBufferPointer { whole -> Int in
        let buffer = unsafe UnsafeBufferPointer(rebasing: whole[..<limit])
        guard let base = buffer.baseAddress else { return buffer.count }
        var index = start
        if wideBlocks {
            // Stops at a byte outside the run, or where fewer than 32 bytes are left; either way the loops below
            // go on from there (at such a byte, their first step stops).
            var wideDots = InlineArray<2, Int64>(repeating: -1)
            var wideDotCount: Int64 = 0
            var positions = wideDots.mutableSpan
            index = unsafe positions.withUnsafeMutableBufferPointer { positions in
                unsafe cvector_token_run(base, buffer.count, index, positions.baseAddress, &wideDotCount)
            }
            dots.count = Int(wideDotCount)
            for slot in 0..<2 { dots.positions[slot] = Int(wideDots[slot]) }
        }
        while index + 16 <= buffer.count {
            if let stop = unsafe tokenRunStep(base, at: index, keeping: ~0, dots: &dots) { return stop }
            index += 16
        }
        guard index < buffer.count else { return buffer.count }
        if buffer.count >= 16 {
            let last = buffer.count - 16
            return unsafe tokenRunStep(base, at: last, keeping: ~0 &<< UInt32(index - last), dots: &dots)
                ?? buffer.count
        }
        return unsafe Base64URL.tokenByteClasses.withUnsafeBufferPointer { classes -> Int in
            while index < buffer.count {
                switch unsafe classes[Int(base[index])] {
                case 0: break
                case 1: dots.note(index)
                default: return index
                }
                index += 1
            }
            return buffer.count
        }
    }
    return (end, dots.positions, dots.count)
}

/// The dots of a compact token run so far: where the first two are (-1 for none), and how many.
private struct TokenRunDots {
    var positions = InlineArray<2, Int>(repeating: -1)
    var count = 0

    @inline(__always)
    mutating func note(_ index: Int) {
        if count < 2 { positions[count] = index }
        count += 1
    }
}

/// ``compactTokenRun(_:from:)`` in the sixteen bytes from `offset` on: the index of the first byte among the lanes
/// of `kept` that is neither base64url nor `.`, or `nil` when there is none; the dots of the kept lanes before it
/// noted in `dots`. The caller keeps `offset + 16` within the buffer.
@inline(__always)
@unsafe
private func tokenRunStep(_ base: UnsafePointer<UInt8>, at offset: Int, keeping kept: UInt32, dots: inout TokenRunDots)
    -> Int?
{
    let vector = unsafe loadVector(base, at: offset)
    let dot = vector .== ByteVector(repeating: 0x2E)
    // Letters of either case, `-` to `9` but `/`, and `_`.
    let token =
        inRange(vector | ByteVector(repeating: 0x20), from: 0x61, count: 26)
        .| inRange(vector, from: 0x2D, count: 13) .& vector .!= ByteVector(repeating: 0x2F)
        .| vector .== ByteVector(repeating: 0x5F)
    let other = .!token
    if kept == ~0, !isAnySet(dot .| other) { return nil }
    let stops = maskBits(other) & kept
    let stop = stops == 0 ? 16 : stops.trailingZeroBitCount
    var dotBits = maskBits(dot) & kept & ~(~0 &<< UInt32(stop))
    while dotBits != 0 {
        dots.note(offset + dotBits.trailingZeroBitCount)
        dotBits &= dotBits &- 1
    }
    return stops == 0 ? nil : offset + stop
}

/// The index of the first `"`, `\\` or NUL in `bytes` from `start` on (or the count), and what the bytes before it
/// hold: bit 0x80 for a byte above 0x7F, bit 1 for a control character or DEL (the string runs of ``CJSONScanner``
/// and ``CJSONDecoder``).
/// Eight bytes are tested per step (SWAR `haszero`/`hasless`); the bytes of the word holding the end that come
/// before it are classified in the same step. The bytes from `limit` on (at most the count) are not read.
@safe
func jsonStringRunEnd(_ bytes: [UInt8], from start: Int, to limit: Int) -> (end: Int, seen: UInt8) {
    // Safe: `buffer` is the array's first `limit` bytes (a checked slice); every load is of 8 bytes at `index` with
    // `index + 8 <= buffer.count`, or of one byte under the count.
    unsafe bytes.withUnsafeBufferPointer { whole -> (end: Int, seen: UInt8) in
        let buffer = unsafe UnsafeBufferPointer(rebasing: whole[..<limit])
        guard let base = buffer.baseAddress else { return (buffer.count, 0) }
        let ones: UInt64 = 0x0101_0101_0101_0101
        // The words before the end, or-ed: their bytes (for the high bits), bytes below 0x20, DEL bytes.
        var bytesSeen: UInt64 = 0
        var belowSpace: UInt64 = 0
        var deletes: UInt64 = 0
        var index = start
        while index + 8 <= buffer.count {
            let word = unsafe UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let stops = zeroBytes(word) | zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C))
            if stops != 0 {
                // The first stop is the lowest byte (a little-endian load); the bytes from it on count as 'A'.
                let stop = stops.trailingZeroBitCount &>> 3
                let kept: UInt64 = stop == 0 ? 0 : ~0 &>> UInt64(64 - 8 * stop)
                let before = word & kept | ones &* 0x41 & ~kept
                return (
                    index + stop,
                    stringRunFlags(bytesSeen | before, belowSpace | (before &- ones &* 0x20) & ~before,
                        deletes | zeroBytes(before ^ (ones &* 0x7F)))
                )
            }
            bytesSeen |= word
            belowSpace |= (word &- ones &* 0x20) & ~word
            deletes |= zeroBytes(word ^ (ones &* 0x7F))
            index += 8
        }
        var seen = stringRunFlags(bytesSeen, belowSpace, deletes)
        while index < buffer.count {
            let byte = unsafe base[index]
            if byte == 0x22 || byte == 0x5C || byte == 0 { return (index, seen) }
            seen |= (byte & 0x80) | (byte < 0x20 || byte == 0x7F ? 1 : 0)
            index += 1
        }
        return (buffer.count, seen)
    }
}

/// The index of the first byte of `text` from `start` on (or the count) that ``JSONWriter/writeString(_:)`` does
/// not copy as it is: a control character, `"` or `\\`, and with `stopsAtDELAndAbove` also DEL and every byte above
/// ASCII (the escaping of terminal controls decides those one by one). Eight bytes are tested per step.
@safe
func jsonEscapeRunEnd(_ text: Span<UInt8>, from start: Int, stopsAtDELAndAbove: Bool) -> Int {
    // Safe: every load is of 8 bytes at `index` with `index + 8 <= buffer.count`, or of one byte under the count.
    unsafe text.withUnsafeBufferPointer { buffer -> Int in
        guard let base = buffer.baseAddress else { return buffer.count }
        let ones: UInt64 = 0x0101_0101_0101_0101
        var index = start
        while index + 8 <= buffer.count {
            let word = unsafe UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            // The lowest flagged byte of each test is exact, so the lowest of all is the first stop.
            var stops = (word &- ones &* 0x20) & ~word | zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C))
            if stopsAtDELAndAbove { stops |= word | zeroBytes(word ^ (ones &* 0x7F)) }
            stops &= 0x8080_8080_8080_8080
            if stops != 0 { return index + stops.trailingZeroBitCount &>> 3 }
            index += 8
        }
        while index < buffer.count {
            let byte = unsafe base[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || (stopsAtDELAndAbove && byte >= 0x7F) { return index }
            index += 1
        }
        return buffer.count
    }
}

/// Whether `bytes` are all printable ASCII (0x20-0x7E) other than `\\`: then every JSON string in them is its bytes
/// and ends at its next `"` (``CJSONScanner``), and a terminal shows them as they are, one Character a byte (the
/// `hosts` table). A text of 32 bytes or more is tested 32 bytes a step where the CPU can (`cvector_is_plain_ascii`,
/// AVX2); otherwise sixteen bytes are compared per step, the last step ending at the count, and a text shorter than
/// a step eight at a time.
@safe
public func isPrintableASCIIWithoutBackslash(_ bytes: Span<UInt8>) -> Bool {
    isPrintableASCIIWithoutBackslash(bytes, wideBlocks: true)
}

/// ``isPrintableASCIIWithoutBackslash(_:)``, without the 32-byte steps when `wideBlocks` is false (for the tests of
/// the loops they precede).
@safe
func isPrintableASCIIWithoutBackslash(_ bytes: Span<UInt8>, wideBlocks: Bool) -> Bool {
    // Safe: every load is of 16 bytes at `index` with `index + 16 <= buffer.count`, or of 8 bytes at `index` with
    // `index + 8 <= buffer.count`, or of one byte under the count; the C function reads the buffer's count.
    unsafe bytes.withUnsafeBufferPointer { buffer -> Bool in
        guard let base = buffer.baseAddress else { return true }
        if wideBlocks, buffer.count >= 32 {
            let plain = unsafe cvector_is_plain_ascii(base, buffer.count)
            if plain >= 0 { return plain == 1 }
        }
        if buffer.count >= 16 {
            func isPlain(_ vector: ByteVector) -> ByteMask {
                inRange(vector, from: 0x20, count: 0x5F) .& vector .!= ByteVector(repeating: 0x5C)
            }
            var plain = isPlain(unsafe loadVector(base, at: buffer.count - 16))
            var index = 0
            while index + 16 < buffer.count {
                plain .&= isPlain(unsafe loadVector(base, at: index))
                index += 16
            }
            return !isAnySet(.!plain)
        }
        let ones: UInt64 = 0x0101_0101_0101_0101
        var found: UInt64 = 0
        var index = 0
        while index + 8 <= buffer.count {
            let word = unsafe UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            found |= word | (word &- ones &* 0x20) | zeroBytes(word ^ (ones &* 0x5C)) | zeroBytes(word ^ (ones &* 0x7F))
            index += 8
        }
        while index < buffer.count {
            let byte = unsafe base[index]
            if byte < 0x20 || byte >= 0x7F || byte == 0x5C { return false }
            index += 1
        }
        return found & 0x8080_8080_8080_8080 == 0
    }
}

/// The index of the first `"` in `bytes` from `start` on, or the count. Eight bytes are tested per step.
@safe
func quoteIndex(_ bytes: [UInt8], from start: Int) -> Int {
    // Safe: every load is of 8 bytes at `index` with `index + 8 <= buffer.count`, or of one byte under the count.
    unsafe bytes.withUnsafeBufferPointer { buffer -> Int in
        guard let base = buffer.baseAddress else { return buffer.count }
        var index = start
        while index + 8 <= buffer.count {
            let word = unsafe UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let quotes = zeroBytes(word ^ 0x2222_2222_2222_2222)
            if quotes != 0 { return index + quotes.trailingZeroBitCount &>> 3 }
            index += 8
        }
        while index < buffer.count, unsafe base[index] != 0x22 { index += 1 }
        return index
    }
}

/// How many bytes of `bytes` from `start` on equal those of `other` from `otherStart` on, in order, up to the end of
/// either. Eight bytes are compared per step.
@safe @inline(__always)
func commonPrefixCount(_ bytes: Span<UInt8>, from start: Int, _ other: Span<UInt8>, from otherStart: Int) -> Int {
    precondition(start >= 0 && start <= bytes.count && otherStart >= 0 && otherStart <= other.count,
        "common prefix start outside the buffers")
    let limit = min(bytes.count - start, other.count - otherStart)
    // Safe: both pointers have at least `limit` bytes from their starts.
    return unsafe bytes.withUnsafeBytes { buffer -> Int in
        unsafe other.withUnsafeBytes { otherBuffer -> Int in
            guard let base = buffer.baseAddress, let otherBase = otherBuffer.baseAddress else { return 0 }
            return unsafe commonPrefixCount(base + start, otherBase + otherStart, limit: limit)
        }
    }
}

/// How many of the first `limit` bytes at `first` and `second` are equal, in order; eight compared per step.
@unsafe @inline(__always)
private func commonPrefixCount(_ first: UnsafeRawPointer, _ second: UnsafeRawPointer, limit: Int) -> Int {
    var count = 0
    while count + 8 <= limit {
        let word = unsafe (first + count).loadUnaligned(as: UInt64.self)
        let otherWord = unsafe (second + count).loadUnaligned(as: UInt64.self)
        // In little-endian order the lowest set bit is in the first byte that differs.
        let differing = UInt64(littleEndian: word ^ otherWord)
        if differing != 0 { return count + differing.trailingZeroBitCount &>> 3 }
        count += 8
    }
    while count < limit,
        unsafe first.load(fromByteOffset: count, as: UInt8.self) == second.load(fromByteOffset: count, as: UInt8.self)
    {
        count += 1
    }
    return count
}

/// The high bit of each zero byte of `word`; bits above a zero byte may be set too, the lowest one never falsely.
@inline(__always)
private func zeroBytes(_ word: UInt64) -> UInt64 {
    (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
}
/// ``jsonStringRunEnd(_:from:)``'s bits for words or-ed together: their bytes, `(word - 0x20…) & ~word` (a high bit
/// below every byte under 0x20, none falsely for the lowest) and `zeroBytes(word ^ 0x7F…)` (DEL bytes).
@inline(__always)
private func stringRunFlags(_ bytes: UInt64, _ belowSpace: UInt64, _ deletes: UInt64) -> UInt8 {
    let highs: UInt64 = 0x8080_8080_8080_8080
    return (bytes & highs != 0 ? 0x80 : 0) | ((belowSpace | deletes) & highs != 0 ? 1 : 0)
}

/// Sixteen bytes of a buffer, compared lane by lane: SSE2's compares, `pminub` and logic ops (the x86-64 baseline; the
/// loops below are written for what it has, no shuffles).
private typealias ByteVector = SIMD16<UInt8>

/// The lanes of a comparison of ``ByteVector``s, one byte each (0xFF where it holds).
private typealias ByteMask = SIMDMask<SIMD16<Int8>>

/// Sixteen bytes from `offset` on. The caller keeps `offset + 16` within the buffer.
@inline(__always)
@unsafe
private func loadVector(_ base: UnsafePointer<UInt8>, at offset: Int) -> ByteVector {
    unsafe UnsafeRawPointer(base + offset).loadUnaligned(as: ByteVector.self)
}

/// The lanes of `vector` in `lower...lower + count - 1` (an unsigned range: `pminub` and `pcmpeqb`).
@inline(__always)
private func inRange(_ vector: ByteVector, from lower: UInt8, count: UInt8) -> ByteMask {
    vector &- ByteVector(repeating: lower) .< ByteVector(repeating: count)
}

/// The lanes of `mask` as two little-endian words (byte `k` of the vector is byte `k % 8` of word `k / 8`).
@inline(__always)
private func maskWords(_ mask: ByteMask) -> SIMD2<UInt64> {
    // Safe: a 16-lane mask of bytes is 16 bytes, as two words are.
    unsafe unsafeBitCast(mask, to: SIMD2<UInt64>.self)
}

/// The lanes of `mask` as bytes, 0xFF where it holds.
@inline(__always)
private func maskBytes(_ mask: ByteMask) -> ByteVector {
    // Safe: a 16-lane mask of bytes is 16 bytes.
    unsafe unsafeBitCast(mask, to: ByteVector.self)
}

/// Whether any lane of `mask` holds: the two words or'ed (SSE2 has no `ptest`).
@inline(__always)
private func isAnySet(_ mask: ByteMask) -> Bool {
    let words = maskWords(mask)
    return words[0] | words[1] != 0
}

/// One bit per lane of `mask` (bit `k` for lane `k`), as SSE2's `pmovmskb` gives, which Swift does not reach: each
/// word's byte `k` keeps its bit `k`, and a multiplication gathers the eight bits into the top byte.
@inline(__always)
private func maskBits(_ mask: ByteMask) -> UInt32 {
    let words = maskWords(mask)
    let diagonal: UInt64 = 0x8040_2010_0804_0201
    let gather: UInt64 = 0x0101_0101_0101_0101
    return UInt32(truncatingIfNeeded: ((words[0] & diagonal) &* gather) &>> 56)
        | UInt32(truncatingIfNeeded: ((words[1] & diagonal) &* gather) &>> 56) &<< 8
}

/// The 6-bit values of sixteen base64url characters (`A-Z a-z 0-9 - _`), or `nil` when a byte is outside the
/// alphabet: each range's lanes get the offset that maps it onto its values, and no offset is 0, so a lane left at
/// 0 is no character of the alphabet.
@inline(__always)
private func base64URLValues(_ vector: ByteVector) -> ByteVector? {
    let offsets =
        lanes(inRange(vector, from: 0x41, count: 26), holding: -0x41)
        | lanes(inRange(vector, from: 0x61, count: 26), holding: 26 - 0x61)
        | lanes(inRange(vector, from: 0x30, count: 10), holding: 52 - 0x30)
        | lanes(vector .== ByteVector(repeating: 0x2D), holding: 62 - 0x2D)
        | lanes(vector .== ByteVector(repeating: 0x5F), holding: 63 - 0x5F)
    if isAnySet(offsets .== ByteVector()) { return nil }
    return vector &+ offsets
}

/// `value` in the lanes of `mask`, 0 in the others.
@inline(__always)
private func lanes(_ mask: ByteMask, holding value: Int8) -> ByteVector {
    maskBytes(mask) & ByteVector(repeating: UInt8(bitPattern: value))
}
