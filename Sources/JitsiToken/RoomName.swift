internal import StringPrep

/// Room names as the Jitsi web client sends them to the server.
public enum RoomName {
    /// The room node the web client builds from a typed room name: jitsi-meet's `getBackendSafeRoomName`
    /// (`react/features/base/util/uri.ts`), i.e. `decodeURIComponent` (kept as typed if that throws),
    /// NFKC, `toLowerCase`, `encodeURIComponent`, and `toLowerCase` again (so escapes read `%c3%a9`).
    /// `*` (the wildcard) stays `*`, and an empty name stays empty.
    ///
    /// Examples: `My Room` → `my%20room`, `my%20room` → `my%20room`, `ＡＢＣ` → `abc`, `Встреча` →
    /// `%d0%b2%d1%81%d1%82%d1%80%d0%b5%d1%87%d0%b0`, `what?` → `what%3f`.
    public static func node(typed: String) -> String {
        // The common name (letters, digits, `-_.!~*'()`) is the same through every step but the lowering.
        let bytes = typed.utf8.span
        var unreserved = true
        for index in bytes.indices where !isUnreserved(bytes[index]) {
            unreserved = false
            break
        }
        if unreserved { return asciiLowercased(typed) }
        return nodeByEveryStep(typed: typed)
    }

    /// ``node(typed:)`` through each of the web client's steps.
    static func nodeByEveryStep(typed: String) -> String {
        if typed.isEmpty { return typed }
        let decoded = decodeURIComponent(typed) ?? typed
        let normalized = StringPrep.nfkc(decoded) ?? decoded
        let lowered = normalized.lowercased()
        return String(decoding: encodeURIComponent(lowered), as: UTF8.self).lowercased()
    }

    /// JavaScript `decodeURIComponent`: every `%XX` run must form valid UTF-8, otherwise `nil` (a URIError).
    static func decodeURIComponent(_ text: String) -> String? {
        let input = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        func hexByte(at position: Int) -> UInt8? {
            guard position + 2 < input.count, input[position] == UInt8(ascii: "%"),
                let high = hexValue(input[position + 1]), let low = hexValue(input[position + 2])
            else { return nil }
            return high << 4 | low
        }
        while index < input.count {
            let byte = input[index]
            guard byte == UInt8(ascii: "%") else {
                output.append(byte)
                index += 1
                continue
            }
            guard let lead = hexByte(at: index) else { return nil }
            index += 3
            if lead < 0x80 {
                output.append(lead)
                continue
            }
            let length: Int
            switch lead {
            case 0xC0...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF7: length = 4
            default: return nil
            }
            var sequence = [lead]
            for _ in 1..<length {
                guard let continuation = hexByte(at: index), continuation & 0xC0 == 0x80 else { return nil }
                sequence.append(continuation)
                index += 3
            }
            // Overlong forms, surrogates and code points above U+10FFFF are URIErrors too.
            guard String(validating: sequence, as: UTF8.self) != nil else { return nil }
            output.append(contentsOf: sequence)
        }
        return String(validating: output, as: UTF8.self)
    }

    /// JavaScript `encodeURIComponent`: keeps `A-Z a-z 0-9 - _ . ! ~ * ' ( )` and writes every other UTF-8 byte as
    /// `%XX` with upper-case hex.
    static func encodeURIComponent(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigitsUpper[Int(byte >> 4)])
                output.append(hexDigitsUpper[Int(byte & 0x0F)])
            }
        }
        return output
    }

    /// What `encodeURIComponent` keeps as it is.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "~"),
            UInt8(ascii: "*"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"):
            true
        default: false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
