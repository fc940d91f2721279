// The crypto backend's copies, beside its byte loops (CryptoBackend+ByteLoops.swift) and with the same rules: one
// bulk copy of a span into an array (safe Swift 6.3 has no `memcpy` from a `Span` into an `Array`), little-endian
// words read from a span, and writes into an output span with its capacity reserved (the `mint --batch` record
// writer; 6.3's `OutputSpan` appends one element at a time). Each is `@safe`: indices are checked up front or come
// from the loop bounds.

/// Appends the elements of `span` to `bytes` (one `memcpy`; a batch line copied out of its chunk's buffer).
@safe
public func appendContents(of span: Span<UInt8>, to bytes: inout [UInt8]) {
    // Safe: the buffer is the span's own memory, read inside the closure only.
    unsafe span.withUnsafeBufferPointer { unsafe bytes.append(contentsOf: $0) }
}

/// Appends the elements of `array` to `bytes`, the array borrowed (an array a class holds, whose span cannot be
/// taken outside the class).
@safe
func appendContents(of array: [UInt8], to bytes: inout [UInt8]) {
    appendContents(of: array.span, to: &bytes)
}

extension Span where Element == UInt8 {
    /// The eight bytes from `offset` as one little-endian integer (the batch line scanner's word steps); stops the
    /// program when fewer than eight bytes are left.
    @inlinable @inline(__always) @safe
    public func littleEndianWord(at offset: Int) -> UInt64 {
        precondition(offset >= 0 && offset <= count - 8, "word outside the span")
        // Safe: the eight bytes from `offset` lie in the span, checked above.
        let word = unsafe withUnsafeBytes { unsafe $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
        return UInt64(littleEndian: word)
    }
}

/// Writing into an output span with capacity reserved up front (`Array.append(addingCapacity:initializingWith:)`):
/// the record writer of `mint --batch`, one reservation per record instead of a capacity check per piece. Each
/// write checks the free capacity first and stops the program when it would not fit.
extension OutputSpan where Element == UInt8 {
    /// Appends the bytes of `span`: up to 32 bytes as two to four overlapping word loads and stores (a record's
    /// pieces are mostly short, and a `memcpy` call costs more than the copy), longer ones with one `memcpy`.
    @inlinable @inline(__always) @safe
    public mutating func appendCopy(of span: Span<UInt8>) {
        let count = span.count
        precondition(count <= freeCapacity, "output span too small")
        // Safe: `count` bytes fit after the initialized ones; the loads lie in the span's own `count` bytes.
        unsafe span.withUnsafeBytes { source in
            unsafe withUnsafeMutableBufferPointer { buffer, initialized in
                guard let base = buffer.baseAddress, let source = source.baseAddress else { return }
                let target = unsafe UnsafeMutableRawPointer(base + initialized)
                if count >= 8 && count <= 32 {
                    let half = count > 16 ? 16 : 8
                    let first = unsafe source.loadUnaligned(as: UInt64.self)
                    let last = unsafe source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                    if half == 16 {
                        let second = unsafe source.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                        let beforeLast = unsafe source.loadUnaligned(fromByteOffset: count - 16, as: UInt64.self)
                        unsafe target.storeBytes(of: second, toByteOffset: 8, as: UInt64.self)
                        unsafe target.storeBytes(of: beforeLast, toByteOffset: count - 16, as: UInt64.self)
                    }
                    unsafe target.storeBytes(of: first, as: UInt64.self)
                    unsafe target.storeBytes(of: last, toByteOffset: count - 8, as: UInt64.self)
                } else if count >= 4 && count < 8 {
                    let first = unsafe source.loadUnaligned(as: UInt32.self)
                    let last = unsafe source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
                    unsafe target.storeBytes(of: first, as: UInt32.self)
                    unsafe target.storeBytes(of: last, toByteOffset: count - 4, as: UInt32.self)
                } else if count > 0 && count < 4 {
                    unsafe target.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
                    unsafe target.storeBytes(
                        of: source.load(fromByteOffset: count / 2, as: UInt8.self), toByteOffset: count / 2,
                        as: UInt8.self)
                    unsafe target.storeBytes(
                        of: source.load(fromByteOffset: count - 1, as: UInt8.self), toByteOffset: count - 1,
                        as: UInt8.self)
                } else if count > 32 {
                    unsafe target.copyMemory(from: source, byteCount: count)
                }
                initialized += count
            }
        }
    }

    /// Appends the bytes of `array`, the array borrowed (an array a class holds, whose span cannot be taken outside
    /// the class).
    @inlinable @inline(__always)
    public mutating func appendCopy(of array: [UInt8]) {
        appendCopy(of: array.span)
    }

    /// Appends a copy of the bytes at `range` of those already written.
    @safe
    public mutating func appendCopy(ofWritten range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range outside the written bytes")
        precondition(range.count <= freeCapacity, "output span too small")
        // Safe: the source lies in the initialized bytes, the target after them, within the capacity.
        unsafe withUnsafeMutableBufferPointer { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            unsafe (base + initialized).initialize(from: base + range.lowerBound, count: range.count)
            initialized += range.count
        }
    }

    /// Appends the unpadded base64url form of `input`.
    @safe
    mutating func appendBase64URL(of input: Span<UInt8>) {
        let length = input.count
        let encodedLength = Base64URL.encodedLength(of: length)
        precondition(encodedLength <= freeCapacity, "output span too small")
        guard length > 0 else { return }
        // Safe: `encodedLength` bytes fit after the initialized ones; the source is the span's own memory.
        unsafe input.withUnsafeBytes { source in
            unsafe withUnsafeMutableBufferPointer { buffer, initialized in
                guard let base = buffer.baseAddress, let source = source.baseAddress else { return }
                unsafe encodeBase64URL(source, count: length, into: UnsafeMutableRawPointer(base + initialized))
                initialized += encodedLength
            }
        }
    }

    /// Replaces the bytes written from `start` on with their unpadded base64url form, in place
    /// (``encodeBase64URLInPlace(_:from:)`` on the span's free capacity).
    @safe
    mutating func encodeBase64URLInPlace(from start: Int) {
        precondition(start >= 0 && start <= count, "base64url start outside the written bytes")
        let length = count - start
        let shift = Base64URL.encodedLength(of: length) - length
        precondition(shift <= freeCapacity, "output span too small")
        guard length > 0 else { return }
        // Safe: the moved input and the output both lie in the first `count + shift` bytes of the buffer.
        unsafe withUnsafeMutableBufferPointer { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            let target = unsafe UnsafeMutableRawPointer(base + start)
            let source = unsafe target + shift
            unsafe source.copyMemory(from: target, byteCount: length)
            unsafe encodeBase64URL(UnsafeRawPointer(source), count: length, into: target)
            initialized += shift
        }
    }
}
