"""A developer's test: in the repository, not in the image."""

import app.__main__ as service


def test_index():
    assert service.index()[0] == 200
