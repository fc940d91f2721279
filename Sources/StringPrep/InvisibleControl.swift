extension StringPrep {
    /// Whether a terminal would act on the code point, or it hides or reorders text: C1 controls (U+0080–U+009F),
    /// the bidi marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069),
    /// the zero-width characters (U+200B–U+200D, U+FEFF) and the line and paragraph separators (U+2028, U+2029).
    /// C0 and DEL are left to the caller, which checks them on bytes.
    public static func isInvisibleControl(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x80...0x9F, 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }
}
