"""Single-op zoo cases of the detection, vision and image ops (issue 11), registered into zoo_ops.CASES."""

import numpy as np  # noqa: F401

from zoo_ops import C, P, case, model_of  # noqa: F401
