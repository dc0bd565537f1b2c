"""python -m app [NUMBER...]: prints their sum and the word count of the input as
JSON; --check exits 0 when the C extension works; --serve waits forever."""

import json
import sys
import time

import fastsum
import textstats


def main(args):
    if args == ["--check"]:
        return 0 if fastsum.total([1, 2, 3]) == 6 else 1
    if args == ["--serve"]:
        while True:
            time.sleep(3600)
    numbers = [int(arg) for arg in args]
    print(json.dumps({"total": fastsum.total(numbers), "words": textstats.word_count(" ".join(args))}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
