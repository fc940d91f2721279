import Foundation
import ProsodyConfig
import TestSupport
import Testing

/// What the loader records for audits: where options are set, reads of undefined names, globs that matched nothing.
struct LoadNoteTests {
    @Test(arguments: ProsodyVersion.allCases)
    func notesRecordSetsUndefinedReadsAndEmptyGlobs(version: ProsodyVersion) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("prosody.cfg.lua").path
        try """
            VirtualHost "meet.example.com"
                authentication = token
            Component "conference.meet.example.com" "muc" { app_id = "x" }
            Include "conf.d/*.cfg.lua"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("conf.d"),
                                                withIntermediateDirectories: true)
        let config = try ConfigLoader.load(path: path, options: LoadOptions(version: version, recordNotes: true))
        #expect(config.notes == [
            LoadNote(kind: .undefined, section: "meet.example.com", name: "token", file: path, line: 2),
            LoadNote(kind: .set, section: "meet.example.com", name: "authentication", file: path, line: 2),
            LoadNote(kind: .set, section: "conference.meet.example.com", name: "app_id", file: path, line: 3),
            LoadNote(kind: .emptyGlob, section: "*", name: "conf.d/*.cfg.lua", file: path, line: 4),
        ])
    }

    @Test func notesAreOffByDefault() throws {
        let config = try ConfigLoader.load(path: Repository.fixture("debian/etc/prosody/prosody.cfg.lua"))
        #expect(config.notes.isEmpty)
    }
}
