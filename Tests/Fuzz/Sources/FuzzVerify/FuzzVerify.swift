// libFuzzer target: the token parser and server-rule verifier, `verify(token:rules:room:tenant:now:)`.
//
// Input layout (so that the fuzzer reaches the checks behind the signature, which it cannot forge):
//   byte 0            mode: bits 0-1 choose the rules (0/1: HS256 fixture host, 2: tenant + no domain
//                     verification, 3: RS256 key server), bit 2 = sign the input ourselves
//   then lines        line 1 is the room node as the MUC sees it (empty = "room-1");
//                     unsigned: the rest is the token, byte for byte;
//                     signed:   line 2 is the header JSON, the rest the payload JSON, both signed with the
//                               fixture's app_secret under HS256 (so they pass the signature check whatever they say)
// Every input also goes through `JSONValue(parsing:)` (the mint-side parser over the same decoder).
import JitsiToken

private let secret = Secret("k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW")

private let publicKeyPEM = """
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA4nSTHpedeIIuUdiPSqwu
VWTWgz8VPtcJhIq1oKmVUeSvMCciptkL0IbpLLTGbWvUcO9n1LLXyrOnaTTpdDqh
RGz2/2GOTh8n0hzoIXcQuaLkXCiSHINGoPsVtgo8TaeekAy73biEBhUZEF2Ls5Iw
zGzfOEU1YiJoL8usTPsvRFpcoaY+CemVDw0uDjpu7hqqg/u7OAPNoLHanKfDBkGp
3nq6h3TlZf2Ei+rC97P1MIgF0dbO3voVJNn5R7nLb54l1CQhdd6XQsE2i3VaZuYP
JNKB4Z3p9dECnQCMCVTnL4oTSWNWkHLskjOCpv7X6JjJ72M5n3cylJJpd8FUmpLF
2wIDAQAB
-----END PUBLIC KEY-----
"""

private let ruleSets: [ServerRules] = [
    // The Debian/Jitsi fixture's token host.
    ServerRules(
        xmppDomain: "meet.example.com", appID: "acme_meet", key: .hmac(secret),
        mucMapperDomainBase: "meet.example.com"),
    // Issuer/audience lists, no room claim required, empty tokens allowed.
    ServerRules(
        xmppDomain: "meet.example.com", appID: "acme_meet", key: .hmac(secret),
        acceptedIssuers: ["acme_meet", "*"], acceptedAudiences: ["jitsi", "meet"], requireRoomClaim: false,
        allowEmptyToken: true, mucMapperDomainBase: "meet.example.com"),
    // No domain verification (the suffix comparison path), a custom MUC prefix.
    ServerRules(
        xmppDomain: "meet.example.com", appID: "acme_meet", key: .hmac(secret), enableDomainVerification: false,
        mucMapperDomainBase: "meet.example.com", mucMapperDomainPrefix: "muc"),
    // A key server with an RSA public key (kid checks, RS256 signatures).
    ServerRules(
        xmppDomain: "meet.example.com", appID: "acme_meet", key: .rsaPublicKey(pem: publicKeyPEM),
        mucMapperDomainBase: "meet.example.com", usesKeyServer: true),
]

private let signer: TokenSigner = {
    do {
        return try TokenSigner(algorithm: .hs256, key: .hmac(secret))
    } catch {
        fatalError("\(error)")
    }
}()

private let tenants: [String?] = [nil, "acme"]

// Also exported under libFuzzer's name: its archive's FuzzerMain.o gets linked in and refers to it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVerify(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let mode = bytes[0]
    let rest = bytes.dropFirst()
    let lines = rest.split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
    var room = lines.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
    if room.isEmpty { room = "room-1" }
    let rules = ruleSets[Int(mode & 3)]
    let tenant = tenants[Int(mode >> 3) & 1]
    let now = 1_800_000_000.0 + Double(mode >> 4)

    let token: String?
    if mode & 4 != 0, lines.count >= 2 {
        let header = String(decoding: lines[1], as: UTF8.self)
        let payload = lines.count > 2 ? String(decoding: lines[2], as: UTF8.self) : "{}"
        _ = JSONValue(parsing: payload)
        token = signer.sign(headerJSON: header, payloadJSON: payload)
    } else if lines.count >= 2 {
        let start = lines[1].startIndex
        let text = String(decoding: rest[start...], as: UTF8.self)
        _ = JSONValue(parsing: text)
        token = text.isEmpty && mode & 0x80 != 0 ? nil : text
    } else {
        token = nil
    }
    let verdict = verify(token: token, rules: rules, room: room, tenant: tenant, now: now)
    // Touch the verdict so nothing is optimized away, and check the one invariant every verdict must keep.
    if verdict.accepted, verdict.stage != nil || verdict.condition != nil {
        fatalError("accepted verdict with a refusal stage")
    }
    return 0
}
