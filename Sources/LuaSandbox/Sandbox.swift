internal import CLua
internal import CLuaShims

/// One fresh, sandboxed Lua 5.4 state.
///
/// Only the safe libraries are open: base without `dofile`, `loadfile`, `load`, `require`, `collectgarbage` and
/// `print`; `string` without `dump`; `table`; `math`; `utf8`; and an `os` that only reads (`getenv`, `time`, `date`,
/// `clock`). There is no `io`, `package`, `debug` or `coroutine`. Memory, instructions and wall-clock time are capped
/// (`SandboxLimits`); when a limit is hit the state is abandoned at once, past any `pcall` in the code, and freed.
/// Lua is entered only through protected calls, and no Lua error ever unwinds through a Swift frame.
///
/// Not thread-safe and not `Sendable`: create one per evaluation, on the thread that uses it.
///
/// Process-wide contract: the wall-clock limit is a POSIX timer per run that sends the real-time signal
/// `SIGRTMIN+7` to the running thread only. The first sandbox installs that signal's handler for the whole process
/// (once, never removed), and each run unblocks the signal on its own thread for its duration. A program that uses
/// this library must leave `SIGRTMIN+7` alone (no handler, no `sigwait`, no `signalfd` on it); any other signal
/// disposition and mask is untouched.
public final class Sandbox {
    private let state: OpaquePointer
    private let L: OpaquePointer
    private let limits: SandboxLimits
    private var hostFunctions: [HostFunction] = []

    /// Creates the state and opens the safe libraries.
    public init(limits: SandboxLimits = .default) throws(SandboxError) {
        guard let state = clua_sandbox_new(limits.memoryBytes, Int64(limits.instructions)), let L = clua_sandbox_lua(state)
        else { throw .setupFailed("lua_newstate failed") }
        self.state = state
        self.L = L
        self.limits = limits
        clua_set_host(state, sandboxHostTrampoline, Unmanaged.passUnretained(self).toOpaque())
        clua_set_deadline(state, Int64(limits.wallClockMilliseconds))
        let status = clua_open_libraries(state)
        try check(status)
        lua_settop(L, 0)
    }

    deinit {
        clua_sandbox_free(state, closeGraceMilliseconds)
    }

    /// The least time finalizers get at close, even when the run used up the wall-clock limit.
    private var closeGraceMilliseconds: Int64 { Int64(min(limits.wallClockMilliseconds, 100)) }

    /// Closes the state now, running any remaining `__gc` finalizers under what is left of the wall-clock limit of
    /// the last `run` (one limit covers the run, the copy of its results and the close; the close gets at least
    /// 100 ms), so that a finalizer that never ends is reported instead of only cut short. Nothing can run afterwards.
    public func close() throws(SandboxError) {
        if clua_sandbox_close(state, closeGraceMilliseconds) != LUA_OK {
            throw .deadline(milliseconds: limits.wallClockMilliseconds)
        }
    }

    /// The most memory the Lua heap has held, in bytes.
    public var peakMemoryBytes: Int { clua_sandbox_memory_peak(state) }

    /// Whether small blocks come from the allocator's size classes (not under AddressSanitizer, where each block is
    /// a malloc of its own so that overflows are caught).
    static var poolsSmallBlocks: Bool { clua_pools_small_blocks() != 0 }

    /// Instructions executed so far (in steps of 1000).
    public var instructionsExecuted: Int { Int(clua_sandbox_instructions(state)) }

    /// Runs a trusted text chunk (binary chunks are refused) as `chunk(trusted, arguments...)`, where `trusted` is a
    /// table holding the real `load` (for text-only wrappers), `collectgarbage`, `debug.getinfo`, the state's note
    /// log, `ascii_nameprep(name)` (RFC 3491 nameprep of an ASCII name under 1024 bytes, nil for any other), and
    /// `hostFunctions` by name. The note log: `note(a, b, c, file)` records the four values and the current line of
    /// the innermost running function loaded from `file` (chunk source `"@" .. file`), in the Lua heap but with no
    /// table per note and each string kept once; `notes()` returns the values recorded (a sequence) and the notes
    /// as one string, 24 bytes a note, little-endian: the positions of the four values in that sequence (from 1; 0
    /// for nil) as 32-bit words, then the line as a signed 64-bit one (`Int64.min` for none). The chunk's results
    /// are copied out with raw reads into `receiver`, one top-level value each, in order; tables nested deeper than
    /// `maxDepth` arrive as `.deep`.
    ///
    /// - Throws: `SandboxError.lua` for a syntax or uncaught runtime error, or the limit that ended the run; after a
    ///   limit the sandbox cannot run anything else.
    public func run(
        chunk: String, chunkName: String, hostFunctions: [(name: String, function: HostFunction)] = [],
        arguments: [String] = [], maxDepth: Int = 64, into receiver: inout some LuaValueReceiver
    ) throws(SandboxError) {
        try run(
            source: Array(chunk.utf8), precompiled: false, chunkName: chunkName, hostFunctions: hostFunctions,
            arguments: arguments, maxDepth: maxDepth, into: &receiver)
    }

    /// ``run(chunk:chunkName:hostFunctions:arguments:maxDepth:into:)`` for the embedder's own trusted chunk compiled
    /// ahead of time (`luac5.4` output), which loads without compiling. Never pass bytes a user can influence:
    /// Lua does not check bytecode.
    public func run(
        precompiledChunk bytecode: [UInt8], chunkName: String,
        hostFunctions: [(name: String, function: HostFunction)] = [], arguments: [String] = [], maxDepth: Int = 64,
        into receiver: inout some LuaValueReceiver
    ) throws(SandboxError) {
        try run(
            source: bytecode, precompiled: true, chunkName: chunkName, hostFunctions: hostFunctions,
            arguments: arguments, maxDepth: maxDepth, into: &receiver)
    }

    private func run(
        source chunk: [UInt8], precompiled: Bool, chunkName: String,
        hostFunctions: [(name: String, function: HostFunction)], arguments: [String], maxDepth: Int,
        into receiver: inout some LuaValueReceiver
    ) throws(SandboxError) {
        self.hostFunctions = hostFunctions.map(\.function)
        clua_set_deadline(state, Int64(limits.wallClockMilliseconds))
        let status: Int32 = withCStrings(hostFunctions.map(\.name)) { namePointers in
            withCStrings(arguments) { argumentPointers in
                let lengths = arguments.map { $0.utf8.count }
                return lengths.withUnsafeBufferPointer { lengthBuffer in
                    chunk.withUnsafeBufferPointer { source in
                        chunkName.withCString { name in
                            source.withMemoryRebound(to: CChar.self) { sourceChars in
                                var call = clua_chunk_call(
                                    source: sourceChars.baseAddress, source_length: sourceChars.count,
                                    precompiled: precompiled ? 1 : 0,
                                    chunk_name: name, host_names: namePointers.baseAddress,
                                    host_count: Int32(namePointers.count), arguments: argumentPointers.baseAddress,
                                    argument_lengths: lengthBuffer.baseAddress, argument_count: Int32(arguments.count))
                                return clua_run_chunk(state, &call)
                            }
                        }
                    }
                }
            }
        }
        self.hostFunctions = []
        try check(status)
        let count = lua_gettop(L)
        var reader = ValueReader(L: L, state: state, maxDepth: maxDepth, budget: copyBudget)
        for index in stride(from: Int32(1), through: count, by: 1) {
            reader.read(at: index, into: &receiver)
        }
        lua_settop(L, 0)
        switch reader.exhausted {
        case .size?: throw .copyLimit(bytes: copyBudget)
        case .time?: throw .deadline(milliseconds: limits.wallClockMilliseconds)
        case nil: break
        }
    }

    /// The total size one copy out of Lua may have: twice the Lua heap limit. Without it a few lines of Lua could
    /// make the copy, and all later work on it, explode past every limit: a table referring to itself twice per
    /// level, 24 levels deep, is 2^24 leaves to copy (22 s, 6 GB), and one 1 MB string in 2000 slots is 2 GB of
    /// values to write out.
    private var copyBudget: Int {
        let (doubled, overflow) = limits.memoryBytes.multipliedReportingOverflow(by: 2)
        return overflow ? .max : doubled
    }

    private func check(_ status: Int32) throws(SandboxError) {
        if status == LUA_OK { return }
        if status == CLUA_ESCAPED {
            switch Int32(clua_sandbox_limit(state)) {
            case Int32(CLUA_LIMIT_MEMORY): throw .memoryLimit(bytes: limits.memoryBytes)
            case Int32(CLUA_LIMIT_INSTRUCTIONS): throw .instructionLimit(count: limits.instructions)
            default: throw .deadline(milliseconds: limits.wallClockMilliseconds)
            }
        }
        var length = 0
        let message: [UInt8]
        if lua_type(L, -1) == LUA_TSTRING, let pointer = lua_tolstring(L, -1, &length) {
            message = Array(UnsafeRawBufferPointer(start: pointer, count: length))
        } else if status == LUA_ERRMEM {
            message = Array("not enough memory".utf8)
        } else {
            message = Array("(error object is not a string)".utf8)
        }
        lua_settop(L, 0)
        throw .lua(message)
    }

    fileprivate func callHost(_ L: OpaquePointer, id: Int) -> Int32 {
        guard hostFunctions.indices.contains(id) else {
            return reportHostError("no such host function")
        }
        let count = lua_gettop(L)
        let arguments = stride(from: Int32(1), through: count, by: 1).map { hostValue(L, at: $0) }
        switch hostFunctions[id](arguments) {
        case .failure(let error):
            return reportHostError(error.message)
        case .success(let results):
            for result in results.prefix(Int(CLUA_MAX_RESULTS)) {
                switch result {
                case .boolean(let flag): clua_result_simple(state, LUA_TBOOLEAN, flag ? 1 : 0, 0)
                case .integer(let value): clua_result_simple(state, LUA_TNUMBER, 0, value)
                case .string(let bytes):
                    let stored = bytes.withUnsafeBytes { clua_result_string(state, $0.baseAddress, $0.count) }
                    if stored != 0 { return reportHostError("not enough memory") }
                default: clua_result_simple(state, LUA_TNIL, 0, 0)
                }
            }
            return clua_result_count(state)
        }
    }

    /// A host function's argument, read without running any metamethod.
    private func hostValue(_ L: OpaquePointer, at index: Int32) -> HostValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .integer(lua_tointegerx(L, index, nil)) }
            return .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING:
            var length = 0
            guard let pointer = lua_tolstring(L, index, &length) else { return .string([]) }
            return .string(Array(UnsafeRawBufferPointer(start: pointer, count: length)))
        default: return .other
        }
    }

    private func reportHostError(_ message: String) -> Int32 {
        let bytes = Array(message.utf8)
        bytes.withUnsafeBytes { clua_host_error(state, $0.baseAddress, $0.count) }
        return CLUA_HOST_ERROR
    }
}

@available(*, unavailable)
extension Sandbox: Sendable {}

/// The C entry point of every host call: finds the sandbox and runs the Swift function (never raises).
private let sandboxHostTrampoline: clua_host_function = { context, L, id in
    guard let context, let L else { return CLUA_HOST_ERROR }
    let sandbox = Unmanaged<Sandbox>.fromOpaque(context).takeUnretainedValue()
    return sandbox.callHost(L, id: Int(id))
}

/// Calls `body` with NUL-terminated copies of `strings` that live for the duration of the call.
private func withCStrings<Result>(
    _ strings: [String], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> Result
) -> Result {
    let copies = strings.map { string -> UnsafeMutablePointer<CChar> in
        let bytes = Array(string.utf8CString)
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        copy.initialize(from: bytes, count: bytes.count)
        return copy
    }
    defer { copies.forEach { $0.deallocate() } }
    let pointers = copies.map { UnsafePointer<CChar>?($0) }
    return pointers.withUnsafeBufferPointer(body)
}
