/// The hint of an accepted join that it takes for granted that jicofo has created the room ("this assumes the room
/// ROOM@MUC exists: …"): every accepted join carries it, so it is kept as the room and the verifier's shared end
/// and written out (as text or as a JSON string) only when asked.
struct RoomAssumption: Sendable {
    let room: String
    let ending: Ending

    /// The hint's end, from the `@` on: the same for every token a verifier checks, with its JSON string contents
    /// and those of the hint's start written once (a verifier's own, so that threads with verifiers of their own
    /// count no references to one shared array).
    final class Ending: Sendable {
        let text: String
        let jsonContents: [UInt8]
        let startJSONContents: [UInt8]

        init(mucDomain: String) {
            text = "@" + mucDomain + RoomAssumption.endingAfterDomain
            jsonContents = RoomAssumption.jsonContents(of: text)
            startJSONContents = RoomAssumption.jsonContents(of: RoomAssumption.start)
        }
    }

    /// The start of the hint, before the room's address.
    static let start = "this assumes the room "
    /// The end of the hint, after the room's address.
    static let endingAfterDomain =
        " exists: jicofo creates it when the meeting starts, and until then the server answers \"Room does not exist\""

    /// The hint.
    var text: String {
        var text = Self.start
        text.reserveCapacity(text.utf8.count + room.utf8.count + ending.text.utf8.count)
        text += room
        text += ending.text
        return text
    }

    /// Appends ``text`` as ``JSONValue/jsonText`` writes it: escaping works scalar by scalar, so the escaped parts
    /// joined are the escaped whole.
    func appendJSONText(to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Borrowed, where `append(contentsOf:)` took each array and counted a reference to it.
        appendContents(of: ending.startJSONContents, to: &bytes)
        JSONWriter.appending(to: &bytes, escapingTerminalControls: true) { $0.writeStringContents(room) }
        appendContents(of: ending.jsonContents, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// The length of ``appendJSONText(to:)``'s text when the room is written as it is (printable ASCII without `"`
    /// or `\\`), else `nil`.
    var plainJSONTextBytes: Int? {
        let room = room.utf8.span
        guard jsonEscapeRunEnd(room, from: 0, stopsAtDELAndAbove: true) == room.count else { return nil }
        return 2 + ending.startJSONContents.count + room.count + ending.jsonContents.count
    }

    /// Writes ``appendJSONText(to:)``'s text for a room with ``plainJSONTextBytes``; stops the program for any other
    /// room, or when the text does not fit.
    func writePlainJSONText(to output: inout OutputSpan<UInt8>) {
        let room = room.utf8.span
        precondition(jsonEscapeRunEnd(room, from: 0, stopsAtDELAndAbove: true) == room.count, "a room to escape")
        output.append(UInt8(ascii: "\""))
        output.appendCopy(of: ending.startJSONContents)
        output.appendCopy(of: room)
        output.appendCopy(of: ending.jsonContents)
        output.append(UInt8(ascii: "\""))
    }

    private static func jsonContents(of text: String) -> [UInt8] {
        var writer = JSONWriter(escapingTerminalControls: true)
        writer.writeStringContents(text)
        return writer.bytes
    }
}
