import Testing

@testable import JitsiToken
import TestSupport

/// The compact template (``CompactJSONTemplate``) against the compact scan it stands in for: a text it reads has the
/// view ``CompactJSONScan`` records for it, it reads nothing that scan refuses, and it reads every text that differs
/// from the template only in scalar values of the same kinds.
struct CompactJSONTemplateTests {
    /// A generated compact object, with the ranges and kinds of its scalar values.
    struct Generated {
        var text: [UInt8] = []
        var scalars: [(range: Range<Int>, kind: JSONBytesView.Kind)] = []
    }

    /// Values of each kind that the compact scan accepts, and texts that it refuses or reads as containers.
    static let strings = [#""""#, #""x""#, #""room-12""#, #""a longer value, with {braces} and [brackets]:""#]
    static let numbers = ["0", "-1", "7", "1796195509", "123456789012345", "-123456789012345"]
    static let literals: [(String, JSONBytesView.Kind)] = [("true", .bool), ("false", .bool), ("null", .null)]
    static let others = ["{}", "[]", "[1]", #"{"a":1}"#, "1234567890123456", "01", "-", "1.5", "tru", #""open"#, ""]

    static func kind(of value: String) -> JSONBytesView.Kind {
        if value.hasPrefix("\"") { return .string }
        return literals.first { $0.0 == value }?.1 ?? .number
    }

    /// A random compact object: keys from the claim names and a few others, nested up to three levels.
    static func generate(_ random: inout SplitMix64) -> Generated {
        var generated = Generated()
        func append(_ text: String) { generated.text += Array(text.utf8) }
        func scalar() {
            let value: String
            switch random.next() % 3 {
            case 0: value = strings.randomElement(using: &random)!
            case 1: value = numbers.randomElement(using: &random)!
            default: value = literals.randomElement(using: &random)!.0
            }
            let start = generated.text.count
            append(value)
            generated.scalars.append((start..<generated.text.count, kind(of: value)))
        }
        func value(depth: Int) {
            switch depth < 3 ? random.next() % 5 : 0 {
            case 0, 1, 2: scalar()
            case 3: object(depth: depth + 1)
            default:
                append("[")
                for index in 0..<Int(random.next() % 3) {
                    if index > 0 { append(",") }
                    value(depth: depth + 1)
                }
                append("]")
            }
        }
        func object(depth: Int) {
            let keys = ["iss", "aud", "sub", "room", "exp", "nbf", "iat", "context", "tenant", "user", "", "a", "b"]
            append("{")
            for (index, key) in keys.shuffled(using: &random).prefix(Int(random.next() % 6)).enumerated() {
                append((index > 0 ? "," : "") + "\"" + key + "\":")
                value(depth: depth)
            }
            append("}")
        }
        object(depth: 1)
        return generated
    }

    /// The compact scan's view of `text` and the template's, each rendered field by field (`nil` when refused).
    static func views(of text: [UInt8], template: inout CompactJSONTemplate) -> (compact: String?, template: String?) {
        func render(_ view: JSONBytesView?) -> String? {
            guard let view else { return nil }
            func fields(_ members: [JSONBytesView.Member]) -> String {
                members.map { "\($0.key) \($0.keyIsPlain) \($0.value) \($0.kind)" }.joined(separator: "; ")
            }
            let claims = view.claimMembers.map { claims in
                JSONBytesView.ClaimName.allCases.map { String(claims[$0.rawValue]) }.joined(separator: ",")
            }
            return "root \(view.root) \(view.rootKind) canonical \(view.isCanonical) plain \(view.stringsArePlain) "
                + "members [\(fields(view.members))] context \(view.contextStart) [\(fields(view.contextMembers))] "
                + "claims \(claims ?? "none") bytes \(view.bytes == text)"
        }
        guard isPrintableASCIIWithoutBackslash(text.span) else { return (nil, nil) }
        var (members, contextMembers): ([JSONBytesView.Member], [JSONBytesView.Member]) = ([], [])
        let compact = render(CompactJSONScan.view(of: text, members: &members, contextMembers: &contextMembers))
        var (templateMembers, templateContext): ([JSONBytesView.Member], [JSONBytesView.Member]) = ([], [])
        let read = template.view(of: text, members: &templateMembers, contextMembers: &templateContext)
        if read == nil { #expect(templateMembers.isEmpty && templateContext.isEmpty) }
        return (compact, render(read))
    }

    /// The compact scan's view of `text`, into arrays of its own.
    static func compactView(of text: [UInt8]) -> JSONBytesView? {
        var (members, contextMembers): ([JSONBytesView.Member], [JSONBytesView.Member]) = ([], [])
        return CompactJSONScan.view(of: text, members: &members, contextMembers: &contextMembers)
    }

    /// Whether `template` reads `text` (a read counts for it, as in a batch).
    static func reads(_ template: inout CompactJSONTemplate, _ text: [UInt8]) -> Bool {
        var (members, contextMembers): ([JSONBytesView.Member], [JSONBytesView.Member]) = ([], [])
        return template.view(of: text, members: &members, contextMembers: &contextMembers) != nil
    }

    /// A template made from `text`, which the compact scan must accept.
    static func template(of text: [UInt8]) -> CompactJSONTemplate? {
        guard let view = compactView(of: text) else { return nil }
        var template = CompactJSONTemplate()
        template.record(view)
        return template
    }

    @Test
    func valuesChangedWithinTheirKindAreReadAsTheCompactScanReadsThem() {
        var random = SplitMix64(seed: 6)
        var read = 0
        for _ in 0..<300 {
            let generated = Self.generate(&random)
            guard var template = Self.template(of: generated.text) else {
                Issue.record("generated text refused: \(String(decoding: generated.text, as: UTF8.self))")
                continue
            }
            // The template itself, then each value replaced by every other value (of its kind or not), then two
            // values replaced at once.
            var texts: [([UInt8], sameKinds: Bool)] = [(generated.text, true)]
            let replacements = Self.strings + Self.numbers + Self.literals.map(\.0) + Self.others
            for (range, kind) in generated.scalars {
                for replacement in replacements {
                    var text = generated.text
                    text.replaceSubrange(range, with: Array(replacement.utf8))
                    let sameKind = !Self.others.contains(replacement) && Self.kind(of: replacement) == kind
                    texts.append((text, sameKind))
                }
            }
            if let first = generated.scalars.first, let last = generated.scalars.last, first.range != last.range {
                var text = generated.text
                text.replaceSubrange(last.range, with: Array(#""changed""#.utf8))
                text.replaceSubrange(first.range, with: Array("42".utf8))
                texts.append((text, first.kind == .number && last.kind == .string))
            }
            for (text, sameKinds) in texts {
                let (compact, fromTemplate) = Self.views(of: text, template: &template)
                let shown = String(decoding: text, as: UTF8.self)
                if let fromTemplate {
                    read += 1
                    #expect(fromTemplate == compact, "\(shown)")
                } else {
                    #expect(!sameKinds || compact == nil, "same shape, not read from the template: \(shown)")
                }
            }
        }
        #expect(read >= 4000)
    }

    /// Every byte of a payload replaced, removed or doubled, and the compact scan's own test texts, each against
    /// the payload as template and against each other's.
    @Test
    func editsOutsideValuesAreLeftToTheCompactScan() {
        let payload = Array(JSONBytesViewTests.compactDocuments[0])
        guard var template = Self.template(of: payload) else {
            Issue.record("payload refused")
            return
        }
        var texts = JSONBytesViewTests.compactDocuments + JSONBytesViewTests.documents
        for index in payload.indices {
            for byte in Array(#"{}[]:,"0 9-atn"#.utf8) where byte != payload[index] {
                var replaced = payload
                replaced[index] = byte
                texts.append(replaced)
            }
            var removed = payload
            removed.remove(at: index)
            var doubled = payload
            doubled.insert(payload[index], at: index)
            texts += [removed, doubled]
        }
        var read = 0
        var compactRead = 0
        for text in texts {
            let (compact, fromTemplate) = Self.views(of: text, template: &template)
            compactRead += compact == nil ? 0 : 1
            guard let fromTemplate else { continue }
            read += 1
            #expect(fromTemplate == compact, "\(String(decoding: text, as: UTF8.self))")
        }
        #expect(read >= 100 && compactRead > read)
        // Each compact test text as the template, with every other one read against it.
        for first in JSONBytesViewTests.compactDocuments {
            guard var template = Self.template(of: first) else { continue }
            for text in JSONBytesViewTests.compactDocuments {
                let (compact, fromTemplate) = Self.views(of: text, template: &template)
                if let fromTemplate { #expect(fromTemplate == compact, "\(String(decoding: text, as: UTF8.self))") }
            }
        }
    }

    /// Two shapes alternating: the first one learned stays and reads its own shape; the other replaces it only
    /// after ``CompactJSONTemplate/replacementMisses`` misses in a row.
    @Test
    func aTemplateIsReplacedOnlyAfterMissesInARow() {
        let first = Array(#"{"iss":"a","room":"r1","exp":1}"#.utf8)
        let second = Array(#"{"room":"r1","iss":"a","exp":1}"#.utf8)
        guard let firstView = Self.compactView(of: first), let secondView = Self.compactView(of: second) else {
            Issue.record("compact texts refused")
            return
        }
        var template = CompactJSONTemplate()
        template.learn(firstView)
        var pattern = ""
        for text in [second, first, second, first] {
            let read = Self.reads(&template, text)
            if !read { template.learn(text == first ? firstView : secondView) }
            pattern += read ? "r" : "-"
        }
        for _ in 1..<CompactJSONTemplate.replacementMisses {
            pattern += Self.reads(&template, second) ? "r" : "-"
            template.learn(secondView)
        }
        pattern += " " + (Self.reads(&template, second) ? "r" : "-")
        template.learn(secondView)
        pattern += Self.reads(&template, second) ? "r" : "-"
        pattern += Self.reads(&template, first) ? "r" : "-"
        #expect(pattern == "-r-r------- -r-")
    }

    /// Every text of a shape of its own: each template replaced without having read a text waits twice as long.
    @Test
    func replacementsWaitLongerWhileNoTemplateReads() {
        var template = CompactJSONTemplate()
        var replacedAt: [Int] = []
        for index in 0..<200 {
            let text = Array(#"{"key\#(index)":1}"#.utf8)
            guard let view = Self.compactView(of: text) else {
                Issue.record("compact text refused")
                return
            }
            #expect(!Self.reads(&template, text))
            template.learn(view)
            // A copy asked, so that its read does not count for the template.
            var probe = template
            if Self.reads(&probe, text) { replacedAt.append(index) }
        }
        #expect(replacedAt == [0, 8, 24, 56, 120])
    }

    @Test
    func withoutATemplateNothingIsRead() {
        var template = CompactJSONTemplate()
        let (compact, fromTemplate) = Self.views(of: Array(#"{"a":1}"#.utf8), template: &template)
        #expect(compact != nil && fromTemplate == nil)
    }
}
