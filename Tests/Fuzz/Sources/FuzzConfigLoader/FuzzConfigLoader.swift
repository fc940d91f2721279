// libFuzzer target: arbitrary bytes as a Prosody config, executed in the sandbox (ConfigLoader.load(path:)),
// then read through the deployment model (hosts, components, token rules, mint warnings) as `jitsi-jwt hosts`
// and `mint` read it.
//
// The bytes are written to one file in a private temporary directory, which is the only readable root. The root
// also holds a generated tree (`FuzzTree.swift`): conf.d with in-root symlinks (relative and absolute), links out
// of the root (to /etc/passwd, to /etc), a symlink loop, a dangling link, a FIFO, non-UTF-8 and 255-byte names, a
// deep chain of directories and a 300-file directory, so that Include, globs and File* reach every path of the
// confined walk. The limits are tight so that each run is short: 8 MiB of Lua heap, 20 M instructions, 1 s of wall
// clock, 64 KiB per file read, 8 Includes. The length's lowest bit picks the semantics (0.12 or 13).
import JitsiDeployment
import ProsodyConfig

#if canImport(Glibc)
    import Glibc
#endif

private let directory: String = {
    var template = Array("/tmp/jitsi-jwt-fuzz-XXXXXX".utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        fatalError("mkdtemp failed")
    }
    let path = String(cString: made)
    FuzzTree.build(in: path)
    return path
}()

private let configPath = directory + "/prosody.cfg.lua"

private func options(_ version: ProsodyVersion) -> LoadOptions {
    LoadOptions(
        version: version,
        limits: .init(memoryBytes: 8 << 20, instructions: 20_000_000, wallClockMilliseconds: 1_000),
        readableRoots: [], credentialsDirectory: nil, maxFileBytes: 64 << 10, maxIncludeDepth: 4, maxIncludes: 8,
        recordNotes: true)
}

private let optionsByVersion = [options(.v0_12), options(.v13)]

// Also exported under libFuzzer's name: its archive's FuzzerMain.o gets linked in and refers to it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigLoader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let descriptor = open(configPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { fatalError("cannot write \(configPath)") }
    var offset = 0
    while offset < size, let data {
        let written = write(descriptor, data + offset, size - offset)
        guard written > 0 else { fatalError("short write") }
        offset += written
    }
    close(descriptor)

    let configuration: ProsodyConfiguration
    do {
        configuration = try ConfigLoader.load(path: configPath, options: optionsByVersion[size & 1])
    } catch {
        _ = error.description
        return 0
    }
    let deployment = Deployment(configuration)
    var total = deployment.components.count
    for host in deployment.hosts {
        let rules = host.rules
        total &+= rules.acceptedIssuers.count
        total &+= deployment.mintWarnings(host: host, rules: rules).count
        _ = deployment.loadsAffiliationPlugin(host: host)
        _ = deployment.muc(for: host)
    }
    _ = try? deployment.tokenHost(named: nil)
    return total == Int.min ? 1 : 0
}
