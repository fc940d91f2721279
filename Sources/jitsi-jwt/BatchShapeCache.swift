import JitsiToken
import Synchronization

/// What the first line of each shape gave on the full path, for the lines of its shape in every chunk at the same
/// clock second (the times are part of the bytes). Each chunk takes its own copy of an entry's bytes: the chunks run
/// on all cores, and arrays shared between them would have their reference counts bounce between the cores' caches
/// on every line.
final class BatchShapeCache: Sendable {
    /// The outcome of a shape's first line.
    struct Entry: Sendable {
        /// The shared bytes, or `nil` when the shape's lines take the full path.
        var bytes: BatchShapeBytes?
        /// The warnings of every line of the shape.
        var warnings: [MintWarning]
    }

    private let entries = Mutex<(now: Int64, shapes: [BatchShape: Entry])>((0, [:]))

    /// A copy of the entry of `shape` at `now`, or `nil` when no line of the shape was minted at that second.
    func entry(for shape: BatchShape, now: Int64) -> Entry? {
        let entry = entries.withLock { $0.now == now ? $0.shapes[shape] : nil }
        return entry.map { Entry(bytes: $0.bytes.map(BatchShapeBytes.init(copying:)), warnings: $0.warnings) }
    }

    /// Records the entry of `shape` at `now` (forgetting the entries of other seconds).
    func store(_ entry: Entry, for shape: BatchShape, now: Int64) {
        let copy = Entry(bytes: entry.bytes.map(BatchShapeBytes.init(copying:)), warnings: entry.warnings)
        entries.withLock { entries in
            if entries.now != now { entries = (now, [:]) }
            if entries.shapes[shape] == nil { entries.shapes[shape] = copy }
        }
    }
}
