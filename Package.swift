// swift-tools-version:6.2
import PackageDescription

// Linux only (Debian's liblua5.4, OpenSSL's libcrypto and ICU through pkg-config and Glibc), so no `platforms` entry
// claims otherwise.

/// Lets Swift call C functions whose pointer parameters carry `__counted_by`/`noescape` (CSystemShims, CICU,
/// CCrypto) with a `Span`/`MutableSpan`, so that the targets calling them need no `unsafe`.
let safeInteropWrappers = SwiftSetting.enableExperimentalFeature("SafeInteropWrappers")

let package = Package(
    name: "jitsi-jwt",
    products: [
        .executable(name: "jitsi-jwt", targets: ["jitsi-jwt"]),
        .library(name: "ProsodyConfig", targets: ["ProsodyConfig"]),
        .library(name: "JitsiToken", targets: ["JitsiToken"]),
        .library(name: "JitsiDeployment", targets: ["JitsiDeployment"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    ],
    targets: [
        // The system Lua 5.4 (Debian liblua5.4-dev): headers and link flags only.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        // The sandbox's C half: allocator, hook, deadline timer and signal, guarded calls, the host trampoline.
        .target(name: "CLuaShims", dependencies: ["CLua"]),
        // ICU's RFC 3491 nameprep, the same call Prosody's util.encodings makes, and NFKC (Debian libicu-dev).
        // A plain C target so that ICU's headers stay out of Swift modules that also see Foundation's own ICU.
        // Its two functions take their buffers as bounded (length, pointer) pairs, which StringPrep passes as spans.
        // ICU is not linked but opened (dlopen) the first time a name is not ASCII: see cicu.c.
        .target(name: "CICU"),
        // Every cryptographic primitive, on libcrypto, in crypto.c behind include/CCrypto.h: HMAC-SHA-256/384/512
        // with the key absorbed once (a plain value copied per message), SHA-2 digests, CRYPTO_memcmp, and
        // RSASSA-PKCS1-v1_5 with its keys (PEM read and written, generation) behind an opaque handle. Buffers are
        // bounded (length, pointer) pairs, so Swift passes spans. OpenSSL's headers (Debian libssl-dev, 3.0) are
        // included by this target only; libcrypto is not linked but opened (dlopen) by the first call that needs it,
        // so that hosts, dump, audit and decode never load it: see libcrypto.h. The exception is SHA-2's compression
        // functions with OPENSSL_cleanse and CRYPTO_memcmp, linked from the same package's static libcrypto.a (seven
        // of its members, no parser among them), so that an HMAC token never opens the library: opening it was a
        // fifth of a one-token process. Only JitsiToken's CryptoBackend.swift imports this target.
        .target(name: "CCrypto", linkerSettings: [.linkedLibrary(":libcrypto.a")]),
        // A verified token's three longest byte loops on 32-byte vectors (AVX2, chosen at run time: Swift compiles for
        // the x86-64 baseline, SSE2): base64url decoding and a compact token's run, a block at a time, each handing
        // over to the Swift loop it precedes, and the payload's plain-ASCII test. Only JitsiToken's
        // CryptoBackend+ByteLoops.swift imports this target.
        .target(name: "CVectorLoops"),
        // The system calls of the Swift targets outside the sandbox (open/openat walks, read, write, stat, getcwd,
        // getenv, directory listings, strerror, inet_pton, %.14g), in system.c behind include/CSystemShims.h: every
        // pointer parameter carries its bounds, so Swift calls them with spans, and results are values (a stat
        // struct, -errno), never pointers. A leaf any of our Swift targets may import, as Glibc.
        .target(name: "CSystemShims"),
        // Unicode preparation for names: nameprep (hosts) and NFKC (room names), and which code points a terminal
        // acts on. The only target that imports CICU.
        .target(name: "StringPrep", dependencies: ["CICU"], swiftSettings: [safeInteropWrappers]),
        // Mechanics: one lua_State per load, limits, the C boundary. The only target that imports CLua and CLuaShims.
        .target(name: "LuaSandbox", dependencies: ["CLua", "CLuaShims"]),
        // Prosody's config semantics, run inside the sandbox, turned into its own plain Sendable values (LuaValue).
        // The only target that imports LuaSandbox.
        .target(
            name: "ProsodyConfig", dependencies: ["LuaSandbox", "StringPrep", "CSystemShims"],
            swiftSettings: [safeInteropWrappers]),
        // Jitsi JWTs: pure functions of bytes and a clock; and text made safe for a terminal (TerminalText).
        // Cryptography only through CCrypto, from CryptoBackend.swift, which with its byte loops
        // (CryptoBackend+ByteLoops.swift) is the only code marked `unsafe`; anything else unsafe is an error.
        .target(
            name: "JitsiToken",
            dependencies: ["StringPrep", "CCrypto", "CVectorLoops"],
            swiftSettings: [safeInteropWrappers, .treatWarning("StrictMemorySafety", as: .error)]
        ),
        // What a Jitsi deployment's config means for tokens: server rules, token hosts, audit findings.
        .target(
            name: "JitsiDeployment", dependencies: ["ProsodyConfig", "JitsiToken", "CSystemShims"],
            swiftSettings: [safeInteropWrappers]),
        .executableTarget(
            name: "jitsi-jwt",
            dependencies: [
                "ProsodyConfig", "JitsiToken", "JitsiDeployment", "CSystemShims",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["StaticLibstdc++"],
            // Concrete generic types' metadata through accessor functions, not mangled names: a mangled name is
            // demangled at run time and its generic requirements checked by scanning every protocol-conformance
            // record of the binary (the three option structs' CodingKeys, about 0.2M instructions each, on every
            // parse). argument-parser is outside this setting; the library targets too, since unsafe flags would
            // keep other packages from depending on them.
            swiftSettings: [
                safeInteropWrappers,
                .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"]),
            ],
            // libstdc++ linked statically when the Swift standard library is: StaticLibstdc++/libstdc++.so (a linker script).
            // Linked by the toolchain's lld with packed relative relocations (DT_RELR, glibc 2.36+): the 40,000
            // relative relocations of a static-stdlib binary as a 8 KB bitmap the loader walks, not a 970 KB table
            // it reads at every start (gold, the default, cannot write them).
            linkerSettings: [
                .unsafeFlags([
                    "-L", Context.packageDirectory + "/Sources/jitsi-jwt/StaticLibstdc++",
                    "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                ])
            ]
        ),
        // Benchmarks (not timed tests): swift run -c release jitsi-jwt-bench; Tests/Benchmarks/run.sh compares.
        .executableTarget(
            name: "jitsi-jwt-bench",
            dependencies: ["ProsodyConfig", "JitsiToken", "JitsiDeployment", "CSystemShims"],
            swiftSettings: [safeInteropWrappers]
        ),
        // What every test target shares: fixture paths, the process runner, temporary directories, the oracles.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
        .testTarget(name: "StringPrepTests", dependencies: ["StringPrep", "TestSupport"]),
        .testTarget(name: "LuaSandboxTests", dependencies: ["LuaSandbox", "TestSupport"]),
        .testTarget(
            name: "CSystemShimsTests", dependencies: ["CSystemShims", "TestSupport"], swiftSettings: [safeInteropWrappers]),
        .testTarget(name: "ProsodyConfigTests", dependencies: ["ProsodyConfig", "TestSupport"]),
        .testTarget(name: "JitsiTokenTests", dependencies: ["JitsiToken", "TestSupport"]),
        .testTarget(name: "JitsiDeploymentTests", dependencies: ["JitsiDeployment", "TestSupport"]),
        .testTarget(name: "JitsiJWTTests", dependencies: ["jitsi-jwt", "JitsiDeployment", "TestSupport"]),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
        .strictMemorySafety(),
    ]
}
