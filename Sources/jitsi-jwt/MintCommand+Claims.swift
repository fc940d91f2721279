import ArgumentParser
import JitsiToken

extension MintCommand {
    /// `--context PATH=JSON` options, in order (a later one for the same path wins).
    func parsedContextClaims() throws -> JSONObject {
        var result = JSONObject()
        for entry in contextClaims {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw ValidationError("--context \(entry): expected PATH=JSON, e.g. user.lobby_bypass=true")
            }
            var path = String(entry[..<equals])
            if path.hasPrefix("context.") { path.removeFirst("context.".count) }
            guard let value = JSONValue(parsing: String(entry[entry.index(after: equals)...])) else {
                throw ValidationError("--context \(entry): the value is not JSON (quote strings: group='\"sales\"')")
            }
            guard !value.containsNonFiniteNumber else {
                throw ValidationError("--context \(entry): \(Self.nonFiniteNumber)")
            }
            // Refused now, with the option's name, rather than as a mint refusal.
            var probe = Claims.Context()
            do {
                try probe.set(path, to: value)
            } catch {
                throw ValidationError("--context \(entry): \(error)")
            }
            result[path] = value
        }
        return result
    }
}

extension Duration: CustomStringConvertible {
    /// `mint`'s lifetime when neither `--ttl` nor `--exp` is given.
    static let defaultTTL = Duration(argument: "2h")!

    /// The largest unit that divides the duration exactly: `2h`, `90m`, `30s`, `1d`.
    var description: String {
        for (unit, size) in [("w", Int64(604_800)), ("d", 86_400), ("h", 3600), ("m", 60)]
        where seconds > 0 && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }

    /// The help's `(default: 30s)`: the description, which argument-parser's default would reach through
    /// `"\(self)"`, a runtime lookup of two protocols over every conformance record of the binary on every parse.
    var defaultValueDescription: String { description }
}

extension Timestamp {
    /// An absolute time on the command line: RFC 3339 or Unix seconds.
    struct Argument: ExpressibleByArgument {
        var unix: Int64

        init?(argument: String) {
            guard let unix = Timestamp.parse(argument) else { return nil }
            self.unix = unix
        }
    }
}
