"""Transcribes files with the whisper binary."""
import subprocess
import sys

sys.exit(subprocess.call(["whisper", "--help"]))
