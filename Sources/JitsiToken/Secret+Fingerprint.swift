extension Secret {
    /// `sha256:` and the first 16 hex digits of the SHA-256 of the secret's bytes: enough to tell two secrets apart
    /// (or to check a copy) without showing either.
    public var fingerprint: String {
        "sha256:" + KeyServer.hex(sha256(revealedBytes)).prefix(16)
    }
}
