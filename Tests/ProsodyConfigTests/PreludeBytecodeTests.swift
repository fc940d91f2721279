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

    /// RFC 4648's test vectors (section 10), with a line break inside one of them.
    @Test(arguments: [
        ("", ""), ("Zg==", "f"), ("Zm8=", "fo"), ("Zm9v", "foo"), ("Zm9vYg==", "foob"), ("Zm9vYmE=", "fooba"),
        ("Zm9v\nYmFy", "foobar"),
    ])
    func base64DecodesTheRFCsVectors(_ encoded: String, _ decoded: String) {
        #expect(decodeBase64(encoded) == Array(decoded.utf8))
    }
}
