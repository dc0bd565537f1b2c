"""python -m captioner AUDIO...: one .vtt file beside each input."""
import pathlib
import sys

import webvtt
import whisper


def main(paths):
    model = whisper.load_model("base")
    for path in map(pathlib.Path, paths):
        result = model.transcribe(str(path))
        captions = webvtt.WebVTT()
        for segment in result["segments"]:
            captions.captions.append(webvtt.Caption(
                _stamp(segment["start"]), _stamp(segment["end"]), segment["text"].strip()))
        captions.save(str(path.with_suffix(".vtt")))


def _stamp(seconds):
    hours, rest = divmod(seconds, 3600)
    minutes, rest = divmod(rest, 60)
    return f"{int(hours):02}:{int(minutes):02}:{rest:06.3f}"


if __name__ == "__main__":
    main(sys.argv[1:])
