#if canImport(Glibc)
import Glibc
#endif

/// Join URLs, `https://HOST/[tenant/]room?jwt=TOKEN`, built only from a host that cannot change which site opens.
///
/// A VirtualHost name is any string Prosody's nameprep accepts: `meet.example.com@attacker.example` or
/// `evil.example/x?` pasted into a URL would open another site. So the host is checked on bytes first, and the
/// path parts are percent-encoded.
enum JoinURL {
    /// `host` when it is a DNS name (labels of ASCII letters, digits, `-` and `_`, 1–63 bytes each, no `-` at
    /// either end, 253 bytes at most), an IPv4 address or a bracketed IPv6 address, optionally followed by
    /// `:PORT` (1–65535); otherwise `nil`.
    static func validatedHost(_ host: String) -> String? {
        var name = Array(host.utf8)[...]
        if name.first == UInt8(ascii: "[") {
            guard let close = name.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            let rest = name[(close + 1)...]
            if !rest.isEmpty, rest.first != UInt8(ascii: ":") || !isPort(rest.dropFirst()) { return nil }
            return parses(name[(name.startIndex + 1)..<close], family: AF_INET6) ? host : nil
        }
        if let colon = name.firstIndex(of: UInt8(ascii: ":")) {
            guard isPort(name[(colon + 1)...]) else { return nil }
            name = name[..<colon]
        }
        if !name.isEmpty, name.allSatisfy({ $0 == UInt8(ascii: ".") || isDigit($0) }) {
            return parses(name, family: AF_INET) ? host : nil
        }
        return isDNSName(name) ? host : nil
    }

    /// `text` as one path segment: unreserved and sub-delimiter bytes, `:`, `@` and well-formed `%XX` escapes
    /// kept (so an already encoded room name stays as it is), every other byte percent-encoded.
    static func pathSegment(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count, isHexDigit(bytes[index + 1]),
                isHexDigit(bytes[index + 2])
            {
                output += bytes[index...index + 2]
                index += 3
                continue
            }
            if isPathByte(byte) {
                output.append(byte)
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isDNSName(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        return bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { label in
            guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-")
            else { return false }
            return label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
        }
    }

    private static func isPort(_ digits: ArraySlice<UInt8>) -> Bool {
        guard (1...5).contains(digits.count), digits.allSatisfy(isDigit) else { return false }
        let port = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return (1...65_535).contains(port)
    }

    /// Whether `inet_pton` reads `address` (no NUL inside: it is checked on the bytes it is given).
    private static func parses(_ address: ArraySlice<UInt8>, family: Int32) -> Bool {
        SystemCalls.parsesAddress(address, family: family)
    }

    private static func isPathByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || Array("-._~!$&'()*+,;=:@".utf8).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
