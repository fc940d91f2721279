import Dispatch
import Synchronization

/// A batch's input shared by workers on every core, each of which reads its next chunk itself, makes that chunk's
/// records, and writes them once the records of every chunk before it are written: a chunk's lines are read, handled
/// and written by one core, and the output keeps the input's order.
///
/// A chunk read by one thread and handled by another had its bytes, and then its records, cross from one core's
/// caches to the other's; and the other cores waited while one thread read or wrote.
final class BatchPipeline: Sendable {
    /// The workers a batch runs: one per processor the process may run on (under `taskset` or in a container with
    /// a CPU list, one per processor left to it; more only took turns on them).
    static var workers: Int { max(1, SystemCalls.usableProcessors) }

    private struct Reading: ~Copyable {
        var input: BatchInput
        /// The sequence number of the next chunk read.
        var next = 0
        /// Whether reading failed (the message is printed): no chunk is read after it.
        var failed = false
    }

    private struct Writing {
        /// The sequence number of the chunk whose turn it is.
        var turn = 0
        /// For each worker, the chunk it waits to write.
        var waiting: [Int?]
    }

    private let reading: Mutex<Reading>
    private let writing: Mutex<Writing>
    /// One per worker: signalled when the chunk it waits for has its turn.
    private let wakeUps: [DispatchSemaphore]
    let progress: BatchInput.Progress

    init(_ input: consuming BatchInput, workers: Int) {
        progress = input.progress
        reading = Mutex(Reading(input: input))
        writing = Mutex(Writing(waiting: Array(repeating: nil, count: workers)))
        wakeUps = (0..<workers).map { _ in DispatchSemaphore(value: 0) }
    }

    /// Replaces `chunk`'s lines with the next ones of at most `maxLines` lines and their sequence number; `nil` once
    /// the input has ended (or reading failed), when `chunk` holds no lines.
    func next(into chunk: inout BatchInput.Chunk, maxLines: Int) -> Int? {
        reading.withLock { state in
            chunk.removeAll()
            while !state.failed, !state.input.finished, chunk.isEmpty {
                do {
                    try state.input.next(into: &chunk, maxLines: maxLines)
                } catch {
                    // A read error ends the batch with the chunk it happens in: the lines read before it are dropped.
                    chunk.removeAll()
                    state.failed = true
                }
            }
            guard !chunk.isEmpty else { return nil }
            defer { state.next += 1 }
            return state.next
        }
    }

    /// Lines and blank lines read so far, and whether reading failed.
    var counts: (lines: Int, empty: Int, failed: Bool) {
        reading.withLock { ($0.input.lines, $0.input.empty, $0.failed) }
    }

    /// Runs `body` once every chunk numbered before `sequence` has had its turn, and then gives the turn to the next
    /// chunk. `worker` is the caller's number (below the count the pipeline was made for).
    func inTurn(_ sequence: Int, worker: Int, _ body: () -> Void) {
        let ready = writing.withLock { state in
            if state.turn == sequence { return true }
            state.waiting[worker] = sequence
            return false
        }
        if !ready { wakeUps[worker].wait() }
        body()
        writing.withLock { state in
            state.turn = sequence + 1
            if let next = state.waiting.firstIndex(of: sequence + 1) {
                state.waiting[next] = nil
                wakeUps[next].signal()
            }
        }
    }

    /// Runs `body(worker)` for each worker on every core, each thread with the caller's task-local values (a test's
    /// captured output and fixed clock), which other threads do not inherit.
    static func onEveryCore(_ workers: Int, _ body: @Sendable (_ worker: Int) -> Void) {
        let capture = Output.capture
        let fixedNow = TokenServerOptions.fixedNow
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            Output.$capture.withValue(capture) {
                TokenServerOptions.$fixedNow.withValue(fixedNow) { body(worker) }
            }
        }
    }
}
