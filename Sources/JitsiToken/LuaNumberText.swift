extension Lua {
    /// C `printf("%.14g", number)` as glibc prints it (Lua 5.4's `LUAI_NUMFFORMAT`), in safe Swift: the double's
    /// exact decimal value is computed (it has at most 767 significant digits), rounded to 14 significant digits
    /// half to even, and laid out by `%g`'s rules (exponent form below 1e-4 or from 1e14 on, trailing zeros dropped).
    static func formatG14(_ number: Double) -> String {
        let sign = number.sign == .minus ? "-" : ""
        if number.isNaN { return sign + "nan" }
        if number.isInfinite { return sign + "inf" }
        if number == 0 { return sign + "0" }
        var (digits, exponent) = exactDecimal(number.magnitude)
        let precision = 14
        if digits.count > precision {
            let rest = digits[precision...]
            let first = rest.first ?? 0
            let tie = first == 5 && rest.dropFirst().allSatisfy { $0 == 0 }
            var roundUp = first > 5 || (first == 5 && !tie) || (tie && digits[precision - 1] % 2 == 1)
            digits.removeSubrange(precision...)
            var index = precision - 1
            while roundUp, index >= 0 {
                digits[index] += 1
                roundUp = digits[index] == 10
                if roundUp { digits[index] = 0 }
                index -= 1
            }
            if roundUp {
                digits.insert(1, at: 0)
                digits.removeLast()
                exponent += 1
            }
        }
        while digits.count > 1, digits.last == 0 { digits.removeLast() }
        let text = digits.map { Character(Unicode.Scalar(UInt8(ascii: "0") + $0)) }
        if exponent < -4 || exponent >= precision {
            let fraction = text.count > 1 ? "." + String(text.dropFirst()) : ""
            let power = String(exponent.magnitude)
            return sign + String(text[0]) + fraction + (exponent < 0 ? "e-" : "e+")
                + (power.count < 2 ? "0" : "") + power
        }
        if exponent < 0 { return sign + "0." + String(repeating: "0", count: -exponent - 1) + String(text) }
        let integerCount = exponent + 1
        let integerPart = String(text.prefix(integerCount)) + String(repeating: "0", count: max(0, integerCount - text.count))
        let fraction = text.count > integerCount ? "." + String(text.dropFirst(integerCount)) : ""
        return sign + integerPart + fraction
    }

    /// The decimal digits (most significant first, no leading zeros) of a positive finite `value`, and the
    /// decimal exponent of the first digit: `value == 0.d₁d₂… × 10^(exponent + 1)` exactly.
    private static func exactDecimal(_ value: Double) -> (digits: [UInt8], exponent: Int) {
        let significand = value.significandBitPattern | (value.isNormal ? 1 << 52 : 0)
        let binaryExponent = value.isNormal ? Int(value.exponentBitPattern) - 1075 : -1074
        // value = significand × 2^binaryExponent; as an integer in base 10⁹ (least significant limb first), times
        // 10^binaryExponent when that is negative (2^-k = 5^k / 10^k).
        let base: UInt64 = 1_000_000_000
        var limbs: [UInt64] = [significand % base, (significand / base) % base, significand / (base * base)]
        func multiply(by factor: UInt64) {
            var carry: UInt64 = 0
            for index in limbs.indices {
                let product = limbs[index] * factor + carry
                limbs[index] = product % base
                carry = product / base
            }
            while carry > 0 {
                limbs.append(carry % base)
                carry /= base
            }
        }
        var remaining = binaryExponent.magnitude
        while remaining > 0 {
            let step = min(remaining, 13)
            // 2^13 or 5^13 (1 220 703 125) at a time: a limb times that plus the carry stays below 2^64.
            multiply(by: binaryExponent > 0 ? 1 << step : (0..<step).reduce(1) { product, _ in product * 5 })
            remaining -= step
        }
        while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
        var digits: [UInt8] = []
        for (index, limb) in limbs.reversed().enumerated() {
            var chunk: [UInt8] = []
            var rest = limb
            repeat {
                chunk.append(UInt8(rest % 10))
                rest /= 10
            } while rest > 0
            if index > 0 { chunk += repeatElement(0, count: 9 - chunk.count) }
            digits += chunk.reversed()
        }
        let scale = binaryExponent < 0 ? binaryExponent : 0
        return (digits, digits.count - 1 + scale)
    }
}
