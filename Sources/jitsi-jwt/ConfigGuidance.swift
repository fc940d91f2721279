#if canImport(Glibc)
import Glibc
#endif

/// What to do next when the config cannot be read, or holds no token host: the first-run problems (a config that is
/// `0640 root:prosody`, a host where Prosody runs in docker, a server without token auth). Found by looking at the
/// files, never by reading the loader's message.
enum ConfigGuidance {
    /// Where docker-jitsi-meet renders Prosody's config on the host (`CONFIG=~/.jitsi-meet-cfg` in its `.env`).
    static let dockerConfigDirectory = "~/.jitsi-meet-cfg/prosody/config"

    /// `hint:` lines for a config at `path` (absolute) that failed to load.
    static func loadHints(
        path: String, etcProsody: String = "/etc/prosody",
        environment: (String) -> String? = ConfigOptions.environment
    ) -> [String] {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        if let unreadable = unreadableFile(among: [path] + configFiles(in: directory + "/conf.d")) {
            return permissionHints(unreadable)
        }
        guard SystemCalls.access(path, F_OK) != 0 else { return [] }
        var hints = ["\(path) does not exist: give the config with --config PATH, or set PROSODY_CONFIG=PATH"]
        if SystemCalls.access(etcProsody, F_OK) != 0 {
            hints.append("no \(etcProsody) here: if Prosody runs in docker-jitsi-meet, its rendered config is on the "
                + "host under \(dockerConfigDirectory)/ (inside the container: /config/)")
            if let home = environment("HOME") {
                let candidate = home + "/.jitsi-meet-cfg/prosody/config/prosody.cfg.lua"
                if SystemCalls.access(candidate, F_OK) == 0 {
                    hints.append("found one: jitsi-jwt … --config \(ShellFormat.quote(candidate))")
                }
            }
        }
        return hints
    }

    /// The first of `paths` that exists but cannot be read for lack of permission.
    static func unreadableFile(among paths: [String]) -> String? {
        // EACCES also when a directory on the way may not be searched.
        paths.first { SystemCalls.access($0, R_OK) == -EACCES }
    }

    /// The `*.cfg.lua` files of `directory` (the Debian and docker `conf.d`), sorted; none when it cannot be listed.
    static func configFiles(in directory: String) -> [String] {
        let names = (SystemCalls.directoryNames(directory) ?? []).map { String(decoding: $0, as: UTF8.self) }
        return names.filter { $0.hasSuffix(".cfg.lua") }.map { directory + "/" + $0 }.sorted()
    }

    /// How to get read access to `path`: as root, through its group (by name), or as the prosody user.
    static func permissionHints(_ path: String) -> [String] {
        let status = SystemCalls.stat(path)
        let group = status.flatMap { SystemCalls.groupName($0.group) }
        let mode = status.map { String($0.mode & 0o777, radix: 8) }
        var hints = ["permission denied reading \(path)"
            + (mode.map { " (mode 0\($0)" + (group.map { ", group \($0)" } ?? "") + ")" } ?? "")
            + ": the config holds the token secret, so only root and the Prosody server may read it"]
        hints.append("run as root: sudo jitsi-jwt …")
        if let group, group != "root" {
            hints.append("or join the \(group) group: sudo usermod -aG \(group) \"$USER\" (then log in again)")
        } else {
            hints.append("or give it to the prosody group (sudo chgrp prosody FILE; chmod 0640 FILE, as Debian "
                + "installs it) and join that group: sudo usermod -aG prosody \"$USER\" (then log in again)")
        }
        hints.append("or run as the server's user: sudo -u prosody jitsi-jwt …")
        return hints
    }

    /// How to turn token authentication on, for a config without a token host.
    static let enableTokenAuthHints = [
        "no VirtualHost uses token authentication yet. To enable it:",
        "Debian/Ubuntu: apt install jitsi-meet-tokens (it asks for app_id and app_secret and edits the host's config)",
        "docker-jitsi-meet: in .env set ENABLE_AUTH=1, AUTH_TYPE=jwt, JWT_APP_ID=… and JWT_APP_SECRET=…, then "
            + "recreate the containers",
        "by hand, in the VirtualHost: authentication = \"token\", app_id = \"…\", app_secret = \"…\"; and load "
            + "\"token_verification\" in the conference MUC's modules_enabled",
    ]

    /// Prints `hints` as `hint: …` lines on stderr.
    static func print(_ hints: [String]) {
        for hint in hints { Output.error("hint: \(Output.printable(hint))") }
    }
}
