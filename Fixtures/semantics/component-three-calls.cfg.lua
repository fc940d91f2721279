-- Component "c" "muc" "x": the third call passes a string to pairs(), "bad argument #1 to 'for iterator'"
Component "conference.example.com" "muc" "extra"
