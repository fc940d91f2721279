/// Lua 5.4 `string.match(subject, pattern)` (lstrlib.c semantics, C locale), written from the manual and the
/// reference behaviour: classes `%a %c %d %g %l %p %s %u %w %x` and their complements, `.`, sets with ranges,
/// `* + - ?`, anchors, captures and position captures, `%b`, `%f`, back references, 32 captures at most, and a
/// nesting limit of 200 ("pattern too complex"). Errors surface lazily, exactly when Lua's matcher reaches the
/// broken part of the pattern, so `("abc"):match("x%")` is `nil`, not an error.
struct LuaPattern {
    /// Why matching raised (the texts of Lua's errors), or ran past the step budget.
    enum Failure: Error, Equatable {
        case error(String)
        case tooSlow
    }

    /// What `string.match` returns: no match, or its first capture (or the whole match when it has none).
    enum Capture: Equatable {
        case string(String)
        case position(Int)
    }

    private static let maximumCaptures = 32
    private static let maximumDepth = 200
    private static let capUnfinished = -1
    private static let capPosition = -2

    private let subject: [UInt8]
    private let pattern: [UInt8]
    private var level = 0
    private var captureStart = [Int](repeating: 0, count: 32)
    private var captureLength = [Int](repeating: 0, count: 32)
    private var depth = 0
    private var steps = 0
    private let stepBudget: Int

    private init(subject: [UInt8], pattern: [UInt8], stepBudget: Int) {
        self.subject = subject
        self.pattern = pattern
        self.stepBudget = stepBudget
    }

    /// `string.match(subject, pattern)`: all captures' first value, or `nil` for no match.
    /// - Throws: ``Failure/error(_:)`` with Lua's message, or ``Failure/tooSlow`` after `stepBudget` steps
    ///   (the server would run on; Lua's matcher is exponential on some patterns).
    static func match(_ subject: String, _ pattern: String, stepBudget: Int = 5_000_000) throws(Failure) -> Capture? {
        var bytes = Array(pattern.utf8)
        let anchored = bytes.first == UInt8(ascii: "^")
        if anchored { bytes.removeFirst() }
        var matcher = LuaPattern(subject: Array(subject.utf8), pattern: bytes, stepBudget: stepBudget)
        var start = 0
        repeat {
            matcher.level = 0
            matcher.depth = 0
            if let end = try matcher.match(start, 0) {
                return try matcher.firstCapture(start: start, end: end)
            }
            start += 1
        } while start <= matcher.subject.count && !anchored
        return nil
    }

    private func p(_ index: Int) -> UInt8 { index < pattern.count ? pattern[index] : 0 }
    private func s(_ index: Int) -> UInt8 { index < subject.count ? subject[index] : 0 }

    private func firstCapture(start: Int, end: Int) throws(Failure) -> Capture {
        if level == 0 { return .string(String(decoding: subject[start..<end], as: UTF8.self)) }
        // Lua pushes every capture, so an unclosed one fails the call even when only the first is used.
        for index in 0..<level where captureLength[index] == Self.capUnfinished { throw .error("unfinished capture") }
        let length = captureLength[0]
        if length == Self.capPosition { return .position(captureStart[0] + 1) }
        return .string(String(decoding: subject[captureStart[0]..<(captureStart[0] + length)], as: UTF8.self))
    }

    private func classEnd(_ start: Int) throws(Failure) -> Int {
        var index = start
        let byte = p(index)
        index += 1
        if byte == UInt8(ascii: "%") {
            if index >= pattern.count { throw .error("malformed pattern (ends with '%')") }
            return index + 1
        }
        if byte == UInt8(ascii: "[") {
            if p(index) == UInt8(ascii: "^") { index += 1 }
            repeat {
                if index >= pattern.count { throw .error("malformed pattern (missing ']')") }
                let current = p(index)
                index += 1
                if current == UInt8(ascii: "%") && index < pattern.count { index += 1 }
            } while p(index) != UInt8(ascii: "]")
            return index + 1
        }
        return index
    }

    private static func matchClass(_ c: UInt8, _ classByte: UInt8) -> Bool {
        let result: Bool
        switch classByte | 0x20 {
        case UInt8(ascii: "a"): result = isAlpha(c)
        case UInt8(ascii: "c"): result = c < 0x20 || c == 0x7F
        case UInt8(ascii: "d"): result = c >= 0x30 && c <= 0x39
        case UInt8(ascii: "g"): result = c > 0x20 && c < 0x7F
        case UInt8(ascii: "l"): result = c >= 0x61 && c <= 0x7A
        case UInt8(ascii: "p"): result = c > 0x20 && c < 0x7F && !isAlpha(c) && !(c >= 0x30 && c <= 0x39)
        case UInt8(ascii: "s"): result = c == 0x20 || (c >= 0x09 && c <= 0x0D)
        case UInt8(ascii: "u"): result = c >= 0x41 && c <= 0x5A
        case UInt8(ascii: "w"): result = isAlpha(c) || (c >= 0x30 && c <= 0x39)
        case UInt8(ascii: "x"):
            result = (c >= 0x30 && c <= 0x39) || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "f"))
        default: return classByte == c
        }
        let isUpper = classByte >= 0x41 && classByte <= 0x5A
        return isUpper ? !result : result
    }

    private static func isAlpha(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    /// `start` is the `[`, `end` the closing `]`.
    private func matchBracketClass(_ c: UInt8, _ start: Int, _ end: Int) -> Bool {
        var index = start
        var matches = true
        if p(index + 1) == UInt8(ascii: "^") {
            matches = false
            index += 1
        }
        while true {
            index += 1
            guard index < end else { break }
            if p(index) == UInt8(ascii: "%") {
                index += 1
                if Self.matchClass(c, p(index)) { return matches }
            } else if p(index + 1) == UInt8(ascii: "-") && index + 2 < end {
                index += 2
                if p(index - 2) <= c && c <= p(index) { return matches }
            } else if p(index) == c {
                return matches
            }
        }
        return !matches
    }

    private func singleMatch(_ si: Int, _ pi: Int, _ ep: Int) -> Bool {
        guard si < subject.count else { return false }
        let c = subject[si]
        switch p(pi) {
        case UInt8(ascii: "."): return true
        case UInt8(ascii: "%"): return Self.matchClass(c, p(pi + 1))
        case UInt8(ascii: "["): return matchBracketClass(c, pi, ep - 1)
        default: return p(pi) == c
        }
    }

    private mutating func tick() throws(Failure) {
        steps += 1
        if steps > stepBudget { throw .tooSlow }
    }

    private mutating func match(_ startS: Int, _ startP: Int) throws(Failure) -> Int? {
        if depth >= Self.maximumDepth { throw .error("pattern too complex") }
        depth += 1
        defer { depth -= 1 }
        var si = startS
        var pi = startP
        while true {
            try tick()
            if pi == pattern.count { return si }
            switch p(pi) {
            case UInt8(ascii: "("):
                if p(pi + 1) == UInt8(ascii: ")") {
                    return try startCapture(si, pi + 2, Self.capPosition)
                }
                return try startCapture(si, pi + 1, Self.capUnfinished)
            case UInt8(ascii: ")"):
                return try endCapture(si, pi + 1)
            case UInt8(ascii: "$") where pi + 1 == pattern.count:
                return si == subject.count ? si : nil
            case UInt8(ascii: "%") where p(pi + 1) == UInt8(ascii: "b"):
                guard let end = try matchBalance(si, pi + 2) else { return nil }
                si = end
                pi += 4
                continue
            case UInt8(ascii: "%") where p(pi + 1) == UInt8(ascii: "f"):
                pi += 2
                if p(pi) != UInt8(ascii: "[") { throw .error("missing '[' after '%f' in pattern") }
                let ep = try classEnd(pi)
                let previous: UInt8 = si == 0 ? 0 : subject[si - 1]
                if !matchBracketClass(previous, pi, ep - 1) && matchBracketClass(s(si), pi, ep - 1) {
                    pi = ep
                    continue
                }
                return nil
            case UInt8(ascii: "%") where p(pi + 1) >= 0x30 && p(pi + 1) <= 0x39:
                guard let end = try matchCapture(si, p(pi + 1)) else { return nil }
                si = end
                pi += 2
                continue
            default:
                let ep = try classEnd(pi)
                let next = p(ep)
                if !singleMatch(si, pi, ep) {
                    if ep < pattern.count
                        && (next == UInt8(ascii: "*") || next == UInt8(ascii: "?") || next == UInt8(ascii: "-"))
                    {
                        pi = ep + 1
                        continue
                    }
                    return nil
                }
                switch next {
                case UInt8(ascii: "?") where ep < pattern.count:
                    if let result = try match(si + 1, ep + 1) { return result }
                    pi = ep + 1
                    continue
                case UInt8(ascii: "+") where ep < pattern.count:
                    return try maxExpand(si + 1, pi, ep)
                case UInt8(ascii: "*") where ep < pattern.count:
                    return try maxExpand(si, pi, ep)
                case UInt8(ascii: "-") where ep < pattern.count:
                    return try minExpand(si, pi, ep)
                default:
                    si += 1
                    pi = ep
                    continue
                }
            }
        }
    }

    private mutating func maxExpand(_ si: Int, _ pi: Int, _ ep: Int) throws(Failure) -> Int? {
        var count = 0
        while singleMatch(si + count, pi, ep) {
            try tick()
            count += 1
        }
        while count >= 0 {
            if let result = try match(si + count, ep + 1) { return result }
            count -= 1
        }
        return nil
    }

    private mutating func minExpand(_ start: Int, _ pi: Int, _ ep: Int) throws(Failure) -> Int? {
        var si = start
        while true {
            if let result = try match(si, ep + 1) { return result }
            if singleMatch(si, pi, ep) {
                si += 1
            } else {
                return nil
            }
        }
    }

    private mutating func startCapture(_ si: Int, _ pi: Int, _ what: Int) throws(Failure) -> Int? {
        if level >= Self.maximumCaptures { throw .error("too many captures") }
        captureStart[level] = si
        captureLength[level] = what
        level += 1
        let result = try match(si, pi)
        if result == nil { level -= 1 }
        return result
    }

    private mutating func endCapture(_ si: Int, _ pi: Int) throws(Failure) -> Int? {
        var open = level - 1
        while open >= 0 && captureLength[open] != Self.capUnfinished { open -= 1 }
        if open < 0 { throw .error("invalid pattern capture") }
        captureLength[open] = si - captureStart[open]
        let result = try match(si, pi)
        if result == nil { captureLength[open] = Self.capUnfinished }
        return result
    }

    private func matchBalance(_ si: Int, _ pi: Int) throws(Failure) -> Int? {
        if pi >= pattern.count - 1 { throw .error("malformed pattern (missing arguments to '%b')") }
        guard s(si) == p(pi), si < subject.count || p(pi) == 0 else { return nil }
        let open = p(pi)
        let close = p(pi + 1)
        var depth = 1
        var index = si + 1
        while index < subject.count {
            let c = subject[index]
            if c == close {
                depth -= 1
                if depth == 0 { return index + 1 }
            } else if c == open {
                depth += 1
            }
            index += 1
        }
        return nil
    }

    private func matchCapture(_ si: Int, _ digit: UInt8) throws(Failure) -> Int? {
        let index = Int(digit) - 0x31
        if index < 0 || index >= level || captureLength[index] == Self.capUnfinished {
            throw .error("invalid capture index %\(index + 1)")
        }
        let length = captureLength[index]
        guard length >= 0, subject.count - si >= length else { return nil }
        let start = captureStart[index]
        for offset in 0..<length where subject[start + offset] != subject[si + offset] { return nil }
        return si + length
    }
}
