public import ArgumentParser  // public types (PluginEra, ProsodyVersion, Finding.Severity) conform below
import JitsiDeployment
import JitsiToken
import ProsodyConfig

/// An option value spelled by its raw values (`--format json`, `--jitsi-plugins 2025-08`).
///
/// argument-parser's own defaults for such a type reach the raw values through a key path and an unspecialised
/// `reduce`, and the Swift runtime resolves those generic types by scanning every protocol conformance record of
/// the binary: about 0.4M instructions per type on every parse of a command that declares one (mint declares
/// three). These give the same values, with no description where the description is the raw value itself (which is
/// argument-parser's rule too), from code specialised for each type.
protocol RawValueArgument: ExpressibleByArgument, CaseIterable, RawRepresentable<String> {}

extension RawValueArgument {
    static var allValueStrings: [String] {
        var strings: [String] = []
        for value in allCases { strings.append(value.rawValue) }
        return strings
    }

    static var allValueDescriptions: [String: String] { [:] }

    /// The raw values as a help text lists them, `text, json, env` (without `joined(separator:)`, which is not
    /// specialised and costs one more such scan).
    static var valueList: String {
        var list = ""
        for value in allCases { list += (list.isEmpty ? "" : ", ") + value.rawValue }
        return list
    }
}

extension PluginEra: ExpressibleByArgument, RawValueArgument {}
extension ProsodyVersion: ExpressibleByArgument, RawValueArgument {}
extension Finding.Severity: ExpressibleByArgument, RawValueArgument {}
