internal import CICU

// One file on purpose: Swift 6.3.1's optimizer crashes (signal 11 in IRGen's emitLazyDefinitions) on a module of
// several files that calls CICU's span wrappers (SafeInteropWrappers) in a release build. `.ci/run` builds release.

/// Unicode preparation of names, through the system ICU, so that results match the programs that use the same calls.
public enum StringPrep {
    /// RFC 3491 nameprep of a host name, exactly as Prosody's `util.encodings.stringprep.nameprep` (ICU build):
    /// lowercases, applies NFKC, maps characters to nothing, and returns `nil` for prohibited code points, bidi
    /// violations, invalid UTF-8, and inputs or outputs of 1024 bytes or more.
    ///
    /// ASCII input is prepared without ICU (and without loading ICU's profile): RFC 3491 maps only `A`–`Z` in
    /// ASCII (to `a`–`z`), prohibits none of it and has no bidi rule for it, as ICU agrees
    /// (`StringPrepTests`, over every ASCII input of up to two characters).
    public static func nameprep(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        let input = Array(bytes)
        if input.count >= 1024 { return nil }
        if isASCII(input) { return input.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }
        return icuNameprep(input)
    }

    static func isASCII(_ bytes: [UInt8]) -> Bool {
        var any: UInt8 = 0
        for byte in bytes { any |= byte }
        return any < 0x80
    }

    /// Nameprep through ICU (`USPREP_RFC3491_NAMEPREP`), for any input.
    static func icuNameprep(_ input: [UInt8]) -> [UInt8]? {
        if input.count >= 1024 { return nil }
        var output = [UInt8](repeating: 0, count: 1024)
        var outputSpan = output.mutableSpan
        let length = cicu_nameprep(input.span, &outputSpan)
        guard length >= 0 else { return nil }
        return Array(output[0..<Int(length)])
    }

    /// Unicode normalization form KC, as JavaScript's `normalize('NFKC')`. Returns `nil` for invalid UTF-8.
    /// ASCII text is its own NFKC form and is returned without calling ICU (which loads its normalization data).
    public static func nfkc(_ text: String) -> String? {
        let input = Array(text.utf8)
        if isASCII(input) { return text }
        return icuNFKC(input)
    }

    /// NFKC through ICU, for any UTF-8 input.
    static func icuNFKC(_ input: [UInt8]) -> String? {
        var capacity = input.count * 3 + 16
        while true {
            var output = [UInt8](repeating: 0, count: capacity)
            var outputSpan = output.mutableSpan
            let length = cicu_nfkc(input.span, &outputSpan)
            if length == -1 { return nil }
            if length < -1 {
                capacity = Int(-length - 2) + 1
                continue
            }
            return String(decoding: output[0..<Int(length)], as: UTF8.self)
        }
    }
}

extension StringPrep {
    /// Whether a terminal would act on the code point, or it hides or reorders text: C1 controls (U+0080–U+009F),
    /// the bidi marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069),
    /// the zero-width characters (U+200B–U+200D, U+FEFF) and the line and paragraph separators (U+2028, U+2029).
    /// C0 and DEL are left to the caller, which checks them on bytes.
    public static func isInvisibleControl(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x80...0x9F, 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }
}
