// Attribute structs of the recurrent cells and sequences.
// Included by host/graph/op_attrs.h; parse functions in recurrent.cpp.
#pragma once

#include "host/graph/attr_reader.h"
#include "host/graph/element_type.h"
#include "host/graph/shape.h"

namespace octet {}  // namespace octet
