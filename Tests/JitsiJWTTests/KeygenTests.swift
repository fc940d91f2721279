import JitsiToken
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Debian's python3-jwt (PyJWT with `cryptography`): the independent verifier of keygen's keys and mint's RS256 tokens.
enum PyJWT {
    static let python = "/usr/bin/python3"
    static let available: Bool = {
        guard access(python, X_OK) == 0,
            let result = try? runProcess(python, ["-c", "import jwt, cryptography; jwt.PyJWKSet"])
        else { return false }
        return result.status == 0
    }()

    static func run(_ script: String, input: String) throws -> CommandResult {
        try runProcess(python, ["-c", script], input: input)
    }
}

struct KeygenTests {
    /// Reads `{"dir", "kid", "token"}`; finds the public PEM by the SHA-256 hex of the kid (computed here, by
    /// hashlib), verifies the token with it and with the JWKS entry of that kid; prints the header and both payloads.
    static let verifier = """
        import hashlib, json, sys, jwt
        r = json.load(sys.stdin)
        name = hashlib.sha256(r["kid"].encode()).hexdigest()
        pem = open(r["dir"] + "/" + name + ".pem").read()
        jwks = jwt.PyJWKSet.from_dict(json.load(open(r["dir"] + "/" + name + ".jwks.json")))
        jwk = [k for k in jwks.keys if k.key_id == r["kid"]][0]
        opts = {"verify_exp": False, "verify_nbf": False, "verify_iat": False}
        by_pem = jwt.decode(r["token"], pem, algorithms=["RS256"], audience="jitsi", options=opts)
        by_jwk = jwt.decode(r["token"], jwk.key, algorithms=[jwk._jwk_data["alg"]], audience="jitsi", options=opts)
        print(json.dumps({"name": name, "header": jwt.get_unverified_header(r["token"]),
                          "pem": by_pem == by_jwk, "use": jwk._jwk_data["use"], "sub": by_pem["sub"]},
                         sort_keys=True))
        """

    @Test(.enabled(if: PyJWT.available, "needs /usr/bin/python3 with python3-jwt"))
    func pyJWTVerifiesWhatMintSignsWithKeygensKeyFoundByTheKidsSHA256() throws {
        let directory = try TemporaryDirectory()
        let kid = "acme/key-1"
        let keygen = execute(["keygen", "--kid", kid, "--out", directory.path])
        let name = "16f16e39ea520597905c8e031048948ada78d093883c30eaa1d93052abc70006"
        let files = [".key", ".pem", ".jwks.json"].map { directory.path + "/" + name + $0 }
        defer { for file in files { unlink(file) } }
        #expect(keygen.status == 0, "\(keygen)")

        let minted = execute([
            "mint", "--key-file", files[0], "--kid", kid, "--host", "meet.example.com", "--app-id", "acme_meet",
            "--room", "r",
        ])
        #expect(minted.status == 0, "\(minted)")
        let request: JSONValue = [
            "dir": .string(directory.path), "kid": .string(kid),
            "token": .string(String(minted.stdout.dropLast())),
        ]
        let verified = try PyJWT.run(Self.verifier, input: request.jsonText)
        #expect(
            verified == CommandResult(
                status: 0,
                stdout: #"{"header": {"alg": "RS256", "kid": "acme/key-1", "typ": "JWT"}, "name": ""# + name
                    + #"", "pem": true, "sub": "meet.example.com", "use": "sig"}"# + "\n",
                stderr: ""))
        #expect(
            keygen.stdout == """
                private key  \(files[0])  (mode 0600: keep it secret, never publish it)
                public key   \(files[1])  (serve it from asap_key_server as \(name).pem)
                JWKS         \(files[2])  (for cache_keys_url)
                kid          acme/key-1
                sign with:   jitsi-jwt mint --key-file '\(files[0])' --kid 'acme/key-1' …

                """)
        var status = stat()
        #expect(stat(files[0], &status) == 0 && status.st_mode & 0o777 == 0o600)
        #expect(stat(files[1], &status) == 0 && status.st_mode & 0o777 == 0o644)
    }

    @Test func aKeyServerHostAcceptsWhatMintSignsWithKeygensKeyAndKid() throws {
        let directory = try TemporaryDirectory()
        let stem = directory.path + "/" + String(KeyServer.publicKeyFileName(keyID: "partner-1").dropLast(4))
        defer { for suffix in [".key", ".pem", ".jwks.json"] { unlink(stem + suffix) } }
        #expect(execute(["keygen", "--kid", "partner-1", "--out", directory.path]).status == 0)
        let server = ["--config", Repository.multihost, "--host", "partners.example.com"]
        let minted = execute(["mint"] + server + ["--key-file", stem + ".key", "--kid", "partner-1", "--room", "r"])
        #expect(minted.status == 0, "\(minted)")
        let verified = execute(
            ["verify"] + server + ["--public-key-file", stem + ".pem", "--room", "r", String(minted.stdout.dropLast())])
        #expect(verified == CommandResult(status: 0, stdout: "accepted\n", stderr: ""))
    }

    @Test func keygenNeverOverwritesAndLeavesNoHalfPair() throws {
        let directory = try TemporaryDirectory()
        let name = KeyServer.publicKeyFileName(keyID: "k1")
        let existing = try directory.write(name, "not mine to overwrite\n")
        let result = execute(["keygen", "--kid", "k1", "--out", directory.path])
        #expect(
            result == CommandResult(
                status: 1, stdout: "",
                stderr: "error: \(existing): already exists (never overwritten: remove it or choose another name)\n"))
        #expect(try readFile(existing) == "not mine to overwrite\n")
        let stem = String(name.dropLast(4))
        #expect(access(directory.path + "/" + stem + ".key", F_OK) != 0)
    }

    @Test(arguments: [
        (["--kid", "k", "--bits", "1024"], "Error: --bits 1024: expected 2048, 3072 or 4096"),
        (["--kid", "a\u{1B}[2Jb"], "Error: --kid must be printable: no control or bidi-format characters, no backslash"),
        (["--kid", "k", "--algorithm", "HS256"], "Error: --algorithm HS256: expected RS256, RS384 or RS512"),
    ])
    func keygenRefusesBadOptions(_ arguments: [String], _ message: String) {
        let result = execute(["keygen", "--out", "/nonexistent"] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix(message + "\n"), "\(result)")
    }

    @Test func theFetchURLIsTheKeyServerSlashTheSHA256HexOfTheKid() {
        // sha256("acme/key-1"), by `printf %s acme/key-1 | sha256sum`.
        #expect(
            KeyServer.fetchURL(server: "https://keys.example.com/asap", keyID: "acme/key-1")
                == "https://keys.example.com/asap/16f16e39ea520597905c8e031048948ada78d093883c30eaa1d93052abc70006.pem")
    }
}
