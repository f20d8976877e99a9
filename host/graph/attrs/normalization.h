// Attribute structs of the normalisations, reductions, softmax variants and scans.
// Included by host/graph/op_attrs.h; parse functions in normalization.cpp.
#pragma once

#include "host/graph/attr_reader.h"
#include "host/graph/element_type.h"
#include "host/graph/shape.h"

namespace octet {}  // namespace octet
