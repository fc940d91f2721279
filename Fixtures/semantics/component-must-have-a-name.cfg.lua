-- Component(nil): "Component must have a name" at the caller's line
Component(nil) "muc"
