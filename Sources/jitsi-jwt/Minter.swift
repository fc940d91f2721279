import ArgumentParser
import JitsiToken

/// Claims, signature and join URL for one request: what `mint` and every line of `mint --batch` share.
struct Minter: Sendable {
    let rules: ServerRules
    /// The token VirtualHost.
    let host: String
    /// The host of join URLs (default: the VirtualHost).
    let publicHost: String?
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
        var warnings: [String]
    }

    /// A minter, after checking that the server would accept tokens at all.
    /// - Throws: `ExitCode(1)` (after printing `refused: …`) when no token could be accepted (unsupported
    ///   algorithm, no key, no issuer); `ExitCode(2)` when the key file cannot be read as a key.
    init(rules: ServerRules, host: String, publicHost: String?, signingKey: SigningKey?, usesKeyFile: Bool) throws {
        self.rules = rules
        self.host = host
        self.publicHost = publicHost
        signingAlgorithm = usesKeyFile ? rules.supportedAlgorithm : nil
        // A request that only the server's settings can refuse: wildcard room, short lifetime, no extra claims.
        do {
            _ = try makeClaims(
                for: MintRequest(room: "*", ttl: 60), rules: rules, now: TokenServerOptions.now(),
                signingKey: signingKey, signingAlgorithm: signingAlgorithm)
        } catch {
            Output.error("refused: \(error)")
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
    }

    /// Mints `request` at `now`.
    func mint(_ request: MintRequest, now: Int64) throws(MintRefusal) -> Minted {
        let minted = try makeClaims(
            for: request, rules: rules, now: now, signingKey: signingKey, signingAlgorithm: signingAlgorithm)
        let token = signer.sign(minted.claims)
        return Minted(
            token: token, url: joinURL(token: token, tenant: request.tenant, room: minted.claims.room),
            claims: minted.claims, warnings: minted.warnings)
    }

    /// `https://PUBLIC_HOST/[tenant/]room?jwt=TOKEN`, or `nil` when the token is not for one room (`*` or no room
    /// claim): a bare `https://HOST/?jwt=…` opens the welcome page, and the web client drops the token when it
    /// navigates from there to a room.
    func joinURL(token: String, tenant: String?, room: String?) -> String? {
        guard let room, room != "*", !room.isEmpty else { return nil }
        let tenantPath = tenant.map { RoomName.node(typed: $0) }.map { $0.isEmpty ? "" : $0 + "/" } ?? ""
        return "https://\(publicHost ?? host)/\(tenantPath)\(room)?jwt=\(token)"
    }

    /// Deployment warnings, then the minting warnings whose subject (the text before the first `:`) was not
    /// already reported: both sources say `muc_mapper_domain_base is not set: …`.
    static func merge(_ deployment: [String], _ minting: [String]) -> [String] {
        let seen = Set(deployment.map(subject))
        return deployment + minting.filter { !seen.contains(subject($0)) }
    }

    /// What a warning is about: its text before the first `:`.
    static func subject(_ warning: String) -> Substring { warning.prefix { $0 != ":" } }
}
