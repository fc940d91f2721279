-- Class: injection through `--format env`. Each value below holds a ' followed by a combining mark (U+0301): one
-- Swift Character, but a ' byte to the shell, which ended the single quotes of a quoting done by Character. If the
-- output is not quoted on bytes, `eval "$(jitsi-jwt hosts --format env)"` runs `touch "$HOSTILE_MARKER"`.
VirtualHost "meet.example.com"
    authentication = "token'́; touch \"$HOSTILE_MARKER\"; : '́"
VirtualHost "x'́$(touch \"$HOSTILE_MARKER\")'́.example"
    authentication = "internal_hashed"
Component "conference.meet.example.com" "muc'́`touch \"$HOSTILE_MARKER\"`'́"
