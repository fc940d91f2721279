import JitsiToken
import ProsodyConfig

/// A table for people, laid out on bytes: left-aligned columns two spaces apart, the last column unpadded. Each
/// cell is escaped for the terminal as one value (``TerminalText``, line feeds too), so a name cannot start a row
/// of its own or act on the terminal, and widths count what is shown. The laid-out bytes therefore need no further
/// escaping.
struct TextTable {
    private let columns: Int
    /// Every cell's shown bytes, one after the other, row by row (the header first).
    private var bytes: [UInt8] = []
    /// Where each cell ends in `bytes`.
    private var ends: [Int] = []
    /// How many Characters each cell shows.
    private var widths: [Int] = []
    /// Whether each row is ASCII (then every byte is one Character).
    private var asciiRows: [Bool] = []

    init(_ header: [String]) {
        columns = header.count
        for title in header { add(title) }
    }

    mutating func reserveRows(_ count: Int) {
        ends.reserveCapacity(ends.count + count * columns)
        widths.reserveCapacity(widths.count + count * columns)
        asciiRows.reserveCapacity(asciiRows.count + count + 1)
    }

    /// Adds the next cell (rows fill left to right).
    mutating func add(_ cell: String) {
        if isPrintableASCIIWithoutBackslash(cell.utf8.span) {
            bytes.append(contentsOf: cell.utf8)
            added(width: cell.utf8.count, ascii: true)
        } else {
            addEscaped(cell)
        }
    }

    /// Adds the next cell given as its UTF-8 bytes.
    mutating func add(bytes cell: [UInt8]) {
        if isPrintableASCIIWithoutBackslash(cell.span) {
            bytes.append(contentsOf: cell)
            added(width: cell.count, ascii: true)
        } else {
            addEscaped(String(decoding: cell, as: UTF8.self))
        }
    }

    private mutating func addEscaped(_ cell: String) {
        let shown = TerminalText.escaped(cell)
        bytes.append(contentsOf: shown.utf8)
        let ascii = shown.utf8.allSatisfy { $0 < 0x80 }
        // Escaped text holds no CR, so an ASCII cell shows one Character a byte.
        added(width: ascii ? shown.utf8.count : shown.count, ascii: ascii)
    }

    private mutating func added(width: Int, ascii: Bool) {
        if ends.count % columns == 0 { asciiRows.append(true) }
        ends.append(bytes.count)
        widths.append(width)
        if !ascii { asciiRows[asciiRows.count - 1] = false }
    }

    /// Appends the laid-out rows to `text`, each ending in a line feed, trailing spaces trimmed.
    /// - Throws: ``ConfigError/outputTooLarge(maxBytes:)`` when the padded table would pass `maxBytes` (one long
    ///   name pads every other row to its width).
    func layOut(into text: inout [UInt8], maxBytes: Int) throws(ConfigError) {
        let rows = asciiRows.count
        var columnWidths = [Int](repeating: 0, count: columns)
        var lastColumn = 0
        var start = 0
        for (cell, width) in widths.enumerated() {
            let column = cell % columns
            columnWidths[column] = max(columnWidths[column], width)
            if column == columns - 1 { lastColumn += ends[cell] - start }
            start = ends[cell]
        }
        let paddedWidth = columnWidths.dropLast().reduce(0) { $0 + $1 + 2 }
        let (padded, overflow) = paddedWidth.multipliedReportingOverflow(by: rows)
        guard !overflow, padded + lastColumn <= maxBytes else { throw .outputTooLarge(maxBytes: maxBytes) }
        text.reserveCapacity(text.count + padded + lastColumn + rows)
        start = 0
        for row in 0..<rows {
            let rowStart = text.count
            for column in 0..<columns {
                let cell = row * columns + column
                text.append(contentsOf: bytes[start..<ends[cell]])
                start = ends[cell]
                if column < columns - 1 {
                    text.append(contentsOf: repeatElement(UInt8(ascii: " "), count: columnWidths[column] - widths[cell] + 2))
                }
            }
            if asciiRows[row] {
                while text.count > rowStart, text[text.count - 1] == UInt8(ascii: " ") { text.removeLast() }
            } else {
                // A space can end a longer Character (after a prepended mark): trim Characters, as people see them.
                let line = String(decoding: text[rowStart...], as: UTF8.self).trimmingTrailingSpaces()
                text.removeSubrange(rowStart...)
                text.append(contentsOf: line.utf8)
            }
            text.append(UInt8(ascii: "\n"))
        }
    }
}
