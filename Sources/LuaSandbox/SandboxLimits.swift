/// The resources one evaluation may use. Each limit ends the run with a `SandboxError`, whatever the code does.
public struct SandboxLimits: Sendable, Equatable {
    /// Bytes the Lua heap may hold at once.
    public var memoryBytes: Int
    /// Lua VM instructions the run may execute (counted in steps of 1000).
    public var instructions: Int
    /// Wall-clock time the run may take, enforced by a timer signal, so it holds inside long C library calls
    /// (pattern matching) and `__gc` finalizers as well.
    public var wallClockMilliseconds: Int

    /// 64 MiB, 200 million instructions (about a second of Lua), 5 seconds.
    public static let `default` = SandboxLimits(memoryBytes: 64 << 20, instructions: 200_000_000,
                                                wallClockMilliseconds: 5_000)

    public init(memoryBytes: Int, instructions: Int, wallClockMilliseconds: Int) {
        self.memoryBytes = memoryBytes
        self.instructions = instructions
        self.wallClockMilliseconds = wallClockMilliseconds
    }
}
