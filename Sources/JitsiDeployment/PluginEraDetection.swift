public import JitsiToken
public import ProsodyConfig

/// Which era of Jitsi's token plugins a server runs, told from the text of the installed `token/util.lib.lua`
/// (read, never run).
public struct DetectedPluginEra: Sendable, Equatable {
    /// Where the era came from.
    public enum Source: Sendable, Equatable {
        /// Recognised from this file.
        case file(String)
        /// Given on the command line (`--jitsi-plugins`).
        case override
        /// Nothing was recognised: the current era is assumed.
        case defaulted
    }

    public var era: PluginEra
    public var source: Source

    public init(era: PluginEra, source: Source) {
        self.era = era
        self.source = source
    }

    /// The era given on the command line.
    public static func overridden(_ era: PluginEra) -> DetectedPluginEra { .init(era: era, source: .override) }

    /// Where the era came from, for humans and JSON: the file path, `--jitsi-plugins`, or
    /// `default: nothing found`.
    public var sourceDescription: String {
        switch source {
        case .file(let path): path
        case .override: "--jitsi-plugins"
        case .defaulted: "default: nothing found"
        }
    }
}

/// Finds the installed token plugins from the config's `plugin_paths` and tells their era.
public enum PluginEraDetection {
    /// Where Debian's jitsi-meet-prosody installs the plugins; searched when the config sets no `plugin_paths`.
    public static let debianPluginDirectory = "/usr/share/jitsi-meet/prosody-plugins/"

    /// The file whose text decides the era, relative to a plugin directory.
    public static let markerFile = "token/util.lib.lua"

    /// The largest plugin file read (the real one is about 20 KiB).
    public static let maxFileBytes = 256 << 10

    /// Textual markers, newest era first, each compared with all white space removed and `"` read as `'` on both
    /// sides. Each is a
    /// fragment that the era's `token/util.lib.lua` introduced (a text it sends, or the guard that changed an
    /// outcome) and that later eras kept. A file with `process_and_verify_token` and `verify_room` and no marker is
    /// 2025-08 (or older).
    public static let markers: [(era: PluginEra, marker: String)] = [
        // pcall(string.match, ...) returning 'invalid-regex'
        (.june2026, "'invalid-regex'"),
        // return false, "not-authorized", "sub claim is missing"
        (.may2026, "\"sub claim is missing\""),
        // if not headerPartEncoded then return false, "not-allowed", "Invalid token" end
        (.march2026, "if not headerPartEncoded then"),
        // the log line when no key is configured names cache_keys_url
        (.november2025, "or 'cacheKeysUrl' must be specified"),
        // return false, 'room-does-not-exist', 'Room does not exist'
        (.september2025, "'room-does-not-exist'"),
    ]

    /// What every era's file has: the two functions the verifier models.
    static let commonMarkers = ["function Util:process_and_verify_token(", "function Util:verify_room("]

    /// The era of the plugins `config` loads: the first directory of the global `plugin_paths` (else Debian's) that
    /// holds `token/util.lib.lua`, read with a size bound and only inside that directory (after symlinks). Relative
    /// entries are skipped (Prosody would resolve them from its working directory, unknown here). Unrecognised or
    /// absent: the current era, source `.defaulted`.
    public static func detect(_ config: ProsodyConfiguration) -> DetectedPluginEra {
        detect(pluginDirectories: pluginDirectories(config))
    }

    /// Where to look: the global `plugin_paths` in order, else Debian's directory.
    public static func pluginDirectories(_ config: ProsodyConfiguration) -> [String] {
        let paths = Deployment.strings(config.get("*", "plugin_paths"))
        return paths.isEmpty ? [debianPluginDirectory] : paths
    }

    /// The era of the first of `pluginDirectories` that holds a readable `token/util.lib.lua`.
    public static func detect(pluginDirectories: [String]) -> DetectedPluginEra {
        for directory in pluginDirectories where directory.hasPrefix("/") {
            let files = FileAccess(roots: [directory], allowedFiles: [], maxFileBytes: maxFileBytes)
            let path = (directory.hasSuffix("/") ? directory : directory + "/") + markerFile
            guard case .success(.file(let bytes, _)) = files.read(path) else { continue }
            guard let era = era(ofUtilLibrary: bytes) else { continue }
            return DetectedPluginEra(era: era, source: .file(path))
        }
        return DetectedPluginEra(era: .current, source: .defaulted)
    }

    /// The era `text` (a `token/util.lib.lua`) belongs to, or `nil` when it is not recognisably that file.
    public static func era(ofUtilLibrary text: [UInt8]) -> PluginEra? {
        let squeezed = withoutWhiteSpace(text)
        guard commonMarkers.allSatisfy({ contains(squeezed, withoutWhiteSpace(Array($0.utf8))) }) else { return nil }
        for (era, marker) in markers where contains(squeezed, withoutWhiteSpace(Array(marker.utf8))) {
            return era
        }
        return .august2025
    }

    /// The bytes without white space, with `"` as `'` (Lua quotes strings either way).
    private static func withoutWhiteSpace(_ bytes: [UInt8]) -> [UInt8] {
        bytes.compactMap { byte in
            if byte == 0x20 || (0x09...0x0D).contains(byte) { return nil }
            return byte == UInt8(ascii: "\"") ? UInt8(ascii: "'") : byte
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        let first = needle[0]
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
