import JitsiToken
import Testing

struct SecretTests {
    @Test func neverPrintsItsBytes() {
        let secret = Secret("b7f0c3e9d2a14c55a1f0")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect("\([secret])" == "[<redacted>]")
    }

    @Test func comparesByBytes() {
        #expect(Secret("abc") == Secret([0x61, 0x62, 0x63]))
        #expect(Secret("abc") != Secret("abd"))
        #expect(Secret("abc") != Secret("abcd"))
        #expect(Secret("abc").revealedBytes == [0x61, 0x62, 0x63])
    }
}
