import Synchronization

/// The large results of a command (a loaded config, its deployment model) kept until the process exits, which
/// returns their memory at once: freeing 100k hosts value by value costs about 3 % of `hosts` and changes nothing.
/// Nothing is kept while a test captures the output (commands then run inside the test process, which goes on).
enum KeptUntilExit {
    private static let values = Mutex<[any Sendable]>([])

    static func keep(_ value: some Sendable) {
        guard Output.capture == nil else { return }
        values.withLock { $0.append(value) }
    }
}
