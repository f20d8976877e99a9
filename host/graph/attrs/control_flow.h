// Attribute structs of the control flow: if, loop, tensoriterator.
// Included by host/graph/op_attrs.h; parse functions in control_flow.cpp.
#pragma once

#include "host/graph/attr_reader.h"
#include "host/graph/element_type.h"
#include "host/graph/shape.h"

namespace octet {}  // namespace octet
