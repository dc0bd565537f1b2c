# A small pure-Python package the e2e cases add to their requirements.
from setuptools import setup

setup(name="textstats", version="1.0", packages=["textstats"])
