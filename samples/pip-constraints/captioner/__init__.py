"""Writes WebVTT captions for audio files with Whisper."""
