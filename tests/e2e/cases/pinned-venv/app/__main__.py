"""python -m app [NUMBER...]: prints the pinned torch's version, the sum of the
numbers (by the C extension) and their word count as JSON; --check exits 0
when the pin and the extension are there; --serve waits forever."""

import json
import sys
import time

import fastsum
import textstats
import torch


def main(args):
    if args == ["--check"]:
        return 0 if torch.__version__ == "2.0.1" and fastsum.total([1, 2, 3]) == 6 else 1
    if args == ["--serve"]:
        while True:
            time.sleep(3600)
    numbers = [int(arg) for arg in args]
    print(json.dumps({"torch": torch.__version__, "total": fastsum.total(numbers),
                      "words": textstats.word_count(" ".join(args))}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
