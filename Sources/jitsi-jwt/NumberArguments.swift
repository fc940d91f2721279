import ArgumentParser

// The config limits' value types (`--max-memory 64`, `--timeout 2.5`): an `Int` and a `Double` parsed and shown
// exactly as argument-parser parses and shows those types. They are not `Int` and `Double` themselves because
// argument-parser describes a default of those types through `"\(value)"` in unspecialised code, whose casts make the
// Swift runtime scan every protocol-conformance record of the binary (two scans for `Int`, one for `Double`, about
// 0.2M instructions each) on every parse of a command with the config options, `mint` and `verify` included.

/// A whole number on the command line (`Int(argument)`), its default shown as `String(value)`.
struct WholeNumberArgument: ExpressibleByArgument {
    var value: Int

    init(_ value: Int) { self.value = value }

    init?(argument: String) {
        guard let value = Int(argument) else { return nil }
        self.value = value
    }

    var defaultValueDescription: String { String(value) }
}

/// A decimal number on the command line (`Double(argument)`), its default shown as `value.description`.
struct DecimalArgument: ExpressibleByArgument {
    var value: Double

    init(_ value: Double) { self.value = value }

    init?(argument: String) {
        guard let value = Double(argument) else { return nil }
        self.value = value
    }

    var defaultValueDescription: String { value.description }
}
