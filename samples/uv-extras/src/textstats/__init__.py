"""Word and sentence statistics."""
import regex

WORD = regex.compile(r"\p{L}+(?:['’]\p{L}+)*")


def count_words(text: str) -> int:
    return len(WORD.findall(text))
