/// The Prosody release whose config semantics to follow.
public enum ProsodyVersion: String, Sendable, CaseIterable, CustomStringConvertible {
    /// 0.12.x (Debian 12's 0.12.3): no option read-back, no `Lua`, `File*` or `Credential`.
    case v0_12 = "0.12"
    /// 13.0.x: option read-back and proxies (`:append`), `Lua`, `FileContents`/`FileLine`/`FileLines`,
    /// `Credential`, and the deprecation warning for bare Lua globals.
    case v13 = "13"

    public var description: String { rawValue }

    /// The version of the installed Prosody, read from `/usr/lib/prosody/prosody.version` ("0.12.3" → 0.12,
    /// "13.0.1" → 13); 13 when the file is absent or names another release.
    public static func installed(versionFile: String = "/usr/lib/prosody/prosody.version") -> ProsodyVersion {
        guard let bytes = try? FileAccess.readWholeFile(versionFile, limit: 4096) else { return .v13 }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.hasPrefix("0.12") ? .v0_12 : .v13
    }
}
