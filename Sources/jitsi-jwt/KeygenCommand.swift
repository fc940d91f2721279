import ArgumentParser
import JitsiToken

#if canImport(Glibc)
import Glibc
#endif

/// `jitsi-jwt keygen`: an RSA key pair for a server with `asap_key_server` (or `cache_keys_url`).
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        _superCommandName: JitsiJWT.commandName,
        abstract: "Make an RSA key pair for RS* tokens: the private key, the public PEM the key server serves, a JWKS.",
        discussion: """
            Writes three new files into DIR (none is ever overwritten; an existing one stops the command before \
            anything is written): <sha256 hex of KID>.key, the private key (mode 0600); <sha256 hex of KID>.pem, the \
            public key under the name the server fetches from asap_key_server (mode 0644); and \
            <sha256 hex of KID>.jwks.json, a JWKS for cache_keys_url (mode 0644). Publish the .pem (or the JWKS), \
            never the .key. Then: jitsi-jwt mint --key-file DIR/<hex>.key --kid KID …. \
            Exit 0 written, 1 a file could not be created, 2 usage error.
            """)

    @Option(help: "The key id: the kid header of the tokens (JaaS style: TENANT/KEYID).")
    var kid: String

    @Option(help: "Key size: 2048, 3072 or 4096.")
    var bits: Int = 2048

    @Option(help: "The alg the JWKS announces: RS256, RS384 or RS512 (the server's signature_algorithm).")
    var algorithm: String = "RS256"

    @Option(help: "The directory to write the files to.", completion: .directory)
    var out: String

    func validate() throws {
        guard !kid.isEmpty else { throw ValidationError("--kid is empty") }
        guard Output.printable(kid) == kid else {
            throw ValidationError("--kid must be printable: no control or bidi-format characters, no backslash")
        }
        guard RSAKeyPair.supportedSizes.contains(bits) else {
            throw ValidationError("--bits \(bits): expected 2048, 3072 or 4096")
        }
        guard let parsed = SignatureAlgorithm(rawValue: algorithm), !parsed.isHMAC else {
            throw ValidationError("--algorithm \(algorithm): expected RS256, RS384 or RS512")
        }
    }

    func run() throws {
        let pair: RSAKeyPair
        do {
            pair = try RSAKeyPair(bits: bits)
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(1)
        }
        let publicName = KeyServer.publicKeyFileName(keyID: kid)
        let stem = String(publicName.dropLast(".pem".count))
        let directory = out.hasSuffix("/") && out.count > 1 ? String(out.dropLast()) : out
        let privatePath = "\(directory)/\(stem).key"
        let publicPath = "\(directory)/\(publicName)"
        let jwksPath = "\(directory)/\(stem).jwks.json"
        let files: [(path: String, bytes: [UInt8], mode: mode_t)] = [
            (privatePath, pair.privateKeyPEM.revealedBytes, 0o600),
            (publicPath, Array(pair.publicKeyPEM.utf8), 0o644),
            (jwksPath, Array((pair.jwks(keyID: kid, algorithm: SignatureAlgorithm(rawValue: algorithm)!).jsonText
                + "\n").utf8), 0o644),
        ]
        var created: [String] = []
        do {
            for file in files {
                try NewFile.create(file.path, bytes: file.bytes, mode: file.mode)
                created.append(file.path)
            }
        } catch {
            // All or nothing: a key pair with a missing half is a trap.
            for path in created { SystemCalls.unlink(path) }
            Output.error("error: \(Output.printable(error.description))")
            throw ExitCode(1)
        }
        Output.writeText("""
            private key  \(Output.printable(privatePath))  (mode 0600: keep it secret, never publish it)
            public key   \(Output.printable(publicPath))  (serve it from asap_key_server as \(publicName))
            JWKS         \(Output.printable(jwksPath))  (for cache_keys_url)
            kid          \(kid)
            sign with:   jitsi-jwt mint --key-file \(ShellFormat.quote(privatePath)) --kid \(ShellFormat.quote(kid)) …

            """)
    }
}
