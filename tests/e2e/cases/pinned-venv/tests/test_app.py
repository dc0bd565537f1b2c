"""A developer's test: in the repository, not in the image."""

from app.__main__ import main


def test_check():
    assert main(["--check"]) == 0
