# A stand-in for torch (no network here, and the real one is gigabytes): the
# pinned-venv case pins it, so the planner treats it as the heavy package it
# names and splits the builder's venv into the pins and the rest.
from setuptools import setup

setup(name="torch", version="2.0.1", packages=["torch"])
