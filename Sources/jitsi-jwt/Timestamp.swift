/// Unix times as people write and read them: RFC 3339 (`2026-03-01T09:00:00Z`), ISO 8601 in UTC, and `in 1h 59m` /
/// `3m ago`. Proleptic Gregorian calendar, no leap seconds (as Unix time).
enum Timestamp {
    /// The Unix time of `text`: whole seconds (`1760000000`), or RFC 3339 (`2026-03-01T09:00:00Z`,
    /// `2026-03-01 10:00:00+01:00`, fractional seconds dropped), or a bare date (`2026-03-01`, midnight UTC).
    static func parse(_ text: String) -> Int64? {
        if let seconds = Int64(text) { return seconds }
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int64? {
            guard index + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + digits] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            index += digits
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        let date = daysFromCivil(year: year, month: month, day: day) * 86_400
        if index == bytes.count { return date }
        guard expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2), hour < 24, minute < 60, second < 61
        else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard index > start else { return nil }
        }
        var offset: Int64 = 0
        if expect("Zz") {
            offset = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2), expect(":"), let minutes = number(2), hours < 24, minutes < 60 else {
                return nil
            }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        return date + hour * 3600 + minute * 60 + second - offset
    }

    /// `2025-10-09T08:53:20Z`, or `nil` outside the years 0…9999.
    static func iso8601(_ unix: Int64) -> String? {
        guard unix >= -62_167_219_200, unix <= 253_402_300_799 else { return nil }
        let days = unix >= 0 ? unix / 86_400 : (unix - 86_399) / 86_400
        let seconds = unix - days * 86_400
        let (year, month, day) = civilFromDays(days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(yearText)-\(two(month))-\(two(day))T\(two(seconds / 3600)):\(two(seconds % 3600 / 60)):"
            + "\(two(seconds % 60))Z"
    }

    /// `in 1h 59m`, `3m ago` or `now`: the two largest units (d, h, m, s), the rest truncated.
    static func relative(_ unix: Int64, now: Int64) -> String {
        let (difference, overflow) = unix.subtractingReportingOverflow(now)
        if overflow { return unix > now ? "in the far future" : "in the far past" }
        if difference == 0 { return "now" }
        let text = span(difference.magnitude)
        return difference > 0 ? "in \(text)" : "\(text) ago"
    }

    /// `1h 59m`, `2d`, `45s`: the two largest non-zero-leading units.
    static func span(_ seconds: UInt64) -> String {
        let units: [(UInt64, String)] = [(86_400, "d"), (3600, "h"), (60, "m"), (1, "s")]
        guard let first = units.firstIndex(where: { seconds >= $0.0 }) else { return "0s" }
        var parts = ["\(seconds / units[first].0)\(units[first].1)"]
        if first + 1 < units.count {
            let next = units[first + 1]
            let remainder = seconds % units[first].0 / next.0
            if remainder > 0 { parts.append("\(remainder)\(next.1)") }
        }
        return parts.joined(separator: " ")
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
