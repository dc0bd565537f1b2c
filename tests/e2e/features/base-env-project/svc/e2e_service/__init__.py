"""Prints where its dependencies were imported from, as JSON."""

import json
import sys


def main():
    import e2e_special
    import microweb
    import textstats

    print(json.dumps({"prefix": sys.prefix, "special": e2e_special.__file__,
                      "microweb": microweb.__file__, "textstats": textstats.__file__}))
