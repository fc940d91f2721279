/// The resources one config evaluation may use; each limit ends the load with ``ConfigError/limit(path:_:)``,
/// whatever the config does. ProsodyConfig's own type (the sandbox's limits are built from it).
public struct LoadLimits: Sendable, Equatable {
    /// Bytes the Lua heap may hold at once.
    public var memoryBytes: Int
    /// Lua VM instructions the run may execute (counted in steps of 1000).
    public var instructions: Int
    /// Wall-clock time the run may take (it holds inside long library calls and finalizers as well).
    public var wallClockMilliseconds: Int

    /// 64 MiB, 200 million instructions (about a second of Lua), 5 seconds.
    public static let `default` = LoadLimits(memoryBytes: 64 << 20, instructions: 200_000_000,
                                             wallClockMilliseconds: 5_000)

    public init(memoryBytes: Int, instructions: Int, wallClockMilliseconds: Int) {
        self.memoryBytes = memoryBytes
        self.instructions = instructions
        self.wallClockMilliseconds = wallClockMilliseconds
    }
}
