import ArgumentParser
import JitsiToken

/// Claims, signature, the server's own check, and the join URL for one request: what `mint` and every line of
/// `mint --batch` share.
struct Minter: Sendable {
    let rules: ServerRules
    /// The token VirtualHost.
    let host: String
    /// The host of join URLs (`--public-host`, else the VirtualHost), or `nil` when it is not a DNS name or an IP
    /// address (``JoinURL/validatedHost(_:)``): then no URL is made, and ``warnings`` says why.
    let urlHost: String?
    /// What minting with this minter always warns about (a VirtualHost name that cannot be a URL host).
    let warnings: [MintWarning]
    let signingKey: SigningKey
    /// The algorithm `makeClaims` must check against the server's (only for key files: the config's own secret
    /// signs with the server's algorithm by construction).
    let signingAlgorithm: SignatureAlgorithm?
    let signer: TokenSigner

    /// What minting one request gives.
    struct Minted {
        var token: String
        var url: String?
        var claims: Claims
        var warnings: [MintWarning]
    }

    /// A minter, after checking that the server would accept tokens at all (with `probesTheServer`, as `--batch`
    /// does before its first line: a token for any room, minted and verified as the server would).
    /// - Throws: `ExitCode(1)` (after printing `refused: …`) when no token could be accepted (unsupported
    ///   algorithm, no or empty key, no issuer, a join every token fails); `ExitCode(2)` when the key file cannot
    ///   be read as a key or `--public-host` is not a host name.
    init(
        rules: ServerRules, host: String, publicHost: String?, signingKey: SigningKey?, usesKeyFile: Bool,
        subject: String? = nil, probesTheServer: Bool = false
    ) throws {
        self.rules = rules
        self.host = host
        if let publicHost {
            guard let valid = JoinURL.validatedHost(publicHost) else {
                Output.error("error: --public-host \(publicHost): not a DNS name or an IP address (with an optional :port)")
                throw ExitCode(2)
            }
            urlHost = valid
            warnings = []
        } else {
            urlHost = JoinURL.validatedHost(host)
            warnings = urlHost != nil ? [] : [
                MintWarning(
                    .noJoinURL, host: host,
                    message: "no join URL: the VirtualHost name \"\(host)\" is not a DNS name or an IP address, so a "
                        + "URL built from it could open another site; give --public-host with the server's public name")
            ]
        }
        signingAlgorithm = usesKeyFile ? rules.supportedAlgorithm : nil
        // A request that only the server's settings can refuse: any room, short lifetime, no extra claims.
        let probe = MintRequest(room: "*", ttl: 60, subject: subject)
        do {
            _ = try makeClaims(
                for: probe, rules: rules, now: TokenServerOptions.now(), signingKey: signingKey,
                signingAlgorithm: signingAlgorithm)
        } catch {
            Output.refusal(error)
            throw ExitCode(1)
        }
        guard let algorithm = rules.supportedAlgorithm, let signingKey else {
            Output.error("refused: no key to sign with")
            throw ExitCode(1)
        }
        self.signingKey = signingKey
        do {
            signer = try TokenSigner(algorithm: algorithm, key: signingKey)
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(2)
        }
        guard probesTheServer else { return }
        do {
            _ = try mint(probe, now: TokenServerOptions.now())
        } catch {
            Output.refusal(error)
            throw ExitCode(1)
        }
    }

    /// Mints `request` at `now`, and verifies the token as the server would for its room and tenant.
    /// - Throws: ``MintRefusal``, with the server's verdict when it would refuse the signed token.
    func mint(_ request: MintRequest, now: Int64) throws(MintRefusal) -> Minted {
        let minted = try makeClaims(
            for: request, rules: rules, now: now, signingKey: signingKey, signingAlgorithm: signingAlgorithm)
        let token = signer.sign(minted.claims)
        try verifyMinted(token, claims: minted.claims, request: request, rules: rules, now: now)
        return Minted(
            token: token, url: joinURL(token: token, tenant: request.tenant, room: minted.claims.room),
            claims: minted.claims, warnings: minted.warnings)
    }

    /// `https://PUBLIC_HOST/[tenant/]room?jwt=TOKEN`, or `nil` when the token is not for one room (`*` or no room
    /// claim): a bare `https://HOST/?jwt=…` opens the welcome page, and the web client drops the token when it
    /// navigates from there to a room. Also `nil` without a valid ``urlHost``. The tenant and room are
    /// percent-encoded path segments (``JoinURL/pathSegment(_:)``).
    func joinURL(token: String, tenant: String?, room: String?) -> String? {
        guard let urlHost, let room, room != "*", !room.isEmpty else { return nil }
        let tenantPath = tenant.map { JoinURL.pathSegment(RoomName.node(typed: $0)) }
            .map { $0.isEmpty ? "" : $0 + "/" } ?? ""
        return "https://\(urlHost)/\(tenantPath)\(JoinURL.pathSegment(room))?jwt=\(token)"
    }

    /// `deployment` then `minting`, each warning once: two warnings of one kind for one host are one warning.
    static func merge(_ deployment: [MintWarning], _ minting: [MintWarning]) -> [MintWarning] {
        var seen: Set<String> = []
        return (deployment + minting).filter { seen.insert($0.identity).inserted }
    }
}
