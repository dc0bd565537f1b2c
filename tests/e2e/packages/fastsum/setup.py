# A package with a C extension: served as a source distribution, so installing
# it compiles it (the e2e build-stage case builds its wheel in a builder stage).
from setuptools import Extension, setup

setup(
    name="fastsum",
    version="1.0",
    ext_modules=[Extension("fastsum", ["src/fastsum.c"])],
)
