extension JSONValue {
    /// Appends the bytes of ``jsonText`` to `bytes`: the same text, written in place without making a String.
    public func appendJSONText(to bytes: inout [UInt8]) {
        var writer = JSONWriter(escapingTerminalControls: true)
        swap(&writer.bytes, &bytes)
        writer.write(self)
        swap(&writer.bytes, &bytes)
    }
}
