# tests/data/npy/make_fixtures.py: how the .npy fixtures of the apply tests were made (NumPy's
# own writer, so the tests read real NumPy output). The tests do not run this; rerun it by hand
# (python3 make_fixtures.py, in this folder) only to change the fixtures, and update
# tests/apply.cmake's expected values with them.
import numpy as np
from numpy.lib import format as npf

x = np.array([[-2, -1, -0.5], [0.5, 1, 2]])
np.save("x_f32.npy", x.astype("<f4"))  # format 1.0
np.save("dy_f32.npy", np.array([[1, 2, 3], [4, 5, 6]], dtype="<f4"))
np.save("dy_f32_3x2.npy", np.ones((3, 2), dtype="<f4"))
np.save("x_f16.npy", np.array([-2, -1, 0, 1, 2], dtype="<f2"))
with open("x_f32_be_v2.npy", "wb") as f:  # big-endian, format 2.0
    npf.write_array(f, x.astype(">f4"), version=(2, 0))
with open("x_f64_v3.npy", "wb") as f:  # format 3.0 (utf8 header)
    npf.write_array(f, np.array([-1.5, 0.0, 1.5], dtype="<f8"), version=(3, 0))
np.save("scalar_f32.npy", np.array(-3, dtype="<f4"))
np.save("empty_f32.npy", np.zeros((0, 3), dtype="<f4"))
np.save("bad_fortran.npy", np.asfortranarray(x.astype("<f4")))
with open("x_f32.npy", "rb") as f:
    good = f.read()
with open("bad_trailing.npy", "wb") as f:
    f.write(good + b"\0\0\0\0")
np.save("bad_dtype_i4.npy", np.arange(6, dtype="<i4"))
