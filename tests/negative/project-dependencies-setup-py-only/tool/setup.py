from setuptools import setup
setup(name="tool", install_requires=["click"])
