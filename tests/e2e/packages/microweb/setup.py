# A tiny web framework the e2e web app installs from the local index.
from setuptools import setup

setup(name="microweb", version="1.0", packages=["microweb"])
