// Intentionally empty: the header declares a libFuzzer function; SwiftPM needs one source file per C target.
#include "CFuzzerDriver.h"
