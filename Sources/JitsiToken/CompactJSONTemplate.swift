/// The last compact payload that ``CompactJSONScan`` accepted for a worker, kept so that the next payload of the same
/// shape is read by comparing it with this one. Tokens from one minter have the same keys in the same order, and
/// their payloads differ in a few values (the room, the times, the user).
///
/// The two texts are compared byte by byte, eight at a time. Where they first differ, the scalar value of the
/// template that holds or ends at that byte is read again in the new text by the compact scan's own rules. It must
/// be of the same kind. The comparison then goes on after the two values. Anything else that differs (a key, a
/// bracket, a comma, the length) leaves the text to the compact scan.
///
/// A template that stops matching is replaced only after some misses in a row (``replacementMisses``, twice as many
/// each time a template is replaced without having read a text, up to ``maximumReplacementMisses``): when two
/// shapes alternate, one of them keeps being read here instead of each replacing the other, and when every text
/// has a shape of its own, recording (about a fifth of a line's work) soon stops.
///
/// So a text read here is the template's structure, with the same keys, and scalar values that the compact scan
/// accepts in the same places. It is a compact object, its members lie where the template's do, shifted by the
/// change in length of the values before them, and its view is the one the compact scan records (checked side by
/// side in the tests).
struct CompactJSONTemplate: Sendable {
    /// A scalar value of the template: a string with its quotes, a number or a literal.
    private struct Slot: Sendable {
        var start: Int
        var end: Int
        var kind: JSONBytesView.Kind
    }

    /// A recorded member's offsets in the template, each with the number of slots that end at or before it: its
    /// offset in a new text is shifted by the change in length of those slots.
    private struct Place: Sendable {
        var member: JSONBytesView.Member
        /// Slots ending at or before the key (and so before its end: a key holds no slot).
        var slotsBeforeKey: Int
        var slotsBeforeValue: Int
        var slotsBeforeValueEnd: Int
    }

    private var text: [UInt8] = []
    private var slots: [Slot] = []
    private var members: [Place] = []
    private var contextMembers: [Place] = []
    private var contextStart = -1
    private var slotsBeforeContext = 0
    private var claimMembers = JSONBytesView.ClaimMembers(repeating: -1)
    /// For each count of slots (0 to all), how much longer the new text is after them: filled for each text read.
    private var shifts: [Int] = []
    /// Texts not read here since the last one that was (or since the template was recorded).
    private var misses = 0
    /// Whether the template has read a text since it was recorded.
    private var hasRead = false
    /// Misses in a row after which ``learn(_:)`` replaces the template.
    private var missesBeforeReplacing = Self.replacementMisses

    /// Misses in a row after which a template that has read a text is replaced.
    static let replacementMisses = 8
    /// The most misses in a row that a replacement waits for.
    static let maximumReplacementMisses = 1024

    /// No template: every text is left to the compact scan until one is recorded.
    init() {}

    /// Keeps `view`, a view ``CompactJSONScan`` recorded of a text this template did not read, as the template
    /// when there is none or it has missed enough texts in a row.
    mutating func learn(_ view: JSONBytesView) {
        guard text.isEmpty || misses >= missesBeforeReplacing else { return }
        missesBeforeReplacing =
            hasRead || text.isEmpty
            ? Self.replacementMisses : min(2 * missesBeforeReplacing, Self.maximumReplacementMisses)
        record(view)
    }

    /// Keeps `view`, a view ``CompactJSONScan`` recorded, as the template (its text copied).
    mutating func record(_ view: JSONBytesView) {
        misses = 0
        hasRead = false
        text.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        contextMembers.removeAll(keepingCapacity: true)
        guard let claims = view.claimMembers, Self.appendSlots(of: view.bytes, to: &slots) else {
            slots.removeAll(keepingCapacity: true)
            return
        }
        text.append(contentsOf: view.bytes)
        appendPlaces(of: view.members, to: &members)
        appendPlaces(of: view.contextMembers, to: &contextMembers)
        contextStart = view.contextStart
        slotsBeforeContext = slots.firstIndex { $0.end > contextStart } ?? slots.count
        claimMembers = claims
    }

    /// The view of `bytes` (a text of printable ASCII without `\\`, as for ``CompactJSONScan``) when it has the
    /// template's shape, its member arrays taken from `members` and `contextMembers` (empty); `nil` otherwise, or
    /// without a template, leaving both arrays empty.
    mutating func view(
        of bytes: [UInt8], members: inout [JSONBytesView.Member], contextMembers: inout [JSONBytesView.Member]
    ) -> JSONBytesView? {
        guard !text.isEmpty else { return nil }
        guard bytes.count < 1 << 24, readShifts(of: bytes) else {
            misses += 1
            return nil
        }
        misses = 0
        hasRead = true
        Self.appendShifted(self.members.span, shifts: shifts.span, to: &members)
        Self.appendShifted(self.contextMembers.span, shifts: shifts.span, to: &contextMembers)
        var (recorded, context): ([JSONBytesView.Member], [JSONBytesView.Member]) = ([], [])
        swap(&recorded, &members)
        swap(&context, &contextMembers)
        return JSONBytesView(
            bytes: bytes, root: 0..<bytes.count, rootKind: .object, members: recorded, isCanonical: true,
            contextMembers: context, contextStart: contextStart < 0 ? -1 : contextStart + shifts[slotsBeforeContext],
            claimMembers: claimMembers, stringsArePlain: true)
    }

    /// Compares `bytes` with the template, filling ``shifts``: whether they differ in scalar values only.
    private mutating func readShifts(of bytes: [UInt8]) -> Bool {
        // Written through a span of the array, moved out of the template for the call: one uniqueness check, not
        // one an element.
        var shifts: [Int] = []
        swap(&shifts, &self.shifts)
        defer { swap(&shifts, &self.shifts) }
        if shifts.count != slots.count + 1 { shifts = Array(repeating: 0, count: slots.count + 1) }
        var written = shifts.mutableSpan
        return Self.readShifts(of: bytes, template: text, slots: slots.span, into: &written)
    }

    /// ``readShifts(of:)`` on the template's `text` and `slots`: `shifts[k]` is how much longer `bytes` is than
    /// the template after its first `k` slots.
    private static func readShifts(
        of bytes: [UInt8], template text: [UInt8], slots: Span<Slot>, into shifts: inout MutableSpan<Int>
    ) -> Bool {
        let newText = bytes.span
        let oldText = text.span
        var offset = 0
        var shift = 0
        // The slots given their shift so far.
        var given = 0
        shifts[0] = 0
        while true {
            offset += commonPrefixCount(oldText, from: offset, newText, from: offset + shift)
            if offset == text.count, offset + shift == bytes.count { break }
            // The slots before the first difference are the same in both texts, each with the byte after it.
            while given < slots.count, slots[given].end < offset {
                given += 1
                shifts[given] = shift
            }
            guard given < slots.count, slots[given].start <= offset else { return false }
            let slot = slots[given]
            let start = slot.start + shift
            guard start < newText.count, let (end, kind) = CompactJSONScan.scalar(newText, bytes, at: start),
                kind == slot.kind
            else { return false }
            shift = end - slot.end
            given += 1
            shifts[given] = shift
            offset = slot.end
        }
        while given < slots.count {
            given += 1
            shifts[given] = shift
        }
        return true
    }

    /// Appends the members of `places`, their offsets in the text just read (`shifts` its ``shifts``).
    private static func appendShifted(_ places: Span<Place>, shifts: Span<Int>, to members: inout [JSONBytesView.Member]) {
        // Into one reservation: an append each counted the array's capacity and checked its uniqueness.
        members.append(addingCapacity: places.count) { shifted in
            for index in places.indices {
                let place = places[index]
                let key = place.member.key
                let value = place.member.value
                let keyShift = shifts[place.slotsBeforeKey]
                shifted.append(
                    JSONBytesView.Member(
                        key: key.lowerBound + keyShift..<key.upperBound + keyShift, keyIsPlain: true,
                        value: value.lowerBound + shifts[place.slotsBeforeValue]..<value.upperBound
                            + shifts[place.slotsBeforeValueEnd],
                        kind: place.member.kind))
            }
        }
    }

    /// Appends `members` (in text order) with the counts of slots before their offsets, found in one walk.
    private func appendPlaces(of members: [JSONBytesView.Member], to places: inout [Place]) {
        var ended = 0
        func slotsEnding(atOrBefore offset: Int) -> Int {
            while ended < slots.count, slots[ended].end <= offset { ended += 1 }
            return ended
        }
        for member in members {
            let slotsBeforeKey = slotsEnding(atOrBefore: member.key.lowerBound)
            let slotsBeforeValue = slotsEnding(atOrBefore: member.value.lowerBound)
            places.append(
                Place(
                    member: member, slotsBeforeKey: slotsBeforeKey, slotsBeforeValue: slotsBeforeValue,
                    slotsBeforeValueEnd: slotsEnding(atOrBefore: member.value.upperBound)))
        }
    }

    /// Appends the scalar values of `text`, a compact object the compact scan accepted, in text order: whether the
    /// text was read to its end (it always is: the compact scan accepts at most 32 levels, and the bitmask holds 63).
    private static func appendSlots(of text: [UInt8], to slots: inout [Slot]) -> Bool {
        let bytes = text.span
        /// Bit `depth` set for an object, clear for an array, for each container open.
        var objects: UInt64 = 0
        var depth = 0
        var expectsKey = false
        var offset = 0
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                guard depth < 64 else { return false }
                expectsKey = bytes[offset] == UInt8(ascii: "{")
                if expectsKey { objects |= 1 &<< depth } else { objects &= ~(1 &<< depth) }
                offset += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                offset += 1
            case UInt8(ascii: ","):
                expectsKey = objects & 1 &<< depth != 0
                offset += 1
            case UInt8(ascii: ":"):
                expectsKey = false
                offset += 1
            case UInt8(ascii: "\""):
                let end = quoteIndex(text, from: offset + 1) + 1
                guard end <= bytes.count else { return false }
                if !expectsKey { slots.append(Slot(start: offset, end: end, kind: .string)) }
                offset = end
            default:
                guard let (end, kind) = CompactJSONScan.scalar(bytes, text, at: offset) else { return false }
                slots.append(Slot(start: offset, end: end, kind: kind))
                offset = end
            }
        }
        return depth == 0
    }
}
