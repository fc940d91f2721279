import TestSupport
import Testing

@testable import ProsodyConfig

/// The loader runs the prelude as bytecode; it must be `luac5.4`'s compilation of the prelude's current text.
struct PreludeBytecodeTests {
    @Test func theEmbeddedBytecodeIsLuacsOutputForThePreludeText() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("configmanager.lua", prelude)
        let compiled = try runProcess("/usr/bin/luac5.4", ["-o", "-", "configmanager.lua"], in: directory.path)
        try #require(compiled.status == 0, "\(compiled)")
        #expect(
            compiled.standardOutput == preludeBytecode,
            "Sources/ProsodyConfig/PreludeBytecode.swift is stale; regenerate preludeBytecodeBase64 from `luac5.4 -o - configmanager.lua | base64 -w 112` over the prelude's text")
    }
}
