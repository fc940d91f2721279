extension JSONValue {
    /// Appends the bytes of ``jsonText`` to `bytes`: the same text, written in place without making a String.
    public func appendJSONText(to bytes: inout [UInt8]) {
        JSONWriter.appending(to: &bytes, escapingTerminalControls: true) { $0.write(self) }
    }
}
