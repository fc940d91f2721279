/// `--format env`: POSIX sh variable assignments that `eval "$(jitsi-jwt …)"` can load.
enum ShellFormat {
    /// `value` single-quoted for POSIX sh: `'…'`, with each `'` written as `'\''`. Every byte other than `'` is
    /// literal inside single quotes, so nothing is expanded.
    static func quote(_ value: String) -> String {
        "'" + value.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// `NAME='value'` lines, in order.
    static func assignments(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { "\($0.name)=\(quote($0.value))\n" }.joined()
    }

    /// A variable-name fragment for `name`: ASCII letters (upper-cased) and digits kept, anything else `_`.
    /// `meet.example.com` → `MEET_EXAMPLE_COM`.
    static func identifier(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.map { scalar -> Unicode.Scalar in
            switch scalar {
            case "a"..."z": Unicode.Scalar(scalar.value - 32)!
            case "A"..."Z", "0"..."9": scalar
            default: "_"
            }
        }))
    }
}
